import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  seedWorld,
  startTestApi,
  type FixturePlacement,
  type TestApi,
} from '../support/api.js';

/*
 * Bad input: only 4xx application/problem+json, no stack trace, and no change in the database. Limits:
 * 413, 415, 429 with Retry-After. A planted national id number and name never come back in an error
 * body, nor appear in the logs of the compiled API.
 */
const FNR = '15076500565';
const NAME = 'Kari Testesen Nordmann';
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

  const snapshot = async (): Promise<unknown> =>
    api.db.dataSource.query<unknown[]>(
      `SELECT (SELECT count(*) FROM events) AS events,
              (SELECT count(*) FROM access_log) AS access_log,
              (SELECT md5(string_agg(t::text, ',' ORDER BY placement_id, task_id)) FROM task_inbox t) AS inbox,
              (SELECT md5(string_agg(p::text, ',' ORDER BY placement_id)) FROM placements p) AS placements`,
    );
  const isProblem = (res: request.Response) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|stack/i);
    expect(text).not.toContain(FNR);
    expect(text).not.toContain(NAME);
  };

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
    for (const key of ['__proto__', 'constructor', 'prototype']) {
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

  it('refuses control characters in query filters, path ids and body text with 400 naming the field', async () => {
    const before = await snapshot();
    const placement = world.nordbyHelped.placementId;
    const auth = { Authorization: `Bearer ${token}` };
    const errorsOf = (res: request.Response) =>
      bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
    for (const bad of ['\u0000', '\u0001', 'a\u001fb', '\u007f']) {
      const text = encodeURIComponent(bad);
      for (const key of ['assignee', 'cursor', 'status', 'dueFrom']) {
        const res = await request(api.server).get(`/api/tasks?${key}=${text}`).set(auth);
        expect(res.status).toBe(400);
        isProblem(res);
        expect(errorsOf(res)).toContainEqual({ field: key, reason: 'kan ikke inneholde kontrolltegn' });
      }
      for (const path of [
        `/api/tasks/${placement}/x${text}`,
        `/api/tasks/${placement}/x${text}/notes`,
        `/api/tasks/${placement}/x${text}/assignees`,
        `/api/catalogs/2026.1${text}`,
      ]) {
        const res = await request(api.server).get(path).set(auth);
        expect(`${path}: ${res.status}`).toBe(`${path}: 400`);
        isProblem(res);
        expect(errorsOf(res)[0]?.reason).toBe('kan ikke inneholde kontrolltegn');
      }
      const note = await request(api.server)
        .post(`/api/tasks/${placement}/x${text}/complete`)
        .set(auth)
        .set('Idempotency-Key', randomUUID())
        .send({ outcome: 'gjennomfort', completedOn: '2026-07-01' });
      expect(note.status).toBe(400);
      expect(errorsOf(note)).toEqual([{ field: 'taskId', reason: 'kan ikke inneholde kontrolltegn' }]);
    }
    // In a JSON body: any control character but tab, line feed and carriage return, and broken Unicode.
    const catalog = await request(api.server)
      .get('/api/catalogs/2026.1')
      .set('Authorization', `Bearer ${await api.token('demo-admin')}`);
    for (const [bad, reason] of [
      ['a\u0000b', 'kan ikke inneholde kontrolltegn'],
      ['a\u001bb', 'kan ikke inneholde kontrolltegn'],
      ['a\ud800b', 'har ugyldig Unicode (et halvt surrogatpar)'],
    ] as const) {
      const steps = bodyOf<{ steps: { title: string }[] }>(catalog).steps.map((step, i) =>
        i === 1 ? { ...step, title: bad } : step,
      );
      const res = await request(api.server)
        .post('/api/catalogs')
        .set('Authorization', `Bearer ${await api.token('demo-admin')}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ catalog: { ...bodyOf<object>(catalog), version: '2099.1', steps } }));
      expect(res.status).toBe(400);
      isProblem(res);
      expect(errorsOf(res)).toEqual([{ field: 'catalog.steps.1.title', reason }]);
    }
    expect(await snapshot()).toEqual(before);
    const multiline = await request(api.server)
      .post(`/api/tasks/${placement}/${encodeURIComponent('samtale#1')}/notes`)
      .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
      .set('Idempotency-Key', randomUUID())
      .send({ text: 'linje 1\r\n\tlinje 2' });
    expect(multiline.status).toBe(201); // free text keeps its tabs and line breaks
  });

  it('refuses impossible calendar dates in query filters and cursors with 400 naming the field', async () => {
    const before = await snapshot();
    const leader = { Authorization: `Bearer ${token}` };
    const errorsOf = (res: request.Response) =>
      bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
    const cursor = (dueOn: string) =>
      Buffer.from(JSON.stringify([dueOn, world.nordbyHelped.placementId, 'samtale#1'])).toString('base64url');
    const cases: [path: string, field: string][] = [
      ['/api/tasks?dueFrom=2026-02-30', 'dueFrom'],
      ['/api/tasks?dueTo=2026-04-31', 'dueTo'],
      ['/api/tasks?dueFrom=2025-02-29', 'dueFrom'], // not a leap year
      [`/api/tasks?cursor=${cursor('2026-02-30')}`, 'cursor'],
      ['/api/adherence/report?from=2026-02-30&to=2026-03-31', 'from'],
      ['/api/adherence/report?from=2026-01-01&to=2026-06-31', 'to'],
      ['/api/adherence/milestones?from=2026-02-30&to=2026-03-31', 'from'],
      ['/api/adherence/followup?from=2026-01-01&to=2026-09-31', 'to'],
    ];
    for (const [path, field] of cases) {
      const res = await request(api.server).get(path).set(leader);
      expect(`${path}: ${res.status}`).toBe(`${path}: 400`);
      isProblem(res);
      expect(errorsOf(res).map((e) => e.field)).toEqual([field]);
    }
    // A real 29 February is a date.
    expect((await request(api.server).get('/api/tasks?dueFrom=2028-02-29').set(leader)).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a missing nested object and an instant before the year 1000 with 400 (found by Schemathesis: 500)', async () => {
    const before = await snapshot();
    const errorsOf = (res: request.Response) =>
      bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
    const register = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
      .set('Idempotency-Key', randomUUID())
      .send({ catalogVersion: '2026.1', municipalityId: randomUUID() });
    expect(register.status).toBe(400);
    isProblem(register);
    expect(errorsOf(register)).toContainEqual({ field: 'facts', reason: 'mangler' });
    const details = await request(api.server)
      .put(`/api/placements/${world.nordbyHelped.placementId}/personal-data`)
      .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
      .send({ parents: [], fosterFamily: [] });
    expect(details.status).toBe(400);
    expect(errorsOf(details)).toContainEqual({ field: 'child', reason: 'mangler' });
    for (const path of ['statutory-risk', 'report?from=2026-01-01&to=2026-03-31&', 'statutory-compliance']) {
      const sep = path.endsWith('&') ? '' : '?';
      const res = await request(api.server)
        .get(`/api/adherence/${path}${sep}asOf=0207-02-02T03:05:44.300Z`)
        .set('Authorization', `Bearer ${token}`);
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
      isProblem(res);
      expect(errorsOf(res).map((e) => e.field)).toEqual(['asOf']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses what the schema refuses: null for an optional field, a reassignment without assigneeId, a placement date from another era (found by Schemathesis)', async () => {
    const before = await snapshot();
    const errorsOf = (res: request.Response) =>
      bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
    const placement = world.nordbyHelped.placementId;
    const caseworker = `Bearer ${await api.token('demo-kontaktperson')}`;
    const nullBasis = await request(api.server)
      .post(`/api/placements/${placement}/change/preview`)
      .set('Authorization', caseworker)
      .send({ placementType: 'akutt', legalBasis: null });
    expect(nullBasis.status).toBe(400);
    expect(errorsOf(nullBasis).map((e) => e.field)).toEqual(['legalBasis']);
    const nullId = await request(api.server)
      .put(`/api/placements/${placement}/personal-data`)
      .set('Authorization', caseworker)
      .send({ child: { name: 'X', nationalId: null }, parents: [], fosterFamily: [] });
    expect(nullId.status).toBe(400);
    expect(errorsOf(nullId).map((e) => e.field)).toEqual(['child.nationalId']);
    const reassign = await request(api.server)
      .post(`/api/tasks/${placement}/${encodeURIComponent('samtale#3')}/reassign`)
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID());
    expect(reassign.status).toBe(400);
    expect([...new Set(errorsOf(reassign).map((e) => e.field))]).toEqual(['assigneeId']);
    // A placement date more than 18 years back cannot be a child's (0–17): refused, not planned (was 500).
    const today = osloDateOf(Date.now());
    for (const placementDate of ['1000-01-01', addDays(today, -18 * 366)]) {
      const old = await request(api.server)
        .post(`/api/placements/${placement}/change/preview`)
        .set('Authorization', caseworker)
        .send({ placementDate });
      expect(`${placementDate} ${old.status}`).toBe(`${placementDate} 400`);
      expect(errorsOf(old)).toEqual([
        { field: 'placementDate', reason: 'kan være høyst 18 år tilbake i tid' },
      ]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 405 with Allow for a method a route does not take, 404 for no route (found by Schemathesis)', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    for (const [method, path, allow] of [
      ['delete', '/api/tasks', 'GET, HEAD'],
      ['put', `/api/placements/${world.nordbyHelped.placementId}`, 'GET, HEAD'],
      ['patch', '/api/catalogs/dry-run', 'POST'],
      ['delete', '/api/catalogs/2026.1', 'GET, HEAD'],
      ['get', '/api/me/calendar-feed', 'POST, DELETE'],
    ] as const) {
      const res = await request(api.server)[method](path).set(auth);
      expect(`${method} ${path} ${res.status} ${res.headers.allow}`).toBe(`${method} ${path} 405 ${allow}`);
      isProblem(res);
    }
    expect((await request(api.server).get('/api/no-such-route').set(auth)).status).toBe(404);
  });

  it('answers 413 for an oversized body and 415 for a body that is not JSON', async () => {
    const big = await request(api.server)
      .post('/api/dev/tokens')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ userId: 'x'.repeat(200_000) }));
    expect(big.status).toBe(413);
    isProblem(big);
    const text = await request(api.server)
      .post('/api/dev/tokens')
      .set('Content-Type', 'text/plain')
      .send('userId=x');
    expect(text.status).toBe(415);
    isProblem(text);
    const form = await request(api.server)
      .post('/api/dev/tokens')
      .type('form')
      .send({ userId: 'demo-leder' });
    expect(form.status).toBe(415);
  });
});

describe('rate limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ API_RATE_LIMIT: '5' });
  });
  afterAll(() => api?.close());

  it('answers 429 with Retry-After past the limit, per user', async () => {
    const a = await api.token('demo-leder');
    const b = await api.token('demo-kontaktperson');
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await request(api.server).get('/api/me').set('Authorization', `Bearer ${a}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(api.server).get('/api/me').set('Authorization', `Bearer ${b}`)).status).toBe(200);
  });
});

