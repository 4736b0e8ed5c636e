import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * The waiver routes before the engine (no Temporal here): who may call them (the role gate, the owning
 * service), and bad input answered as problem+json naming the field, with nothing stored. What the
 * package itself decides (four eyes, one open request, once per key) is in test/e2e/api-commands-tasks
 * and test/workflows/waiver.spec.ts.
 */
describe('waiver requests and co-signatures: access and input (no Temporal)', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  const tokens = new Map<string, string>();
  const as = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await api.token(userId));
    return `Bearer ${tokens.get(userId)}`;
  };

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
  });
  afterAll(() => api?.close());

  const taskPath = (placementId: string, taskId = 'samtale#1') =>
    `/api/tasks/${placementId}/${encodeURIComponent(taskId)}`;
  const post = async (userId: string, path: string, body: object, key: string | null = randomUUID()) => {
    const req = request(api.server)
      .post(path)
      .set('Authorization', await as(userId));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const texts = async () =>
    (
      await api.db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM task_notes WHERE kind <> 'note'`,
      )
    )[0].n;
  const good = { reason: 'barnet-onsker-ikke', justification: 'Barnet bor hos besteforeldre i perioden.' };

  it('lets only the service’s caseworkers and leaders ask, and only its leaders sign or decline', async () => {
    const own = taskPath(world.nordbyHelped.placementId);
    const requestId = randomUUID();
    // The role gate: 403 before anything is looked up.
    expect((await post('demo-tilsynsforer', `${own}/waiver-request`, good)).status).toBe(403);
    expect((await post('demo-fosterhjemsressurs', `${own}/waiver-request`, good)).status).toBe(403);
    for (const action of ['cosign', 'decline']) {
      const res = await post('demo-kontaktperson', `${own}/waiver-request/${action}`, {
        requestId,
        reason: 'Nei.',
      });
      expect(`${action} ${res.status}`).toBe(`${action} 403`);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // Another service's leader cannot tell the task exists: 404, as for a missing one.
    const theirs = taskPath(world.sorvik.placementId);
    expect((await post('demo-leder', `${theirs}/waiver-request`, good)).status).toBe(404);
    expect((await post('demo-leder', `${theirs}/waiver-request/cosign`, { requestId })).status).toBe(404);
    expect((await post('demo-sorvik-leder', `${own}/waiver-request/cosign`, { requestId })).status).toBe(404);
    const read = await request(api.server)
      .get(`${own}/waiver`)
      .set('Authorization', await as('demo-sorvik-leder'));
    expect(read.status).toBe(404);
    // Nothing was stored.
    expect(await texts()).toBe(0);
  });

  it('names the field of bad input (problem+json) and stores nothing', async () => {
    const own = `${taskPath(world.nordbyHelped.placementId)}/waiver-request`;
    const cases: [object, string, RegExp][] = [
      [{ reason: good.reason }, 'justification', /tekst|tegn/],
      [{ ...good, justification: '   ' }, 'justification', /tegn|mellomrom/],
      [{ ...good, justification: 'for kort' }, 'justification', /mellom 10 og 2000 tegn/],
      [{ ...good, justification: 'x'.repeat(2001) }, 'justification', /mellom 10 og 2000 tegn/],
      [{ ...good, reason: 'lei-av-det' }, 'reason', /må være en av/],
      [{ justification: good.justification }, 'reason', /må være en av/],
      [{ ...good, note: 'ukjent' }, 'note', /ukjent felt/],
    ];
    for (const [body, field, reason] of cases) {
      const res = await post('demo-kontaktperson', own, body);
      expect(`${field} ${res.status}`).toBe(`${field} 400`);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const errors = bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
      const reasons = errors.filter((e) => e.field === field).map((e) => e.reason);
      expect(reasons.join('; ')).toMatch(reason);
    }
    const missingKey = await post('demo-kontaktperson', own, good, null);
    expect(missingKey.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(missingKey).errors).toEqual([
      { field: 'Idempotency-Key', reason: 'mangler' },
    ]);

    const sign = `${taskPath(world.nordbyHelped.placementId)}/waiver-request`;
    const noId = await post('demo-leder', `${sign}/cosign`, {});
    expect(bodyOf<{ errors: { field: string }[] }>(noId).errors.map((e) => e.field)).toEqual(['requestId']);
    const notUuid = await post('demo-leder', `${sign}/cosign`, { requestId: 'r-1' });
    expect(notUuid.status).toBe(400);
    const noReason = await post('demo-leder', `${sign}/decline`, { requestId: randomUUID() });
    expect(noReason.status).toBe(400);
    expect(new Set(bodyOf<{ errors: { field: string }[] }>(noReason).errors.map((e) => e.field))).toEqual(
      new Set(['reason']),
    );
    expect(await texts()).toBe(0);
  });

  it('lists no open requests of another service, and has no record for a step never asked for', async () => {
    const list = await request(api.server)
      .get('/api/waiver-requests')
      .set('Authorization', await as('demo-leder'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    const none = await request(api.server)
      .get(`${taskPath(world.nordbyHelped.placementId)}/waiver`)
      .set('Authorization', await as('demo-leder'));
    expect(none.status).toBe(404);
    const bad = await request(api.server)
      .get('/api/waiver-requests?placementId=nope')
      .set('Authorization', await as('demo-leder'));
    expect(bad.status).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field)).toEqual(['placementId']);
    const pool = await request(api.server)
      .get('/api/waiver-requests')
      .set('Authorization', await as('demo-tilsynsforer'));
    expect(pool.status).toBe(403);
  });
});
