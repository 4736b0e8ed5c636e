import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventStore } from '../../libs/event-store/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { DEVELOPMENT_KEY, open } from '../../libs/personal-data/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  startTestApi,
  type FixturePlacement,
  type TestApi,
} from '../support/api.js';

/*
 * The personal-data store over the API against real PostgreSQL: details and notes encrypted with a key
 * per child, every read and write authorised and logged (a write and its log row in one transaction),
 * and a purge that crypto-shreds.
 */
const FNR = '15076500565';
const NAME = 'Ola Plantet Nordmann';
const details = (nationalId = FNR) => ({
  child: { name: NAME, birthDate: '2017-05-01', nationalId },
  parents: [{ name: 'Mor Plantet', relation: 'mor', phone: '+47 900 00 001', email: 'mor@example.no' }],
  fosterFamily: [{ name: 'Fosterfar Plantet' }],
});

type Problem = { status: number; errors?: { field: string; reason: string }[] };

describe('personal data and task notes (real PostgreSQL)', () => {
  let api: TestApi;
  let own: FixturePlacement;
  let ended: FixturePlacement;
  const auth = async (userId: string) => `Bearer ${await api.token(userId)}`;
  const put = async (placementId: string, body: unknown, userId = 'demo-kontaktperson') =>
    request(api.server)
      .put(`/api/placements/${placementId}/personal-data`)
      .set('Authorization', await auth(userId))
      .send(body as object);
  const get = async (path: string, userId = 'demo-kontaktperson') =>
    request(api.server)
      .get(path)
      .set('Authorization', await auth(userId));
  const post = async (path: string, body: unknown, userId: string, key: string | null = randomUUID()) => {
    const req = request(api.server)
      .post(path)
      .set('Authorization', await auth(userId));
    return (key === null ? req : req.set('Idempotency-Key', key)).send(body as object);
  };
  const count = async (table: string) =>
    Number(
      (await api.db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? NaN,
    );

  beforeAll(async () => {
    api = await startTestApi({ PERSONAL_DATA_RETENTION_DAYS: '365' });
    const tasks = [
      { taskId: 'fhr#1', role: 'fosterhjemsressurs' as const, dueOn: '2026-10-01' },
      { taskId: 'samtale#1', role: 'kontaktperson' as const, dueOn: '2026-10-02' },
    ];
    own = await seedPlacement(api.db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: false, tasks });
    ended = await seedPlacement(api.db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: false, tasks });
    await new EventStore(api.db.dataSource).append(
      { streamType: 'placement', streamId: ended.placementId },
      'any',
      [
        {
          eventId: randomUUID(),
          type: 'PlacementEnded',
          payload: {
            endedOn: '2025-01-10',
            reason: 'planlagt',
            by: { userId: 'seed', role: 'leder' },
            at: '2025-01-10T10:00:00.000Z',
          },
        },
      ],
    );
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('stores details encrypted, reads them back for the owning service only, and logs each access', async () => {
    const stored = await put(own.placementId, details());
    expect(stored.status).toBe(204);
    const read = await get(`/api/placements/${own.placementId}/personal-data`, 'demo-leder');
    expect(read.status).toBe(200);
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.body).toEqual(details());

    // At rest: no table holds the name or the number in plain text.
    const tables = await api.db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const [hit] = await api.db.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM "${table_name}" t WHERE t::text LIKE $1 OR t::text LIKE $2 OR t::text LIKE $3`,
        [`%${FNR}%`, `%${NAME}%`, `%${Buffer.from(NAME).toString('hex')}%`],
      );
      expect([table_name, Number(hit?.n)]).toEqual([table_name, 0]);
    }

    // Another service's caseworker: 404; a role without access to placements: 403. Both logged.
    expect(
      (await get(`/api/placements/${own.placementId}/personal-data`, 'demo-sorvik-kontaktperson')).status,
    ).toBe(404);
    expect((await put(own.placementId, details(), 'demo-sorvik-leder')).status).toBe(404);
    expect((await get(`/api/placements/${own.placementId}/personal-data`, 'demo-tilsynsforer')).status).toBe(
      403,
    );
    const log = await api.db.dataSource.query<{ user_id: string; action: string; outcome: string }[]>(
      `SELECT user_id, action, outcome FROM access_log WHERE placement_id = $1 ORDER BY id`,
      [own.placementId],
    );
    expect(log).toEqual([
      {
        user_id: 'demo-kontaktperson',
        action: 'PUT /api/placements/{placementId}/personal-data',
        outcome: 'allowed',
      },
      {
        user_id: 'demo-leder',
        action: 'GET /api/placements/{placementId}/personal-data',
        outcome: 'allowed',
      },
      {
        user_id: 'demo-sorvik-kontaktperson',
        action: 'GET /api/placements/{placementId}/personal-data',
        outcome: 'hidden',
      },
      {
        user_id: 'demo-sorvik-leder',
        action: 'PUT /api/placements/{placementId}/personal-data',
        outcome: 'hidden',
      },
      {
        user_id: 'demo-tilsynsforer',
        action: 'GET /api/placements/{placementId}/personal-data',
        outcome: 'forbidden',
      },
    ]);
  });

  it('writes the access-log row in the same transaction as the write', async () => {
    await put(own.placementId, { ...details(), fosterFamily: [] });
    const [write] = await api.db.dataSource.query<{ xid: string }[]>(
      `SELECT xmin::text AS xid FROM child_details WHERE child_ref = $1`,
      [own.childRef],
    );
    const [logged] = await api.db.dataSource.query<{ xid: string }[]>(
      `SELECT xmin::text AS xid FROM access_log WHERE placement_id = $1 AND action LIKE 'PUT %' ORDER BY id DESC LIMIT 1`,
      [own.placementId],
    );
    expect(logged?.xid).toBeDefined();
    expect(logged?.xid).toBe(write?.xid);
  });

  it('refuses bad details naming the field, without echoing the value, and stores nothing', async () => {
    const before = (await get(`/api/placements/${own.placementId}/personal-data`)).body as unknown;
    const wrongDigit = `${FNR.slice(0, 10)}${(Number(FNR[10]) + 1) % 10}`;
    const cases: [unknown, string][] = [
      [details(wrongDigit), 'child.nationalId'],
      [{ ...details(), child: { name: '' } }, 'child.name'],
      [{ ...details(), parents: [{ name: 'X', email: 'ikke-epost' }] }, 'parents.0.email'],
      [{ ...details(), extra: NAME }, 'extra'],
      [{ child: { name: NAME }, parents: [] }, 'fosterFamily'],
    ];
    for (const [body, field] of cases) {
      const res = await put(own.placementId, body);
      expect(res.status).toBe(400);
      expect(bodyOf<Problem>(res).errors?.map((e) => e.field)).toContain(field);
      expect(res.text).not.toContain(wrongDigit);
      expect(res.text).not.toContain(NAME);
    }
    expect((await get(`/api/placements/${own.placementId}/personal-data`)).body).toEqual(before);
  });

  it('refuses a bad birth month naming child.birthYearMonth, and another service’s caseworker, changing nothing', async () => {
    const before = (await get(`/api/placements/${own.placementId}/personal-data`)).body as unknown;
    const events = async () =>
      (
        await new EventStore(api.db.dataSource).readStream({
          streamType: 'placement',
          streamId: own.placementId,
        })
      ).length;
    const eventsBefore = await events();
    const thisMonth = osloDateOf(Date.now()).slice(0, 7);
    const monthsFrom = (month: string, n: number) => {
      const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    };
    const child = (more: object) => ({ ...details(), child: { name: NAME, ...more } });
    const bad: unknown[] = [
      child({ birthYearMonth: monthsFrom(thisMonth, 1) }), // after this month
      child({ birthYearMonth: monthsFrom(thisMonth, -20 * 12 - 1) }), // more than 20 years back
      child({ birthYearMonth: '2015-13' }),
      child({ birthYearMonth: '2015-5' }),
      child({ birthYearMonth: 201505 }),
      child({ birthYearMonth: '2015-05', birthDate: '2015-06-01' }), // not the birth date's month
    ];
    for (const body of bad) {
      const res = await put(own.placementId, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const errors = bodyOf<Problem>(res).errors ?? [];
      expect(errors.map((e) => e.field)).toEqual(['child.birthYearMonth']);
      expect(errors[0]?.reason).toMatch(/\S/);
    }
    // Another service's caseworker with a valid birth month: refused as unknown (404), nothing sent.
    const valid = child({ birthYearMonth: monthsFrom(thisMonth, -10 * 12) });
    expect((await put(own.placementId, valid, 'demo-sorvik-kontaktperson')).status).toBe(404);
    expect((await get(`/api/placements/${own.placementId}/personal-data`)).body).toEqual(before);
    expect(await events()).toBe(eventsBefore);
  });

  it('keeps notes on tasks for those who may act on them', async () => {
    const path = `/api/tasks/${own.placementId}/${encodeURIComponent('fhr#1')}/notes`;
    const added = await post(
      path,
      { text: 'Fosterfar ønsker mer veiledning om søvn.' },
      'demo-fosterhjemsressurs',
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      taskId: 'fhr#1',
      authorId: 'demo-fosterhjemsressurs',
      authorRole: 'fosterhjemsressurs',
    });
    await post(path, { text: 'Avtalt nytt møte.' }, 'demo-leder');
    const list = await get(path, 'demo-kontaktperson');
    expect(bodyOf<{ text: string }[]>(list).map((n) => n.text)).toEqual([
      'Fosterfar ønsker mer veiledning om søvn.',
      'Avtalt nytt møte.',
    ]);
    // Who wrote each note, by name (the people the API knows; here the demo users).
    expect(bodyOf<{ authorName?: string }[]>(list).map((n) => n.authorName)).toEqual([
      'Sigrid Dahl',
      'Åse Myhre',
    ]);
    expect((await get(path, 'demo-sorvik-leder')).status).toBe(404);
    expect((await post(path, { text: 'x' }, 'demo-bufetat')).status).toBe(404);
    expect((await post(path, { text: '' }, 'demo-leder')).status).toBe(400);
    expect((await post(path, { text: 'x'.repeat(4001) }, 'demo-leder')).status).toBe(400);
    expect(await count('task_notes')).toBe(2);
  });

  it('adds a note once per Idempotency-Key: a retry, in sequence or at the same time, has one effect', async () => {
    const path = `/api/tasks/${own.placementId}/${encodeURIComponent('samtale#1')}/notes`;
    const before = await count('task_notes');
    const key = randomUUID();
    const text = 'Barnet gleder seg til skolestart.';
    const first = await post(path, { text }, 'demo-kontaktperson', key);
    expect(first.status).toBe(201);
    const again = await post(path, { text }, 'demo-kontaktperson', key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body); // the same note, as first answered
    const concurrent = randomUUID();
    const all = await Promise.all(
      Array.from({ length: 6 }, () => post(path, { text: 'Samtidig.' }, 'demo-kontaktperson', concurrent)),
    );
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(all.map((r) => bodyOf<{ noteId: string }>(r).noteId)).size).toBe(1);
    expect(await count('task_notes')).toBe(before + 2);
    // The key is the caller's: another person's note under the same key is their own.
    expect((await post(path, { text }, 'demo-leder', key)).status).toBe(201);
    expect(await count('task_notes')).toBe(before + 3);

    // The same key for another note, no key, a malformed key: 4xx naming the header, nothing stored.
    const other = await post(path, { text: 'Noe annet.' }, 'demo-kontaktperson', key);
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bodyOf<{ errors: unknown }>(other).errors).toEqual([
      { field: 'Idempotency-Key', reason: 'er brukt for et annet notat' },
    ]);
    const missing = await post(path, { text }, 'demo-kontaktperson', null);
    expect(missing.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(missing).errors).toEqual([
      { field: 'Idempotency-Key', reason: 'mangler' },
    ]);
    expect((await post(path, { text }, 'demo-kontaktperson', 'kort')).status).toBe(400);
    expect(await count('task_notes')).toBe(before + 3);
    const list = await get(path, 'demo-kontaktperson');
    expect(bodyOf<{ text: string }[]>(list).filter((n) => n.text === text)).toHaveLength(2);
  });

  it('purges only after the retention period, and then nothing can be read or written again', async () => {
    const ownPurge = `/api/placements/${own.placementId}/personal-data/purge`;
    expect((await post(ownPurge, {}, 'demo-leder')).status).toBe(409); // still active
    expect((await post(ownPurge, {}, 'demo-kontaktperson')).status).toBe(403);

    await put(ended.placementId, details());
    const notes = `/api/tasks/${ended.placementId}/${encodeURIComponent('samtale#1')}/notes`;
    expect((await post(notes, { text: 'Notat før sletting.' }, 'demo-leder')).status).toBe(201);
    const [copy] = await api.db.dataSource.query<{ sealed: Buffer }[]>(
      `SELECT sealed FROM child_details WHERE child_ref = $1`,
      [ended.childRef],
    );

    const purge = `/api/placements/${ended.placementId}/personal-data/purge`;
    expect((await post(purge, {}, 'demo-sorvik-leder')).status).toBe(404);
    const res = await post(purge, {}, 'demo-leder');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ purged: true });
    expect((await post(purge, {}, 'demo-leder')).body).toEqual({ purged: false });

    expect((await get(`/api/placements/${ended.placementId}/personal-data`)).status).toBe(410);
    expect((await get(notes)).status).toBe(410);
    expect((await put(ended.placementId, details())).status).toBe(410);
    expect((await post(notes, { text: 'Etter sletting.' }, 'demo-leder')).status).toBe(410);

    const [key] = await api.db.dataSource.query<{ wrapped_key: Buffer | null; shredded_by: string }[]>(
      `SELECT wrapped_key, shredded_by FROM child_keys WHERE child_ref = $1`,
      [ended.childRef],
    );
    expect(key).toEqual({ wrapped_key: null, shredded_by: 'demo-leder' });
    await expect(
      api.db.dataSource.query(
        `UPDATE child_keys SET wrapped_key = '\\x00', shredded_at = NULL WHERE child_ref = $1`,
        [ended.childRef],
      ),
    ).rejects.toThrow(/purged/);
    // A copy of the ciphertext (a backup) cannot be opened with the key-encryption key itself.
    if (!copy) throw new Error('no ciphertext was stored');
    expect(() => open(DEVELOPMENT_KEY, copy.sealed, `${ended.childRef}|details`)).toThrow();
    // The other placement's data is untouched.
    expect((await get(`/api/placements/${own.placementId}/personal-data`)).status).toBe(200);
  });
});
