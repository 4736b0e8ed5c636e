import request from 'supertest';
import { recordPerson } from '../../libs/notifications/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * Who a task can be given to (GET /api/tasks/{placementId}/{taskId}/assignees), against real PostgreSQL:
 * the people the API has seen (the local issuer's demo users are recorded at start, with their names),
 * filtered by the task's role and the access function. Reassigning to anyone else is refused
 * (test/integration/api-commands.spec.ts, and through the workflow in test/e2e/api-commands-tasks.spec.ts).
 */
describe('who a task can be given to', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  const get = async (userId: string, placementId: string, taskId: string, query = '') =>
    request(api.server)
      .get(`/api/tasks/${placementId}/${encodeURIComponent(taskId)}/assignees${query}`)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const ids = (res: { body: unknown }) => bodyOf<{ userId: string }[]>(res).map((a) => a.userId);

  beforeAll(async () => {
    api = await startTestApi();
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    const db = api.db.dataSource;
    // A caseworker of Nordby whose identity provider sends no name, and one not seen for 60 days.
    const caseworker = { roles: ['kontaktperson'] as const, organisation: DEMO_SERVICES.nordby };
    await recordPerson(db, { ...caseworker, issuer: 'https://idp.test', userId: 'ext-kp-uten-navn' });
    await recordPerson(db, {
      ...caseworker,
      issuer: 'https://idp.test',
      userId: 'ext-kp-sluttet',
      name: 'X',
    });
    await db.query(
      `UPDATE people SET last_seen = now() - interval '60 days' WHERE user_id = 'ext-kp-sluttet'`,
    );
  });
  afterAll(() => api?.close());

  it('lists the caseworkers of the owning service by name (the id when no name is known)', async () => {
    for (const asker of ['demo-leder', 'demo-kontaktperson']) {
      const res = await get(asker, world.nordbyHelped.placementId, 'samtale#1');
      expect(res.status).toBe(200);
      // Sorted by what is shown; Sørvik's caseworker, the leader (no such role) and someone gone are not in it.
      expect(res.body).toEqual([
        { userId: 'ext-kp-uten-navn', roles: ['kontaktperson'] },
        { userId: 'demo-kontaktperson', name: 'Ingrid Haugen', roles: ['kontaktperson'] },
        { userId: 'demo-kontaktperson-2', name: 'Jonas Bakke', roles: ['kontaktperson'] },
      ]);
    }
  });

  it('asks the access function: supervisors, the network’s foster-home resource, Bufetat only when asked', async () => {
    const h = world.nordbyHelped.placementId;
    expect(ids(await get('demo-leder', h, 'tilsyn#1'))).toEqual(['demo-tilsynsforer']);
    expect(ids(await get('demo-leder', h, 'leder#1'))).toEqual(['demo-leder']);
    expect(ids(await get('demo-leder', h, 'bufetat#1'))).toEqual(['demo-bufetat']);
    // Nordby did not ask Bufetat for help with this one: nobody can take Bufetat's task.
    expect(ids(await get('demo-leder', world.nordbyPlain.placementId, 'bufetat#1'))).toEqual([]);
    // Sørvik is in Nordby's learning network: Nordby's foster-home resource may take Sørvik's task.
    expect(ids(await get('demo-sorvik-leder', world.sorvik.placementId, 'fhr#1'))).toEqual([
      'demo-fosterhjemsressurs',
    ]);
    expect(ids(await get('demo-sorvik-leder', world.sorvik.placementId, 'samtale#1'))).toEqual([
      'demo-sorvik-kontaktperson',
    ]);
  });

  it('answers for another role when the task is to move there, and refuses an unknown role', async () => {
    const h = world.nordbyHelped.placementId;
    const res = await get('demo-leder', h, 'samtale#1', '?role=tilsynsforer');
    expect(res.body).toEqual([{ userId: 'demo-tilsynsforer', name: 'Tor Eriksen', roles: ['tilsynsforer'] }]);
    const bad = await get('demo-leder', h, 'samtale#1', '?role=sjef');
    expect(bad.status).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(bad).errors.map((e) => e.field)).toEqual(['role']);
  });

  it('answers 404 for another service’s task and 403 to a holder asking to move it to another role, both logged', async () => {
    const hidden = await get('demo-leder', world.sorvik.placementId, 'samtale#1');
    expect(hidden.status).toBe(404);
    expect(hidden.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(hidden.body)).not.toMatch(/Nora|sorvik-kontaktperson/);
    // A supervisor may hand their task to a colleague in the same role, not move it to another role.
    const colleagues = await get('demo-tilsynsforer', world.nordbyHelped.placementId, 'tilsyn#1');
    expect(colleagues.status).toBe(200);
    expect(ids(colleagues)).toEqual(['demo-tilsynsforer']);
    const gated = await get(
      'demo-tilsynsforer',
      world.nordbyHelped.placementId,
      'tilsyn#1',
      '?role=kontaktperson',
    );
    expect(gated.status).toBe(403);

    const rows = await api.db.dataSource.query<{ user_id: string; outcome: string }[]>(
      `SELECT user_id, outcome FROM access_log WHERE action = 'GET /api/tasks/{placementId}/{taskId}/assignees'
        AND placement_id = ANY($1::uuid[]) ORDER BY id`,
      [[world.sorvik.placementId, world.nordbyHelped.placementId]],
    );
    expect(rows).toContainEqual({ user_id: 'demo-leder', outcome: 'hidden' });
    expect(rows).toContainEqual({ user_id: 'demo-tilsynsforer', outcome: 'forbidden' });
  });

  it('logs an answer like any read of the child’s data', async () => {
    await get('demo-kontaktperson-2', world.nordbyPlain.placementId, 'samtale#3');
    const rows = await api.db.dataSource.query<{ child_ref: string; outcome: string }[]>(
      `SELECT child_ref::text AS child_ref, outcome FROM access_log
        WHERE user_id = 'demo-kontaktperson-2' AND action = 'GET /api/tasks/{placementId}/{taskId}/assignees'`,
    );
    expect(rows).toEqual([{ child_ref: world.nordbyPlain.childRef, outcome: 'allowed' }]);
  });

  it('names the assignee where the API knows the name, in the inbox and in a task', async () => {
    const lead = await api.token('demo-leder');
    const h = world.nordbyHelped.placementId;
    const page = await request(api.server)
      .get(`/api/tasks?placementId=${h}&limit=200`)
      .set('Authorization', `Bearer ${lead}`);
    const items = bodyOf<{ items: { taskId: string; assigneeId: string | null; assigneeName?: string }[] }>(
      page,
    ).items;
    const byTask = new Map(items.map((t) => [t.taskId, t]));
    expect(byTask.get('samtale#2')).toMatchObject({
      assigneeId: 'demo-kontaktperson-2',
      assigneeName: 'Jonas Bakke',
    });
    // Someone the API has never seen, and the role's pool: no name.
    expect(byTask.get('tilsyn#2')?.assigneeName).toBeUndefined();
    expect(byTask.get('samtale#3')).toMatchObject({ assigneeId: null });
    expect(byTask.get('samtale#3')?.assigneeName).toBeUndefined();
    const one = await request(api.server)
      .get(`/api/tasks/${h}/${encodeURIComponent('samtale#2')}`)
      .set('Authorization', `Bearer ${lead}`);
    expect(one.body).toMatchObject({ assigneeName: 'Jonas Bakke' });
  });
});
