import type { Role } from '../domain/vocabulary.js';
import type { Principal } from './principal.js';

/*
 * The one access function. Default deny: a role grants nothing unless a rule below says so.
 * Two questions, in order:
 *   1. May the principal know the resource exists? (role × owning service × assignment) No: `hidden`,
 *      answered 404 exactly like a resource that does not exist.
 *   2. May the principal do this action on it? No: `forbidden` (403).
 */

export type Action =
  | 'placement:read'
  | 'placement:write'
  | 'placement:access-log'
  | 'placement:purge'
  | 'task:read'
  | 'task:act'
  | 'task:reassign'
  | 'task:change-role'
  | 'task:request-waiver'
  | 'task:cosign-waiver';

export const ACTIONS: readonly Action[] = [
  'placement:read',
  'placement:write',
  'placement:access-log',
  'placement:purge',
  'task:read',
  'task:act',
  'task:reassign',
  'task:change-role',
  'task:request-waiver',
  'task:cosign-waiver',
];

export interface PlacementResource {
  readonly kind: 'placement';
  readonly serviceId: string;
  readonly childRef: string;
  /** The service asked Bufetat for help with this placement. */
  readonly bufetatHelp: boolean;
}

export interface TaskResource {
  readonly kind: 'task';
  /** The owning service of a placement's task; null for a kompetansebase assignment's task. */
  readonly serviceId: string | null;
  readonly childRef: string;
  readonly bufetatHelp: boolean;
  /** The role whose pool the task is in. */
  readonly role: string;
  /** null: in the role's shared pool. */
  readonly assigneeId: string | null;
  /**
   * A kompetansebase assignment's task (issue 17): the learning network of the base that works it. Only
   * that base's staff see it (its leader all of them, its counsellors their role's); the ordering
   * service does not (it follows the assignment on its own pages). Absent for a placement's task.
   */
  readonly baseNetwork?: string;
}

export type Resource = PlacementResource | TaskResource;

export type Decision = 'allow' | 'forbidden' | 'hidden';

/** The principal with the services it may see (its own, plus its learning network's for some roles). */
export interface Scoped extends Principal {
  /** Services of the principal's learning network (resolved from reference data), may be empty. */
  readonly networkServices: readonly string[];
  /**
   * The region (id) the principal works in: its service's, else its learning network's (resolved from
   * reference data); absent for organisations that are neither (e.g. Bufetat's region office).
   */
  readonly region?: string;
  /**
   * For a Bufetat region office: the services of the regions it serves (`regions.bufetat_office`,
   * resolved from reference data). Bufetat works by region: it sees a placement it was asked to help
   * with only in these services. Absent or empty: none.
   */
  readonly bufetatServices?: readonly string[];
}

const has = (p: Principal, role: Role) => p.roles.includes(role);

/** Assigned to the principal, or in the shared pool of one of its roles. */
const mineOrPool = (p: Principal, t: TaskResource) =>
  t.assigneeId === p.userId || (t.assigneeId === null && (p.roles as readonly string[]).includes(t.role));

/** A kompetansebase assignment's task: its base's leader sees all, its counsellors their role's pool. */
function seesAssignmentTask(p: Scoped, r: TaskResource): boolean {
  if (p.network === undefined || p.network !== r.baseNetwork) return false;
  return has(p, 'kompetansebase-leder') || (has(p, 'kompetansebase-veileder') && mineOrPool(p, r));
}

function sees(p: Scoped, r: Resource): boolean {
  if (r.kind === 'task' && r.baseNetwork !== undefined) return seesAssignmentTask(p, r);
  const own = r.serviceId === p.organisation;
  if (own && (has(p, 'leder') || has(p, 'kontaktperson'))) return true;
  if (r.kind !== 'task') return false;
  if (own && has(p, 'tilsynsforer') && r.role === 'tilsynsforer' && mineOrPool(p, r)) return true;
  if (
    has(p, 'fosterhjemsressurs') &&
    (own || (r.serviceId !== null && p.networkServices.includes(r.serviceId))) &&
    r.role === 'fosterhjemsressurs' &&
    mineOrPool(p, r)
  )
    return true;
  if (
    has(p, 'bufetat') &&
    r.bufetatHelp &&
    r.serviceId !== null &&
    (p.bufetatServices ?? []).includes(r.serviceId) &&
    r.role === 'bufetat' &&
    mineOrPool(p, r)
  )
    return true;
  return false;
}

