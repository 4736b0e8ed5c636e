import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';
import { FNR, isProblem, NAME, snapshotOf } from '../support/bad-input.js';

/*
 * Bad input, random and planted: only 4xx application/problem+json, no stack trace, no planted national
 * id number or name in an error body, and no change in the database (test/support/bad-input.ts). The
 * refusals one by one and the limits: api-input-refusals.spec.ts; the logs: api-input-logs.spec.ts;
 * bokmål: api-input-bokmal.spec.ts.
 */
const INBOX_KEYS = [
  'status',
  'dueFrom',
  'dueTo',
  'track',
  'role',
  'assignee',
  'placementId',
  'limit',
  'cursor',
];

describe('bad input and limits', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  let token: string;

  const snapshot = () => snapshotOf(api);

  beforeAll(async () => {
    api = await startTestApi();
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    token = await api.token('demo-leder');
  });
  afterAll(() => api?.close());

  it('inbox: random filters answer 4xx problem+json and change nothing', async () => {
    const before = await snapshot();
    const junk = fc.oneof(fc.string(), fc.constant(FNR), fc.constant(NAME), fc.constant('__proto__'));
    const query = fc.oneof(
      // An unknown parameter among known ones.
      fc.record({
        unknown: fc.tuple(
          fc.string({ minLength: 1 }).filter((k) => !INBOX_KEYS.includes(k)),
          junk,
        ),
        known: fc.dictionary(fc.constantFrom(...INBOX_KEYS.slice(0, 5)), fc.constantFrom('x', FNR)),
      }),
      // A known parameter with a bad value.
      fc.record({
        unknown: fc.constant(null),
        known: fc.dictionary(
          fc.constantFrom('status', 'dueFrom', 'track', 'role', 'placementId', 'limit', 'cursor'),
          junk,
          {
            minKeys: 1,
          },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(query, async ({ unknown, known }) => {
        const params = new URLSearchParams(known);
        if (unknown) params.append(unknown[0], unknown[1]);
        const res = await request(api.server)
          .get(`/api/tasks?${params.toString()}`)
          .set('Authorization', `Bearer ${token}`);
        isProblem(res);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('object-prototype names as fields are refused, not silently dropped', async () => {
    const before = await snapshot();
    // Inherited names too: class-validator's whitelist found `valueOf` on its own metadata object (fuzzing).
    for (const key of ['__proto__', 'constructor', 'prototype', 'valueOf', 'toString', 'hasOwnProperty']) {
      const query = await request(api.server)
        .get(`/api/tasks?${new URLSearchParams({ [key]: 'x' }).toString()}`)
        .set('Authorization', `Bearer ${token}`);
      expect(query.status).toBe(400);
      isProblem(query);
      expect(bodyOf<{ errors: unknown }>(query).errors).toEqual([{ field: key, reason: 'ukjent felt' }]);
      const body = await request(api.server)
        .post('/api/dev/tokens')
        .set('Content-Type', 'application/json')
        .send(`{"userId":"demo-leder","${key}":{"roles":["admin"]}}`);
      expect(body.status).toBe(400);
      isProblem(body);
      expect(bodyOf<{ errors: unknown }>(body).errors).toEqual([{ field: key, reason: 'ukjent felt' }]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('path parameters: random ids answer 4xx problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1 }), fc.constant(FNR), fc.constant(NAME)),
        async (id) => {
          const res = await request(api.server)
            .get(`/api/placements/${encodeURIComponent(id)}`)
            .set('Authorization', `Bearer ${token}`);
          isProblem(res);
        },
      ),
      { numRuns: 100 },
    );
    const task = await request(api.server)
      .get(`/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent(`${FNR} ${NAME}`)}`)
      .set('Authorization', `Bearer ${token}`);
    expect(task.status).toBe(404);
    isProblem(task);
  });

  it('bodies: random JSON answers 4xx problem+json, unknown fields named without echoing values', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const res = await request(api.server)
          .post('/api/dev/tokens')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        isProblem(res);
      }),
      { numRuns: 150 },
    );
    const planted = await request(api.server)
      .post('/api/dev/tokens')
      .send({ userId: NAME, fodselsnummer: FNR, [FNR]: NAME, ['__proto__']: { admin: true } });
    isProblem(planted);
    expect(bodyOf<{ errors: unknown }>(planted).errors).toEqual(
      expect.arrayContaining([{ field: 'fodselsnummer', reason: 'ukjent felt' }]),
    );
    expect(await snapshot()).toEqual(before);
  });

  it('writes to PostgreSQL only (personal data, notes, catalogs, reference data): random JSON changes nothing', async () => {
    const stored = async (): Promise<unknown> =>
      api.db.dataSource.query<unknown[]>(
        `SELECT (SELECT count(*) FROM child_keys) AS keys, (SELECT count(*) FROM child_details) AS details,
                (SELECT count(*) FROM task_notes) AS notes, (SELECT count(*) FROM events) AS events,
                (SELECT count(*) FROM services) AS services, (SELECT count(*) FROM learning_networks) AS networks,
                (SELECT count(*) FROM reference_changes) AS reference_changes`,
      );
    const before = await stored();
    const placement = world.nordbyHelped.placementId;
    const routes: [method: 'put' | 'post', path: string, userId: string][] = [
      ['put', `/api/placements/${placement}/personal-data`, 'demo-kontaktperson'],
      ['post', `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}/notes`, 'demo-kontaktperson'],
      ['post', '/api/catalogs', 'demo-admin'],
      ['post', '/api/catalogs/dry-run', 'demo-admin'],
      ['post', '/api/reference/networks', 'demo-admin'],
      ['post', '/api/reference/services', 'demo-admin'],
    ];
    const tokens = new Map<string, string>();
    for (const [, , userId] of routes) tokens.set(userId, await api.token(userId));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue(), async ([method, path, userId], body) => {
        const res = await request(api.server)
          [method](path)
          .set('Authorization', `Bearer ${tokens.get(userId) ?? ''}`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        isProblem(res);
      }),
      { numRuns: 200 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses deeply nested JSON (1,000 and 10,000 levels) on every body route with 400 naming the field', async () => {
    const before = await snapshot();
    const placement = world.nordbyHelped.placementId;
    const routes: [method: 'put' | 'post', path: string, userId: string, field: string][] = [
      ['post', '/api/dev/tokens', 'demo-leder', 'userId'],
      ['post', '/api/placements', 'demo-kontaktperson', 'facts'],
      ['put', `/api/placements/${placement}/personal-data`, 'demo-kontaktperson', 'child'],
      [
        'post',
        `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}/notes`,
        'demo-kontaktperson',
        'text',
      ],
      [
        'post',
        `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}/complete`,
        'demo-kontaktperson',
        'outcome',
      ],
      ['post', '/api/catalogs', 'demo-admin', 'catalog'],
      ['post', '/api/reference/networks', 'demo-admin', 'name'],
      ['put', '/api/me/notification-settings', 'demo-leder', 'digest'],
    ];
    for (const depth of [1_000, 10_000])
      for (const [method, path, userId, field] of routes) {
        for (const open of ['[', '{"a":']) {
          const close = open === '[' ? ']' : '}';
          const body = `{"${field}":${open.repeat(depth)}1${close.repeat(depth)}}`;
          const res = await request(api.server)
            [method](path)
            .set('Authorization', `Bearer ${await api.token(userId)}`)
            .set('Idempotency-Key', randomUUID())
            .set('Content-Type', 'application/json')
            .send(body);
          expect(`${method} ${path} ${depth}: ${res.status}`).toBe(`${method} ${path} ${depth}: 400`);
          isProblem(res);
          const [error] = bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
          expect(error?.field.startsWith(field)).toBe(true);
          expect(error?.reason).toBe('er for dypt nestet (høyst 32 nivåer)');
        }
      }
    expect(await snapshot()).toEqual(before);
  });
});