describe('planted personal data in the logs of the compiled API', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base = '';
  let seeded: FixturePlacement;

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    seeded = await seedPlacement(db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [{ taskId: 'samtale#1', role: 'leder', dueOn: '2026-10-01' }],
    });
    await projectAll(db);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [new URL('../../dist/apps/api/main.js', import.meta.url).pathname], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'trace',
        DATABASE_URL: db.url,
        API_PORT: String(port),
        TEMPORAL_ADDRESS: '127.0.0.1:1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/health/live`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`API did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await db?.drop();
  });

  it('never writes a planted fødselsnummer or name', async () => {
    const tokenRes = await fetch(`${base}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'demo-leder' }),
    });
    const { accessToken } = (await tokenRes.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const responses = await Promise.all([
      fetch(`${base}/api/tasks?assignee=${FNR}&status=${encodeURIComponent(NAME)}`, { headers: auth }),
      fetch(`${base}/api/tasks?fodselsnummer=${FNR}`, { headers: auth }),
      fetch(`${base}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': FNR },
        body: JSON.stringify({ userId: NAME, fodselsnummer: FNR }),
      }),
      fetch(`${base}/api/placements/${randomUUID()}`, { headers: { ...auth, 'x-child-name': NAME } }),
      fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${FNR}.${NAME}` } }),
    ]);
    // The personal-data store and task notes hold the planted data, valid and invalid, read back too.
    const json = { ...auth, 'content-type': 'application/json' };
    const details = (nationalId: string) =>
      JSON.stringify({
        child: { name: NAME, nationalId },
        parents: [{ name: NAME, phone: '+47 900 00 000' }],
        fosterFamily: [],
      });
    const placement = `${base}/api/placements/${seeded.placementId}/personal-data`;
    const note = `${base}/api/tasks/${seeded.placementId}/samtale%231/notes`;
    for (const [url, init] of [
      [placement, { method: 'PUT', headers: json, body: details(FNR) }],
      [placement, { method: 'PUT', headers: json, body: details(`${FNR.slice(0, 10)}9`) }],
      [placement, { headers: auth }],
      [
        note,
        {
          method: 'POST',
          headers: { ...json, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ text: `${NAME} ${FNR}` }),
        },
      ],
      [note, { headers: auth }],
    ] as const) {
      const res = await fetch(url, init);
      responses.push(res);
    }
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 404, 401, 204, 400, 200, 201, 200]);
    expect(bodies[7]).toContain(NAME); // the owner reads it back: it was really stored and logged nowhere
    expect(bodies[9]).toContain(FNR);
    await new Promise((r) => setTimeout(r, 300));
    expect(output).toMatch(/"route":"\/api\/tasks"/); // the log is really being captured
    for (const text of [output, ...bodies.slice(0, 7)]) {
      expect(text).not.toContain(FNR);
      expect(text).not.toContain(NAME);
    }
  });
});

describe('every message a user can see is bokmål', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  /** Words of class-validator's, zod's and Nest's English messages. */
  const ENGLISH =
    /\b(must|should|shorter|longer|following|values?|string|boolean|integer|number|valid|invalid|expected|required|unknown|failed|letters|digits|not a|greater|less|than)\b/i;
  const texts = (res: request.Response): string[] => {
    const body = bodyOf<{ title?: string; detail?: string; errors?: { reason: string }[] }>(res);
    return [body.title ?? '', body.detail ?? '', ...(body.errors ?? []).map((e) => e.reason)];
  };
  const expectBokmal = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const text of texts(res)) expect(text).not.toMatch(ENGLISH);
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
  });
  afterAll(() => api?.close());

  const send = async (method: 'get' | 'post' | 'put', path: string, userId: string, body?: unknown) => {
    const req = request(api.server)
      [method](path)
      .set('Authorization', `Bearer ${await api.token(userId)}`)
      .set('Idempotency-Key', randomUUID());
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };

  it('names the fields of the personal details in bokmål', async () => {
    const res = await send(
      'put',
      `/api/placements/${world.nordbyHelped.placementId}/personal-data`,
      'demo-kontaktperson',
      {
        child: { name: 'X', nationalId: '12345678901' },
        parents: [{ name: 'Y', phone: 'abc', email: 'x' }],
        fosterFamily: [],
      },
    );
    expect(res.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(res).errors).toEqual([
      { field: 'child.nationalId', reason: 'må være et gyldig fødselsnummer eller D-nummer (11 siffer)' },
      { field: 'parents.0.phone', reason: 'må være et telefonnummer (8–20 siffer, gjerne med +landskode)' },
      { field: 'parents.0.email', reason: 'må være en e-postadresse' },
    ]);
  });

  it('answers random bodies, queries and ids on every route in bokmål', async () => {
    const placement = world.nordbyHelped.placementId;
    const task = `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}`;
    const bodies: [method: 'post' | 'put', path: string, userId: string][] = [
      ['post', '/api/dev/tokens', 'demo-leder'],
      ['post', '/api/placements', 'demo-kontaktperson'],
      ['put', `/api/placements/${placement}/personal-data`, 'demo-kontaktperson'],
      ['post', `${task}/notes`, 'demo-kontaktperson'],
      ['post', `${task}/complete`, 'demo-kontaktperson'],
      ['post', `${task}/waive`, 'demo-leder'],
      ['post', `${task}/reassign`, 'demo-leder'],
      ['post', `/api/placements/${placement}/pause`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/change`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/change/preview`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/reductions`, 'demo-leder'],
      ['post', `/api/placements/${placement}/ad-hoc-tasks`, 'demo-kontaktperson'],
      ['post', '/api/catalogs', 'demo-admin'],
      ['post', '/api/catalogs/dry-run', 'demo-admin'],
      ['post', '/api/reference/networks', 'demo-admin'],
      ['post', '/api/reference/services', 'demo-admin'],
      ['put', '/api/me/notification-settings', 'demo-leder'],
    ];
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('2026-02-30', '2026-13-01', 'omsorgsovertakelse', randomUUID()),
    );
    const shaped = fc.dictionary(
      fc.constantFrom(
        'facts',
        'municipalityId',
        'catalogVersion',
        'child',
        'parents',
        'fosterFamily',
        'text',
        'outcome',
        'completedOn',
        'reason',
        'assigneeId',
        'role',
        'from',
        'placementDate',
        'expectedVersion',
        'kind',
        'minimumPerYear',
        'effectiveFrom',
        'stepId',
        'dueOn',
        'catalog',
        'name',
        'serviceIds',
        'hostMunicipalityId',
        'memberMunicipalityIds',
        'networkId',
        'digest',
        'userId',
      ),
      fc.oneof(value, fc.dictionary(fc.string(), value), fc.array(value)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodies),
        fc.oneof(shaped, fc.jsonValue()),
        async ([method, path, userId], body) => {
          const res = await send(method, path, userId, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expectBokmal(res);
        },
      ),
      { numRuns: 300 },
    );
    const queries = fc.dictionary(
      fc.constantFrom(
        'status',
        'dueFrom',
        'dueTo',
        'track',
        'role',
        'assignee',
        'placementId',
        'limit',
        'cursor',
        'from',
        'to',
        'by',
        'asOf',
        'format',
        'year',
        'x',
      ),
      fc.oneof(fc.string(), fc.constantFrom('2026-02-30', '0', '-1', '201', '20x6', 'csv')),
      { minKeys: 1 },
    );
    const reads = [
      '/api/tasks',
      '/api/adherence/report',
      '/api/adherence/milestones',
      '/api/adherence/followup',
      '/api/adherence/statutory-compliance',
      '/api/adherence/statutory-risk',
      `${task}/assignees`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), queries, async (path, query) => {
        const res = await send('get', `${path}?${new URLSearchParams(query).toString()}`, 'demo-leder');
        if (res.status >= 400) expectBokmal(res);
      }),
      { numRuns: 200 },
    );
    for (const [method, path, userId] of [
      ['get', '/api/placements/x', 'demo-leder'],
      ['get', '/api/tasks/x/y', 'demo-leder'],
      ['get', '/api/placements/x/personal-data', 'demo-leder'],
      ['put', '/api/reference/networks/x', 'demo-admin'],
      ['get', '/api/system/probes/x', 'demo-admin'],
    ] as const) {
      const res = await send(method, path, userId, method === 'put' ? { name: 'Nettverk' } : undefined);
      expect(`${path}: ${res.status}`).toBe(`${path}: 400`);
      expectBokmal(res);
      expect(bodyOf<{ errors: { field: string }[] }>(res).errors[0]?.field).toMatch(/Id$/);
    }
  });

  it('refuses a birth date in the future and a placement date more than 180 days ahead (on any day)', async () => {
    const today = osloDateOf(Date.now());
    const details = (birthDate: string) => ({
      child: { name: 'X', birthDate },
      parents: [],
      fosterFamily: [],
    });
    const path = `/api/placements/${world.nordbyHelped.placementId}/personal-data`;
    const future = await send('put', path, 'demo-kontaktperson', details(addDays(today, 1)));
    expect(future.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(future).errors).toEqual([
      { field: 'child.birthDate', reason: 'kan ikke være fram i tid' },
    ]);
    expect((await send('put', path, 'demo-kontaktperson', details(today))).status).toBe(204);

    const register = (placementDate: string) =>
      send('post', '/api/placements', 'demo-kontaktperson', {
        ...placementRequestBody(placementDate),
        municipalityId: 'not-a-uuid', // so that nothing reaches Temporal: only the field errors are of interest
      });
    const far = await register(addDays(today, 181));
    expect(bodyOf<{ errors: unknown }>(far).errors).toContainEqual({
      field: 'facts.placementDate',
      reason: 'kan være høyst 180 dager fram i tid',
    });
    for (const date of [addDays(today, 180), addDays(today, -400)]) {
      const near = await register(date);
      expect(bodyOf<{ errors: { field: string }[] }>(near).errors.map((e) => e.field)).toEqual([
        'municipalityId',
      ]);
    }
    const change = await send(
      'post',
      `/api/placements/${world.nordbyHelped.placementId}/change/preview`,
      'demo-kontaktperson',
      {
        placementDate: addDays(today, 2000),
      },
    );
    expect(change.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(change).errors).toEqual([
      { field: 'placementDate', reason: 'kan være høyst 180 dager fram i tid' },
    ]);
  });
});
