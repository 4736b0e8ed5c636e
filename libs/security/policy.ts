import { ROLES, type Role } from '../domain/vocabulary.js';
import type { Action } from './access.js';

/*
 * The declarative route policy: every route of the API, keyed `METHOD /openapi/path`, says who may call
 * it at all (the role gate, checked before anything is looked up) and, for routes on a child's data,
 * which action of the access function (./access.ts) is checked on the resource. A route missing here is
 * refused (default deny) and fails test/integration/api-authz.spec.ts.
 */

export type RoutePolicy =
  | { readonly public: true; readonly why: string }
  | {
      readonly public?: false;
      readonly roles: readonly Role[];
      /** Checked on the resource by the service; undefined: no child data (or filtered by visibility). */
      readonly action?: Action;
      /**
       * The resource the route acts on (its `placementId`, and `taskId`), checked for `action` with
       * ResourceAccess.placementOf/taskOf (404 missing or hidden, 403 forbidden, logged).
       */
      readonly resource?: 'placement' | 'task';
    };

const CASE_ROLES: readonly Role[] = ['kontaktperson', 'leder'];
const KOMPETANSEBASE_ROLES: readonly Role[] = ['kompetansebase-veileder', 'kompetansebase-leder'];
const TASK_ROLES: readonly Role[] = [
  'fosterhjemsressurs',
  'kontaktperson',
  'leder',
  'tilsynsforer',
  'bufetat',
];

