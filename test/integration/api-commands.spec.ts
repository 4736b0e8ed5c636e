import { placementRequestBody } from '../../libs/fixtures/placements.js';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { DEMO_MUNICIPALITIES, DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * Command endpoints without a Temporal server: what is decided before the engine is called (validation,
 * Idempotency-Key, access). Their successful runs, and the bounded 503 when the engine is unreachable
 * (a call left retrying against a closed channel would outlive the test), belong to the e2e tier.
 */
describe('command endpoints before the engine (no Temporal)', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  let lead: string;

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    lead = await api.token('demo-leder');
  });
  afterAll(() => api?.close());

  const registration = placementRequestBody('2026-07-01');

  it('register needs a well-formed Idempotency-Key', async () => {
    const missing = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${lead}`)
      .send(registration);
    expect(missing.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(missing).errors).toEqual([
      { field: 'Idempotency-Key', reason: 'mangler' },
    ]);
    const bad = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', 'x')
      .send(registration);
    expect(bad.status).toBe(400);
  });

  it('every command needs an Idempotency-Key: 400 naming it, before the engine is asked', async () => {
    const placement = world.nordbyHelped.placementId;
    const task = `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}`;
    const commands: [string, object][] = [
      [`${task}/complete`, { outcome: 'gjennomfort', completedOn: '2026-07-01' }],
      [`${task}/waive`, { reason: 'barnet-onsker-ikke' }],
      [`${task}/reassign`, { assigneeId: null }],
      [`${task}/claim`, {}],
      [`/api/placements/${placement}/pause`, { reason: 'annet', from: '2026-07-01' }],
      [`/api/placements/${placement}/resume`, { on: '2026-07-02' }],
      [`/api/placements/${placement}/end`, { reason: 'planlagt', endedOn: '2026-07-03' }],
      [`/api/placements/${placement}/change`, { placementDate: '2026-06-15', expectedVersion: 3 }],
      [
        `/api/placements/${placement}/reductions`,
        { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: '2027-01-01' },
      ],
      [`/api/placements/${placement}/ad-hoc-tasks`, { stepId: 'oppfolgingsbesok', dueOn: '2026-09-01' }],
    ];
    for (const [path, body] of commands) {
      const started = Date.now();
      const res = await request(api.server).post(path).set('Authorization', `Bearer ${lead}`).send(body);
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
      expect(bodyOf<{ errors: unknown }>(res).errors).toEqual([
        { field: 'Idempotency-Key', reason: 'mangler' },
      ]);
      expect(Date.now() - started).toBeLessThan(5_000); // the engine (unreachable here) was not asked
    }
  });

  it('refuses an unknown catalogVersion with 400 naming it, before any workflow starts', async () => {
    const started = Date.now();
    const res = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', randomUUID())
      .send({ ...registration, catalogVersion: '9999.9' });
    // The engine is unreachable here: asking it would have answered 503 after its 10 s bound.
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(bodyOf<{ errors: unknown }>(res).errors).toEqual([
      { field: 'catalogVersion', reason: 'ingen katalog har denne versjonen (se GET /api/catalogs)' },
    ]);
  });

  it('names the offending fields of a bad registration and of a bad completion', async () => {
    const res = await request(api.server)
      .post('/api/placements')
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', 'key-12345678')
      .send({ ...registration, facts: { ...registration.facts, childAgeYears: 40 }, childName: 'x' });
    expect(res.status).toBe(400);
    const fields = bodyOf<{ errors: { field: string }[] }>(res).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['facts.childAgeYears', 'childName']));

    const complete = await request(api.server)
      .post(`/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent('leder#1')}/complete`)
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', randomUUID())
      .send({ outcome: 'kanskje', completedOn: '2026-13-01' });
    expect(complete.status).toBe(400);
    expect(
      bodyOf<{ errors: { field: string }[] }>(complete)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['completedOn', 'outcome']);
  });

  it('registers only for a municipality the caller’s service acts for, before calling the engine', async () => {
    const send = (municipalityId: string) =>
      request(api.server)
        .post('/api/placements')
        .set('Authorization', `Bearer ${lead}`)
        .set('Idempotency-Key', `key-${randomUUID()}`)
        .send({ ...registration, municipalityId });
    for (const municipalityId of [randomUUID(), DEMO_MUNICIPALITIES.sorvik]) {
      const res = await send(municipalityId);
      expect(res.status).toBe(400);
      expect(bodyOf<{ errors: unknown }>(res).errors).toEqual([
        { field: 'municipalityId', reason: 'er ikke en kommune tjenesten din handler for' },
      ]);
    }
    // Nordby's own municipality passes (the e2e tier registers with it against the real engine).
  });

  it('answers 404 for another service’s task before calling the engine, and logs the denial', async () => {
    const res = await request(api.server)
      .post(`/api/tasks/${world.sorvik.placementId}/${encodeURIComponent('leder#1')}/complete`)
      .set('Authorization', `Bearer ${lead}`)
      .set('Idempotency-Key', randomUUID())
      .send({ outcome: 'gjennomfort', completedOn: '2026-07-01' });
    expect(res.status).toBe(404);
    const [row] = await api.db.dataSource.query<{ outcome: string; action: string }[]>(
      `SELECT outcome, action FROM access_log WHERE child_ref = $1 AND user_id = 'demo-leder'`,
      [world.sorvik.childRef],
    );
    expect(row).toEqual({ outcome: 'hidden', action: 'POST /api/tasks/{placementId}/{taskId}/complete' });
  });

  it('refuses to give a task to anyone who may not take it (400 naming assigneeId), without calling the engine', async () => {
    const task = `/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent('samtale#3')}/reassign`;
    const versionBefore = await streamVersion(world.nordbyHelped.placementId);
    for (const body of [
      { assigneeId: 'demo-kontaktperson-3' }, // a typo: nobody
      { assigneeId: '' },
      { assigneeId: 'demo-sorvik-kontaktperson' }, // a caseworker of another service
      { assigneeId: 'demo-leder' }, // does not hold the task's role
      { assigneeId: 'demo-kontaktperson', role: 'tilsynsforer' }, // nor the role the task would move to
    ]) {
      const started = Date.now();
      const res = await request(api.server)
        .post(task)
        .set('Authorization', `Bearer ${lead}`)
        .set('Idempotency-Key', `reassign-${randomUUID()}`)
        .send(body);
      // Refused before the engine: with Temporal unreachable, a command sent would answer 503 after 10 s.
      expect(res.status).toBe(400);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors).toEqual([
        { field: 'assigneeId', reason: expect.stringMatching(/kan ikke få denne oppgaven/) as unknown },
      ]);
    }
    expect(await streamVersion(world.nordbyHelped.placementId)).toBe(versionBefore);
    const [row] = await api.db.dataSource.query<{ assignee_id: string | null }[]>(
      `SELECT assignee_id FROM task_inbox WHERE placement_id = $1 AND task_id = 'samtale#3'`,
      [world.nordbyHelped.placementId],
    );
    expect(row).toEqual({ assignee_id: null });
  });

  it('lets whoever holds a task hand it only to a colleague in its role, never to another role (403, logged)', async () => {
    const task = `/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent('tilsyn#1')}/reassign`;
    const supervisor = await api.token('demo-tilsynsforer');
    const send = (body: object) =>
      request(api.server)
        .post(task)
        .set('Authorization', `Bearer ${supervisor}`)
        .set('Idempotency-Key', `reassign-${randomUUID()}`)
        .send(body);
    const moved = await send({ assigneeId: null, role: 'kontaktperson' });
    expect(moved.status).toBe(403);
    expect((await send({ assigneeId: 'demo-kontaktperson' })).status).toBe(400); // not a supervisor
    const [row] = await api.db.dataSource.query<{ outcome: string }[]>(
      `SELECT outcome FROM access_log WHERE user_id = 'demo-tilsynsforer' AND placement_id = $1
          AND action = 'POST /api/tasks/{placementId}/{taskId}/reassign' AND outcome = 'forbidden'`,
      [world.nordbyHelped.placementId],
    );
    expect(row).toEqual({ outcome: 'forbidden' });
  });

  const streamVersion = async (placementId: string) =>
    (
      await api.db.dataSource.query<{ v: number }[]>(
        `SELECT count(*)::int AS v FROM events WHERE stream_id = $1`,
        [placementId],
      )
    )[0]?.v;

  it('forgets a key’s binding to its body after IDEMPOTENCY_KEY_DAYS, and only then', async () => {
    // Imported once the API is up: the app's modules read their configuration as they load.
    const { CommandSender } = await import('../../apps/api/commands/command-sender.js');
    const sender = api.app.get(CommandSender);
    const [old, fresh, edge] = [randomUUID(), randomUUID(), randomUUID()];
    await api.db.dataSource.query(
      `INSERT INTO command_requests (command_id, fingerprint, created_at)
       VALUES ($1, 'a', now() - interval '31 days'), ($2, 'b', now() - interval '1 day'),
              ($3, 'c', now() - interval '29 days 23 hours')`,
      [old, fresh, edge],
    );
    expect(await sender.forgetExpiredKeys()).toBeGreaterThanOrEqual(1);
    const left = await api.db.dataSource.query<{ command_id: string }[]>(
      `SELECT command_id::text FROM command_requests WHERE command_id = ANY($1::uuid[]) ORDER BY created_at`,
      [[old, fresh, edge]],
    );
    expect(left.map((r) => r.command_id)).toEqual([edge, fresh]);
  });
});
