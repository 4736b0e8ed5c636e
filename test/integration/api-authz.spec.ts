import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import { DEVELOPMENT_KEY, PersonalDataStore } from '../../libs/personal-data/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import {
  DEMO_MUNICIPALITIES,
  DEMO_NETWORK,
  DEMO_SERVICES,
  DEMO_USERS,
  ROUTE_POLICIES,
  type RoutePolicy,
} from '../../libs/security/index.js';
import { seedPlacement, projectAll, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * The authorisation matrix, generated from the OpenAPI document: every route × every demo user (one per
 * role, plus a second service) and anonymous × {own child, another child of the same service, a child of
 * another service}. The role gate comes from the declarative policy table (libs/security/policy.ts); the
 * expected answers on a child's data are written out below. A route in the document without a policy
 * fails; so does a policy without a route. The document is also the exported docs/openapi.json
 * (UPDATE_OPENAPI=1 rewrites it).
 */

type Relation = 'own' | 'same' | 'other';
const RELATIONS: readonly Relation[] = ['own', 'same', 'other'];
type Triple = readonly [own: number, same: number, other: number];

/** Expected answers on a child's data, per user that passes the route's role gate. */
const EXPECTED: Record<
  'task' | 'taskAct' | 'taskReassign' | 'placement' | 'accessLog' | 'purge',
  Record<string, Triple>
> = {
  task: {
    'demo-kontaktperson': [200, 200, 404],
    'demo-kontaktperson-2': [200, 200, 404],
    'demo-leder': [200, 200, 404],
    'demo-tilsynsforer': [200, 404, 404],
    // The other service is in the same learning network.
    'demo-fosterhjemsressurs': [200, 404, 200],
    'demo-bufetat': [200, 404, 404],
    'demo-sorvik-kontaktperson': [200, 200, 404],
    'demo-sorvik-leder': [200, 200, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-kontaktperson': [404, 404, 404],
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-kontaktperson': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    // Another region's service (Finnmark): none of these children is theirs.
    'demo-finnmark-kontaktperson': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
  /** complete, waive, claim: one's own tasks and one's role pool; a leader all of the service. */
  taskAct: {
    'demo-kontaktperson': [200, 403, 404],
    'demo-kontaktperson-2': [200, 403, 404],
    'demo-leder': [200, 200, 404],
    'demo-tilsynsforer': [200, 404, 404],
    'demo-fosterhjemsressurs': [200, 404, 200],
    'demo-bufetat': [200, 404, 404],
    'demo-sorvik-kontaktperson': [200, 403, 404],
    'demo-sorvik-leder': [200, 200, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-kontaktperson': [404, 404, 404],
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-kontaktperson': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    // Another region's service (Finnmark): none of these children is theirs.
    'demo-finnmark-kontaktperson': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
  /** Hand a task on: a service's leaders and caseworkers, and whoever holds it or its pool (to a colleague). */
  taskReassign: {
    'demo-kontaktperson': [200, 200, 404],
    'demo-kontaktperson-2': [200, 200, 404],
    'demo-leder': [200, 200, 404],
    'demo-tilsynsforer': [200, 404, 404],
    'demo-fosterhjemsressurs': [200, 404, 200],
    'demo-bufetat': [200, 404, 404],
    'demo-sorvik-kontaktperson': [200, 200, 404],
    'demo-sorvik-leder': [200, 200, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-kontaktperson': [404, 404, 404],
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-kontaktperson': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    // Another region's service (Finnmark): none of these children is theirs.
    'demo-finnmark-kontaktperson': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
  /** Read and write (pause, resume, end) alike. */
  placement: {
    'demo-kontaktperson': [200, 200, 404],
    'demo-kontaktperson-2': [200, 200, 404],
    'demo-leder': [200, 200, 404],
    'demo-sorvik-kontaktperson': [200, 200, 404],
    'demo-sorvik-leder': [200, 200, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-kontaktperson': [404, 404, 404],
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-kontaktperson': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    // Another region's service (Finnmark): none of these children is theirs.
    'demo-finnmark-kontaktperson': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
  accessLog: {
    'demo-leder': [200, 200, 404],
    'demo-sorvik-leder': [200, 200, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
  /** Allowed, and then refused because the placements have not ended (the retention period). */
  purge: {
    'demo-leder': [409, 409, 404],
    'demo-sorvik-leder': [409, 409, 404],
    // The other demo learning network's services: none of these children is theirs.
    'demo-vestby-leder': [404, 404, 404],
    'demo-elvdal-leder': [404, 404, 404],
    'demo-finnmark-leder': [404, 404, 404],
  },
};

/** Routes that answer an allowed call with another success status than 200. */
const SUCCESS: Record<string, number> = {
  'POST /api/catalogs': 201,
  'PUT /api/placements/{placementId}/personal-data': 204,
  'PUT /api/placements/{placementId}/case-number': 204,
  'POST /api/tasks/{placementId}/{taskId}/notes': 201,
  'POST /api/me/calendar-feed': 201,
  'DELETE /api/me/calendar-feed': 204,
};

/**
 * Routes whose allowed calls need the Temporal server (every command, the probes, readiness): their
 * allowed cases run in test/e2e; their 401/403/404 cases are decided before Temporal and run here.
 */
const needsTemporal = (key: string) =>
  key === 'GET /health/ready' ||
  key === 'GET /api/placements/{placementId}/commands/{commandId}' ||
  (key.startsWith('POST ') &&
    !key.startsWith('POST /api/reference/') &&
    ![
      'POST /api/dev/tokens',
      'POST /api/catalogs',
      'POST /api/catalogs/dry-run',
      'POST /api/tasks/{placementId}/{taskId}/notes',
      'POST /api/placements/{placementId}/personal-data/purge',
      'POST /api/me/calendar-feed',
    ].includes(key));

/** Nordby's council report for last year (a year that has ended, whatever the day). */
const COUNCIL_YEAR = new Date().getUTCFullYear() - 1;
const COUNCIL_QUERY = `?municipality=${DEMO_MUNICIPALITIES.nordby}&year=${COUNCIL_YEAR}`;

/** Query strings a route needs to pass validation. */
const QUERIES: Record<string, string> = {
  // A learning-network lead asks for one published calendar quarter.
  'GET /api/adherence/report': '?from=2026-01-01&to=2026-03-31&by=service',
  'GET /api/adherence/milestones': '?from=2025-01-01&to=2025-03-31&by=service',
  'GET /api/adherence/followup': '?from=2025-01-01&to=2025-03-31&by=service',
  'GET /api/kompetansebase/adherence': '?from=2026-01-01&to=2026-03-31',
  ...Object.fromEntries(
    ['', '/report.pdf', '/report.csv'].map((r) => [`GET /api/council-reports${r}`, COUNCIL_QUERY]),
  ),
};

/** Path parameters other than the placement and task: an existing value. */
const PARAMS: Record<string, string> = { version: '2026.1', code: 'finnmark' };

/** Finnmark's data file: loaded before the matrix (its users' region), and loaded again by the admin. */
const FINNMARK = JSON.parse(
  readFileSync(new URL('../../data/regions/finnmark.json', import.meta.url), 'utf8'),
) as object;

/** A municipality in no service, for the one allowed `POST /api/reference/services` (the admin's). */
const FREE_MUNICIPALITY = '0f7e5c1a-9d2b-4e3f-8a6b-5c4d3e2f1a99';

/**
 * A valid body for each route that takes one, so that validation passes and access decides (a function
 * for a fresh body each call: a case number is unique in its service).
 */
const BODIES: Record<string, object | (() => object)> = {
  'POST /api/dev/tokens': { userId: 'demo-leder' },
  'PUT /api/me/notification-settings': { digest: 'daily' },
  'POST /api/catalogs': { catalog: { ...DEFAULT_CATALOG, version: '2026.5' } },
  'POST /api/catalogs/dry-run': { catalog: { ...DEFAULT_CATALOG, version: '2026.6' } },
  'PUT /api/placements/{placementId}/personal-data': {
    child: { name: 'Barn Testesen' },
    parents: [],
    fosterFamily: [],
  },
  'POST /api/tasks/{placementId}/{taskId}/notes': { text: 'Notat' },
  'PUT /api/placements/{placementId}/case-number': () => ({ caseNumber: `M-${randomUUID().slice(0, 8)}` }),
  'POST /api/placements': placementRequestBody('2026-07-01'),
  'POST /api/placements/{placementId}/pause': { reason: 'annet', from: '2026-07-01' },
  'POST /api/placements/{placementId}/resume': { on: '2026-07-02' },
  'POST /api/placements/{placementId}/end': { reason: 'planlagt', endedOn: '2026-07-03' },
  'POST /api/tasks/{placementId}/{taskId}/complete': { outcome: 'gjennomfort', completedOn: '2026-07-01' },
  'POST /api/tasks/{placementId}/{taskId}/waive': { reason: 'barnet-onsker-ikke' },
  'POST /api/tasks/{placementId}/{taskId}/reassign': { assigneeId: null },
  'POST /api/tasks/{placementId}/{taskId}/waiver-request': {
    reason: 'barnet-onsker-ikke',
    justification: 'En begrunnelse for frafallet.',
  },
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/cosign': { requestId: randomUUID() },
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/decline': {
    requestId: randomUUID(),
    reason: 'Nei.',
  },
  'POST /api/placements/{placementId}/change': { placementDate: '2026-06-15', expectedVersion: 3 },
  'POST /api/placements/{placementId}/reductions': {
    kind: 'tilsynsbesok',
    minimumPerYear: 2,
    effectiveFrom: '2027-01-01',
  },
  'POST /api/placements/{placementId}/ad-hoc-tasks': { stepId: 'oppfolgingsbesok', dueOn: '2026-09-01' },
  'POST /api/council-reports/sign-off': () => ({
    municipality: DEMO_MUNICIPALITIES.nordby,
    year: COUNCIL_YEAR,
    asOf: new Date().toISOString(),
  }),
  'PUT /api/reference/regions/{code}': FINNMARK,
  'POST /api/reference/networks': { name: 'Matrisenettverket' },
  'PUT /api/reference/networks/{networkId}': { name: 'Matrisenettverket 2' },
  'POST /api/reference/services': {
    name: 'Matrisetjenesten',
    hostMunicipalityId: FREE_MUNICIPALITY,
    memberMunicipalityIds: [FREE_MUNICIPALITY],
    networkId: null,
  },
  'PUT /api/reference/services/{serviceId}/closure-days': { days: [{ date: '2026-12-28' }] },
  'POST /api/people': () => ({
    name: 'Matrise Person',
    userName: `matrise-${randomUUID()}@nordby.example`,
    email: null,
    serviceId: DEMO_SERVICES.nordby,
    roles: ['kontaktperson'],
  }),
  'POST /api/kompetansebase/orders': {
    requestType: 'veiledning-fosterforeldre',
    urgency: 'vanlig',
    caseNumber: 'K-1',
    goal: 'Mål',
    planReference: 'Tiltaksplan 1',
  },
  'POST /api/kompetansebase/assignments/{assignmentId}/decline': { reason: 'kapasitet' },
  'POST /api/kompetansebase/assignments/{assignmentId}/wait': { reason: 'avklaring' },
  'POST /api/kompetansebase/assignments/{assignmentId}/tasks/{taskId}/complete': {
    completedOn: '2026-07-01',
  },
  'PUT /api/people/{personId}': {
    name: 'Matrise Person',
    userName: 'matrise@nordby.example',
    email: null,
    roles: ['kontaktperson'],
    active: true,
  },
  'PUT /api/reference/services/{serviceId}': {
    name: 'Matrisetjenesten 2',
    hostMunicipalityId: FREE_MUNICIPALITY,
    memberMunicipalityIds: [FREE_MUNICIPALITY],
    networkId: null,
  },
};

describe('authorisation matrix from the OpenAPI document', () => {
  let api: TestApi;
  let doc: OpenAPIObject;
  const target: Record<string, Record<Relation, { placementId: string; taskId: string }>> = {};

  beforeAll(async () => {
    api = await startTestApi();
    const loaded = await request(api.server)
      .put('/api/reference/regions/finnmark')
      .set('Authorization', `Bearer ${await api.token('demo-admin')}`)
      .send(FINNMARK);
    expect(loaded.status).toBe(200);
    const world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    const sorvik2 = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.sorvik,
      bufetatHelp: false,
      tasks: [{ taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-10-01' }],
    });
    await projectAll(api.db);
    // Every placement has personal details, so that reading them is decided by access alone.
    const store = new PersonalDataStore(api.db.dataSource, DEVELOPMENT_KEY);
    for (const placement of [world.nordbyHelped, world.nordbyPlain, world.sorvik, sorvik2])
      await api.db.dataSource.transaction((m) =>
        store.putDetails(
          m,
          placement.childRef,
          placement.serviceId,
          { child: { name: 'Barn' }, parents: [], fosterFamily: [] },
          { userId: 'seed', role: 'leder' },
        ),
      );
    await api.db.dataSource.query(
      `INSERT INTO municipalities (id, number, name) VALUES ($1, '9999', 'Matriseby (test)')`,
      [FREE_MUNICIPALITY],
    );
    const { openApiDocument } = await import('../../apps/api/bootstrap.js');
    doc = openApiDocument(api.app);

    const t = (placementId: string, taskId: string) => ({ placementId, taskId });
    const h = world.nordbyHelped.placementId;
    const p = world.nordbyPlain.placementId;
    const s = world.sorvik.placementId;
    const task: Record<string, Record<Relation, { placementId: string; taskId: string }>> = {
      'demo-kontaktperson': { own: t(h, 'samtale#1'), same: t(h, 'samtale#2'), other: t(s, 'samtale#1') },
      'demo-kontaktperson-2': { own: t(h, 'samtale#2'), same: t(h, 'samtale#1'), other: t(s, 'samtale#2') },
      'demo-leder': { own: t(h, 'leder#1'), same: t(p, 'samtale#1'), other: t(s, 'leder#1') },
      'demo-tilsynsforer': { own: t(h, 'tilsyn#1'), same: t(h, 'tilsyn#2'), other: t(s, 'tilsyn#1') },
      'demo-fosterhjemsressurs': { own: t(h, 'fhr#1'), same: t(h, 'fhr#2'), other: t(s, 'fhr#1') },
      'demo-bufetat': { own: t(h, 'bufetat#1'), same: t(p, 'bufetat#1'), other: t(s, 'bufetat#1') },
      'demo-sorvik-kontaktperson': {
        own: t(s, 'samtale#1'),
        same: t(s, 'samtale#2'),
        other: t(h, 'samtale#1'),
      },
      'demo-sorvik-leder': {
        own: t(s, 'leder#1'),
        same: t(sorvik2.placementId, 'samtale#1'),
        other: t(h, 'leder#1'),
      },
    };
    for (const user of DEMO_USERS) {
      const sorvikUser = user.organisation === DEMO_SERVICES.sorvik;
      target[user.userId] = task[user.userId] ?? {
        own: t(sorvikUser ? s : h, 'samtale#1'),
        same: t(sorvikUser ? sorvik2.placementId : p, 'samtale#1'),
        other: t(sorvikUser ? h : s, 'samtale#1'),
      };
    }
  });
  afterAll(() => api?.close());

  const routes = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const)
        .filter((m) => item[m])
        .map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m, path })),
    );

  it('has a policy for every route in the document, and a route for every policy', () => {
    const keys = routes().map((r) => r.key);
    expect(keys.filter((k) => !ROUTE_POLICIES[k])).toEqual([]);
    expect(Object.keys(ROUTE_POLICIES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('is the exported docs/openapi.json', () => {
    const file = new URL('../../docs/openapi.json', import.meta.url);
    const text = JSON.stringify(doc, null, 2) + '\n';
    if (process.env.UPDATE_OPENAPI === '1' || !existsSync(file)) writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  function expected(
    policy: RoutePolicy,
    key: string,
    userId: string | null,
    relation: Relation,
  ): number[] | null {
    if (policy.public) return null; // anything but 401/403
    if (userId === null) return [401];
    const user = DEMO_USERS.find((u) => u.userId === userId)!;
    if (!policy.roles.some((r) => user.roles.includes(r))) return [403];
    const at = RELATIONS.indexOf(relation);
    const lookup = (table: Record<string, Triple>) => {
      const triple = table[userId];
      if (!triple) throw new Error(`no expectation for ${userId} on ${key}`);
      // No waiver was ever asked for in this world: an allowed read of one finds none (404).
      if (triple[at] === 200 && key === 'GET /api/tasks/{placementId}/{taskId}/waiver') return [404];
      return [triple[at] === 200 ? (SUCCESS[key] ?? 200) : triple[at]];
    };
    if (policy.resource === 'task') {
      if (policy.action === 'task:act') return lookup(EXPECTED.taskAct);
      if (policy.action === 'task:reassign') return lookup(EXPECTED.taskReassign);
      return lookup(EXPECTED.task);
    }
    if (policy.resource === 'placement') {
      if (key.endsWith('/access-log')) return lookup(EXPECTED.accessLog);
      return lookup(key.endsWith('/purge') ? EXPECTED.purge : EXPECTED.placement);
    }
    if (key === 'GET /api/system/probes/{probeId}') return [404];
    // Reference data: a random id is unknown; the one create (the admin's) succeeds; a region's file
    // loaded again changes nothing.
    if (key === 'PUT /api/reference/regions/{code}') return [200];
    if (key.startsWith('PUT /api/reference/')) return [404];
    if (key === 'GET /api/reference/services/{serviceId}/closure-days') return [404];
    if (key.startsWith('POST /api/reference/')) return [201];
    // People: a random person id is unknown; an added person is created.
    if (key === 'PUT /api/people/{personId}') return [404];
    if (key === 'POST /api/people') return [201];
    // Nordby's council report: Nordby's leader (draft, sign-off); the network's lead once it is signed
    // off (404 before); every other service's leader and network's lead are refused.
    if (key.startsWith('GET /api/council-reports') || key === 'POST /api/council-reports/sign-off') {
      if (user.roles.includes('leder') && user.organisation === DEMO_SERVICES.nordby) return [200];
      if (key.startsWith('GET ') && user.network === DEMO_NETWORK) return [200, 404];
      return [403];
    }
    // A kompetansebase's adherence: Finnmark's networks (loaded from its file) have no base.
    if (key === 'GET /api/kompetansebase/adherence')
      return [user.userId === 'demo-finnmark-nettverksleder' ? 404 : 200];
    // Kompetansebase: a random assignment id is unknown to everyone who passes the role gate.
    if (
      key.startsWith('GET /api/kompetansebase/assignments/') ||
      key.startsWith('POST /api/kompetansebase/assignments/')
    )
      return [404];
    return [SUCCESS[key] ?? 200];
  }

  it('answers every role × route × relation as the policy says', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const route of routes()) {
      const policy = ROUTE_POLICIES[route.key];
      const relational = route.path.includes('{placementId}');
      for (const userId of [null, ...DEMO_USERS.map((u) => u.userId)]) {
        for (const relation of relational ? RELATIONS : (['own'] as const)) {
          const want = expected(policy, route.key, userId, relation);
          if (needsTemporal(route.key) && (want === null || want[0] === 200)) continue;
          const where = userId ? target[userId][relation] : target['demo-leder'][relation];
          const url = route.path
            .replace('{placementId}', where.placementId)
            .replace('{taskId}', encodeURIComponent(where.taskId))
            .replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? randomUUID());
          let req = request(api.server)
            [route.method](url + (QUERIES[route.key] ?? ''))
            .set('Idempotency-Key', randomUUID());
          const body = BODIES[route.key];
          if (body) req = req.send(typeof body === 'function' ? body() : body);
          if (route.method === 'post') req = req.set('Idempotency-Key', randomUUID());
          if (userId) req = req.set('Authorization', `Bearer ${await api.token(userId)}`);
          const res = await req;
          cases += 1;
          const ok = want === null ? ![401, 403].includes(res.status) : want.includes(res.status);
          if (!ok)
            failures.push(
              `${route.key} as ${userId ?? 'anonymous'} (${relation}): ${res.status}, want ${want?.join('|') ?? 'not 401/403'}`,
            );
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(250);
  });
});