export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /health/live': { public: true, why: 'liveness probe, no data' },
  'GET /health/ready': { public: true, why: 'readiness probe, dependency status only' },
  'GET /.well-known/jwks.json': { public: true, why: 'public keys of the local issuer' },
  'POST /api/dev/tokens': { public: true, why: 'local issuer only (off in production): demo tokens' },
  'GET /api/dev/users': { public: true, why: 'local issuer only (off in production): demo user list' },
  'GET /api/auth/config': {
    public: true,
    why: 'how the web app logs in (issuer, public client id); no secrets',
  },

  'POST /api/system/probes': { roles: ['admin'] },
  'GET /api/system/probes/{probeId}': { roles: ['admin'] },

  'GET /api/me': { roles: ROLES },
  // One's own notification settings and calendar feed (libs/notifications): every role; what a feed
  // shows follows the inbox's visibility.
  'POST /api/me/calendar-feed': { roles: ROLES },
  'DELETE /api/me/calendar-feed': { roles: ROLES },
  'GET /api/me/notification-settings': { roles: ROLES },
  'PUT /api/me/notification-settings': { roles: ROLES },
  'GET /calendar/{token}.ics': {
    public: true,
    why: 'calendar clients cannot send a bearer token: the secret in the URL is the credential (only its hash is stored; unknown or revoked: 404; rate-limited)',
  },
  'GET /api/reference/roles': { roles: ROLES },
  'GET /api/reference/tracks': { roles: ROLES },
  // Reference data is not personal data: everyone reads it; administrators change it (audited).
  'GET /api/reference/regions': { roles: ROLES },
  'PUT /api/reference/regions/{code}': { roles: ['admin'] },
  'GET /api/reference/municipalities': { roles: ROLES },
  'GET /api/reference/services': { roles: ROLES },
  'GET /api/reference/networks': { roles: ROLES },
  'POST /api/reference/networks': { roles: ['admin'] },
  'PUT /api/reference/networks/{networkId}': { roles: ['admin'] },
  'POST /api/reference/services': { roles: ['admin'] },
  'PUT /api/reference/services/{serviceId}': { roles: ['admin'] },
  'GET /api/reference/services/{serviceId}/closure-days': { roles: ROLES },
  'PUT /api/reference/services/{serviceId}/closure-days': { roles: ['admin'] },

  // The staff directory (staff data, not a child's): administrators only; writes audited.
  'GET /api/people': { roles: ['admin'] },
  'POST /api/people': { roles: ['admin'] },
  'PUT /api/people/{personId}': { roles: ['admin'] },

  'GET /api/catalogs': { roles: ROLES },
  'GET /api/catalogs/{version}': { roles: ROLES },
  'POST /api/catalogs': { roles: ['admin'] },
  'POST /api/catalogs/dry-run': { roles: ['admin'] },

  // Aggregates only: a learning-network lead's answers carry no child ids and suppress small cells.
  'GET /api/adherence/report': { roles: ['laeringsnettverksleder', 'leder'] },
  'GET /api/adherence/milestones': { roles: ['laeringsnettverksleder', 'leder'] },
  'GET /api/adherence/followup': { roles: ['laeringsnettverksleder', 'leder'] },
  'GET /api/adherence/statutory-compliance': { roles: ['laeringsnettverksleder', 'leder'] },
  'GET /api/adherence/statutory-risk': { roles: ['leder'] },
  // Every placement of the own service with its statutory status for a year (case numbers logged as a
  // listing): those who see the service's placements; a learning-network lead has the aggregates above.
  'GET /api/statutory-status': { roles: CASE_ROLES },
  // The council report: the service's leader (draft, sign-off), its network's lead (released only).
  'GET /api/council-reports': { roles: ['leder', 'laeringsnettverksleder'] },
  'GET /api/council-reports/report.pdf': { roles: ['leder', 'laeringsnettverksleder'] },
  'GET /api/council-reports/report.csv': { roles: ['leder', 'laeringsnettverksleder'] },
  'POST /api/council-reports/sign-off': { roles: ['leder'] },

  // Kompetansebase assignments (issue 17): a service's caseworkers and leaders order from their network's
  // base and see their own orders; the base's staff (the base of their `network` claim) see its queue
  // and assignments, its leader decides on orders, its counsellors complete steps. Checked by the service
  // on the assignment's base and ordering service (404 otherwise, logged).
  'POST /api/kompetansebase/orders': { roles: CASE_ROLES },
  'GET /api/kompetansebase/queue': { roles: KOMPETANSEBASE_ROLES },
  // Aggregates only (orders carry no child's data): the base's leader, exact; the network's lead, one
  // whole quarter with small cells suppressed.
  'GET /api/kompetansebase/adherence': { roles: ['kompetansebase-leder', 'laeringsnettverksleder'] },
  'GET /api/kompetansebase/assignments': { roles: [...CASE_ROLES, ...KOMPETANSEBASE_ROLES] },
  'GET /api/kompetansebase/assignments/{assignmentId}': { roles: [...CASE_ROLES, ...KOMPETANSEBASE_ROLES] },
  // What became of a command on an assignment that answered 202: for those who may see the assignment.
  'GET /api/kompetansebase/assignments/{assignmentId}/commands/{commandId}': {
    roles: [...CASE_ROLES, ...KOMPETANSEBASE_ROLES],
  },
  'POST /api/kompetansebase/assignments/{assignmentId}/accept': { roles: ['kompetansebase-leder'] },
  'POST /api/kompetansebase/assignments/{assignmentId}/decline': { roles: ['kompetansebase-leder'] },
  'POST /api/kompetansebase/assignments/{assignmentId}/wait': { roles: ['kompetansebase-leder'] },
  'POST /api/kompetansebase/assignments/{assignmentId}/tasks/{taskId}/complete': {
    roles: KOMPETANSEBASE_ROLES,
  },

  // The inbox: a care package's tasks and a kompetansebase base's (its staff see their base's only).
  'GET /api/tasks': { roles: [...TASK_ROLES, ...KOMPETANSEBASE_ROLES] },
  // Counts per inbox view over the same visible tasks: numbers only, no child.
  'GET /api/tasks/counts': { roles: [...TASK_ROLES, ...KOMPETANSEBASE_ROLES] },
  'GET /api/tasks/{placementId}/{taskId}': { roles: TASK_ROLES, action: 'task:read', resource: 'task' },
  // Who a task can be given to (staff names and roles): for those who may reassign it; logged as a read.
  'GET /api/tasks/{placementId}/{taskId}/assignees': {
    roles: TASK_ROLES,
    action: 'task:reassign',
    resource: 'task',
  },

  // What became of a command that answered 202: readable by those who may read the placement.
  'GET /api/placements/{placementId}/commands/{commandId}': {
    roles: CASE_ROLES,
    action: 'placement:read',
    resource: 'placement',
  },
  // The placements list: exactly those `placement:read` allows (visiblePlacementsSql), logged per page.
  'GET /api/placements': { roles: CASE_ROLES },
  'GET /api/placements/{placementId}': { roles: CASE_ROLES, action: 'placement:read', resource: 'placement' },
  'GET /api/placements/{placementId}/timeline': {
    roles: CASE_ROLES,
    action: 'placement:read',
    resource: 'placement',
  },
  'GET /api/placements/{placementId}/ledger': {
    roles: CASE_ROLES,
    action: 'placement:read',
    resource: 'placement',
  },
  'POST /api/placements': { roles: CASE_ROLES },
  // Existing placements from a CSV file: each row a registration as POST /api/placements (same roles).
  'POST /api/imports/placements': { roles: CASE_ROLES },
  'POST /api/placements/{placementId}/pause': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/resume': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/end': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  // Annulling a placement registered by mistake takes it out of the figures: a leader's decision.
  'POST /api/placements/{placementId}/annul': {
    roles: ['leder'],
    action: 'placement:write',
    resource: 'placement',
  },

  'POST /api/placements/{placementId}/change': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/change/preview': {
    roles: CASE_ROLES,
    action: 'placement:read',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/reductions': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/ad-hoc-tasks': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/tasks/{placementId}/{taskId}/unclaim': {
    roles: TASK_ROLES,
    action: 'task:act',
    resource: 'task',
  },
  'POST /api/tasks/{placementId}/{taskId}/complete': {
    roles: TASK_ROLES,
    action: 'task:act',
    resource: 'task',
  },
  'POST /api/tasks/{placementId}/{taskId}/waive': { roles: TASK_ROLES, action: 'task:act', resource: 'task' },
  // A waiver of a step that needs a leader's co-signature: asked for by the service (with a coded reason
  // and a justification, encrypted), co-signed or declined by another of its leaders; the justification
  // is read on demand (logged); the open requests are listed for the service's caseworkers and leaders.
  'POST /api/tasks/{placementId}/{taskId}/waiver-request': {
    roles: CASE_ROLES,
    action: 'task:request-waiver',
    resource: 'task',
  },
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/cosign': {
    roles: ['leder'],
    action: 'task:cosign-waiver',
    resource: 'task',
  },
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/decline': {
    roles: ['leder'],
    action: 'task:cosign-waiver',
    resource: 'task',
  },
  'GET /api/tasks/{placementId}/{taskId}/waiver': {
    roles: CASE_ROLES,
    action: 'task:read',
    resource: 'task',
  },
  'GET /api/waiver-requests': { roles: CASE_ROLES },
  'POST /api/tasks/{placementId}/{taskId}/claim': { roles: TASK_ROLES, action: 'task:act', resource: 'task' },
  'POST /api/tasks/{placementId}/{taskId}/reassign': {
    roles: TASK_ROLES,
    action: 'task:reassign',
    resource: 'task',
  },

  'GET /api/placements/{placementId}/personal-data': {
    roles: CASE_ROLES,
    action: 'placement:read',
    resource: 'placement',
  },
  'PUT /api/placements/{placementId}/personal-data': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },
  'POST /api/placements/{placementId}/personal-data/purge': {
    roles: ['leder'],
    action: 'placement:purge',
    resource: 'placement',
  },
  'GET /api/tasks/{placementId}/{taskId}/notes': { roles: TASK_ROLES, action: 'task:read', resource: 'task' },
  // The foster family's contact details (nothing else of the child's data) for whoever works on one of
  // the placement's tasks: the foster-home resource, supervisor and Bufetat see only their roles' tasks.
  'GET /api/tasks/{placementId}/{taskId}/foster-family': {
    roles: TASK_ROLES,
    action: 'task:read',
    resource: 'task',
  },
  'POST /api/tasks/{placementId}/{taskId}/notes': {
    roles: TASK_ROLES,
    action: 'task:act',
    resource: 'task',
  },

  // The service's own case number: its caseworkers and leaders correct it (logged with the write).
  'PUT /api/placements/{placementId}/case-number': {
    roles: CASE_ROLES,
    action: 'placement:write',
    resource: 'placement',
  },

  'GET /api/placements/{placementId}/access-log': {
    roles: ['leder'],
    action: 'placement:access-log',
    resource: 'placement',
  },
};

/** `GET /api/tasks/:placementId/:taskId` (Express) → `GET /api/tasks/{placementId}/{taskId}`. */
export const routeKey = (method: string, expressPath: string) =>
  `${method.toUpperCase()} ${expressPath.replace(/:(\w+)/g, '{$1}')}`;
