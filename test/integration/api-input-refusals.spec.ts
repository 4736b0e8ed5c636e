import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';
import { isProblem, snapshotOf } from '../support/bad-input.js';

/*
 * Bad input refused one by one with 400 naming the field (control characters, impossible dates, what
 * the schema refuses, as Schemathesis found), 405, 404; and the limits: 413, 415, 429 with Retry-After.
 * Each answer is 4xx application/problem+json and changes nothing (test/support/bad-input.ts).
 */
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