function allows(p: Scoped, action: Action, r: Resource): boolean {
  // An assignment's task is read here (the inbox, the calendar feed) and acted on through the
  // kompetansebase routes, which check the base themselves.
  if (r.kind === 'task' && r.baseNetwork !== undefined) return action === 'task:read';
  const own = r.serviceId === p.organisation;
  const lead = own && has(p, 'leder');
  const caseworker = own && has(p, 'kontaktperson');
  switch (action) {
    case 'placement:read':
    case 'placement:write':
      return r.kind === 'placement' && (lead || caseworker);
    case 'placement:access-log':
    case 'placement:purge':
      return r.kind === 'placement' && lead;
    case 'task:read':
      return r.kind === 'task';
    case 'task:act':
      // Everyone who sees a task through its assignment may act on it; caseworkers on their own tasks.
      return r.kind === 'task' && (lead || mineOrPool(p, r));
    case 'task:reassign':
      // Leaders and caseworkers of the service; and whoever holds a task (or its pool) may hand it on
      // to a colleague in the same role.
      return r.kind === 'task' && (lead || caseworker || mineOrPool(p, r));
    case 'task:change-role':
      // Moving a task to another role's pool is the service's decision.
      return r.kind === 'task' && (lead || caseworker);
    case 'task:request-waiver':
      // Asking for a statutory step to be waived is the service's: its caseworkers and leaders.
      return r.kind === 'task' && (lead || caseworker);
    case 'task:cosign-waiver':
      // Co-signing (or declining) a waiver: the owning service's leaders (four eyes: the package
      // refuses one's own request).
      return r.kind === 'task' && lead;
  }
}

export function can(principal: Scoped, action: Action, resource: Resource): Decision {
  if (!sees(principal, resource)) return 'hidden';
  return allows(principal, action, resource) ? 'allow' : 'forbidden';
}

/**
 * Whether a task (as `task` describes it, with the role it is to be in) can be given to `person`: they
 * hold its role and, once it is theirs, may act on it. Who the task can be reassigned to
 * (GET /api/tasks/{placementId}/{taskId}/assignees, and the check before a reassignment).
 */
export function mayBeGiven(person: Scoped, task: TaskResource): boolean {
  return (
    (person.roles as readonly string[]).includes(task.role) &&
    can(person, 'task:act', { ...task, assigneeId: person.userId }) === 'allow'
  );
}

/**
 * The inbox filter: the SQL twin of `sees` for tasks (table alias `t` over the view `inbox_tasks`,
 * placement facts alias `s`).
 * Appends its parameters to `params`. Tested against `can` in test/integration/api-read.spec.ts.
 */
export function visibleTasksSql(p: Scoped, params: unknown[]): string {
  const arg = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // `sees` asks for the task's role first, then mine-or-pool: stated that way, the role leads the
  // condition, and the inbox reads task_inbox_role_due_idx in due order (migration 1764420000000).
  const mineOrPoolSql = (role: string) =>
    `(t.role = ${arg(role)} AND (t.assignee_id = ${arg(p.userId)} OR t.assignee_id IS NULL))`;
  const own = () => `t.service_id = ${arg(p.organisation)}::uuid`;
  const clauses: string[] = [];
  if (has(p, 'leder') || has(p, 'kontaktperson')) clauses.push(own());
  if (has(p, 'tilsynsforer')) clauses.push(`(${own()} AND ${mineOrPoolSql('tilsynsforer')})`);
  if (has(p, 'fosterhjemsressurs')) {
    const services = [p.organisation, ...p.networkServices];
    clauses.push(`(t.service_id = ANY(${arg(services)}::uuid[]) AND ${mineOrPoolSql('fosterhjemsressurs')})`);
  }
  if (has(p, 'bufetat') && (p.bufetatServices ?? []).length > 0)
    clauses.push(
      `(s.bufetat_help AND t.service_id = ANY(${arg(p.bufetatServices)}::uuid[]) AND ${mineOrPoolSql('bufetat')})`,
    );
  // A kompetansebase assignment's tasks (service_id null, so none of the above matches them): the base
  // of the principal's network.
  if (p.network !== undefined) {
    const base = () => `t.network_id::text = ${arg(p.network)}`;
    if (has(p, 'kompetansebase-leder')) clauses.push(`(t.case_kind = 'kompetansebase' AND ${base()})`);
    else if (has(p, 'kompetansebase-veileder'))
      clauses.push(
        `(t.case_kind = 'kompetansebase' AND ${base()} AND ${mineOrPoolSql('kompetansebase-veileder')})`,
      );
  }
  return clauses.length ? `(${clauses.join(' OR ')})` : 'false';
}

/**
 * The placements list's filter: the SQL twin of `can(p, 'placement:read', placement)` (table alias `pl`
 * over `placements`): the owning service's leaders and caseworkers. Appends its parameters to `params`.
 * Tested against GET /api/placements/{id} in test/integration/api-placements-list.spec.ts.
 */
export function visiblePlacementsSql(p: Scoped, params: unknown[]): string {
  if (!has(p, 'leder') && !has(p, 'kontaktperson')) return 'false';
  params.push(p.organisation);
  return `pl.service_id = $${params.length}::uuid`;
}
