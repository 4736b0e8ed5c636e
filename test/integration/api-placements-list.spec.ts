import request from 'supertest';
import type { PackageEvent } from '../../libs/domain/events.js';
import { ANNULLED } from '../../libs/domain/vocabulary.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES, DEMO_USERS } from '../../libs/security/index.js';
import {
  bodyOf,
  projectAll,
  seedPlannedPlacement,
  seedWorld,
  startTestApi,
  type TestApi,
} from '../support/api.js';

/*
 * The placements list (GET /api/placements) against real PostgreSQL: the read model as the projector
 * builds it from appended events, real tokens of the local issuer. Its rows are exactly the placements
 * GET /api/placements/{id} answers for the caller; each page is one access log row.
 */
type Item = {
  placementId: string;
  caseNumber: string | null;
  status: string;
  ordinaryYear: number | null;
  openTasks: number;
  overdueTasks: number;
  nextDueOn: string | null;
  pausedFrom: string | null;
  endedOn: string | null;
};
type Page = { items: Item[]; nextCursor: string | null };
type Problem = { status: number; errors?: { field: string; reason: string }[] };

const by = { userId: 'seed', role: 'leder' as const };
const AT = '2026-02-01T08:00:00.000Z';

describe('GET /api/placements (real PostgreSQL, local issuer)', () => {
  let api: TestApi;
  const ids: Record<string, string> = {};
  const get = async (path: string, userId: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const list = async (query: string, userId: string) => {
    const res = await get(`/api/placements?${query}`, userId);
    expect([query, res.status]).toEqual([query, 200]);
    return bodyOf<Page>(res);
  };
  /** Every page, following the cursor. */
  const all = async (query: string, userId: string) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, userId);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  const seed = async (
    name: string,
    serviceId: string,
    after: (t: readonly { taskId: string }[]) => PackageEvent[],
  ) => {
    const p = await seedPlannedPlacement(api.db, {
      serviceId,
      facts: placementFacts('omsorgsovertakelse', '2026-01-05'),
      after,
    });
    ids[name] = p.placementId;
  };
  const setNumber = async (placementId: string, caseNumber: string, userId = 'demo-leder') =>
    expect(
      (
        await request(api.server)
          .put(`/api/placements/${placementId}/case-number`)
          .set('Authorization', `Bearer ${await api.token(userId)}`)
          .send({ caseNumber })
      ).status,
    ).toBe(204);
  const listingLog = () =>
    api.db.dataSource.query<{ user_id: string; placement_ids: string[]; child_refs: string[] }[]>(
      `SELECT user_id, placement_ids, child_refs FROM access_log WHERE action = 'GET /api/placements' ORDER BY id`,
    );

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    ids.helped = world.nordbyHelped.placementId;
    ids.plain = world.nordbyPlain.placementId;
    ids.sorvik = world.sorvik.placementId;
    const nordby = DEMO_SERVICES.nordby;
    // Two tasks open, one of them overdue; one planned (not open yet).
    await seed('busy', nordby, (t) => [
      { type: 'TaskOpened', data: { taskId: t[0].taskId, at: AT } },
      { type: 'TaskOpened', data: { taskId: t[1].taskId, at: AT } },
      { type: 'TaskOverdue', data: { taskId: t[1].taskId, at: AT } },
    ]);
    await seed('paused', nordby, () => [
      { type: 'PlacementPaused', data: { reason: 'sykehusopphold', from: '2026-02-01', by, at: AT } },
    ]);
    await seed('ended', nordby, () => [
      { type: 'PlacementEnded', data: { endedOn: '2026-02-01', reason: 'planlagt', by, at: AT } },
    ]);
    await seed('annulled', nordby, () => [
      { type: 'PlacementEnded', data: { endedOn: '2026-01-05', reason: ANNULLED, by, at: AT } },
    ]);
    await seed('completed', nordby, () => [{ type: 'PackageCompleted', data: { at: AT } }]);
    await seed('ordinary', nordby, () => [
      { type: 'PackageCompleted', data: { at: AT } },
      {
        type: 'OrdinaryYearPlanned',
        data: { year: 2027, from: '2027-01-01', required: { oppfolgingsbesok: 2, tilsynsbesok: 2 }, at: AT },
      },
    ]);
    for (let i = 0; i < 5; i += 1) await seed(`more${i}`, nordby, () => []);
    await projectAll(api.db);
    await setNumber(ids.busy, '2026/0001');
    await setNumber(ids.annulled, '2026/0002');
    await setNumber(ids.ended, '2026/0003');
    await setNumber(ids.ordinary, '2025/0009');
    await setNumber(ids.sorvik, '2026/0001', 'demo-sorvik-leder');
  });
  afterAll(() => api?.close());

  it('lists for every demo user exactly the placements GET /api/placements/{id} answers (403 for the others)', async () => {
    const every = (
      await api.db.dataSource.query<{ placement_id: string }[]>(`SELECT placement_id FROM placements`)
    ).map((r) => r.placement_id);
    expect(every.length).toBe(14);
    let listers = 0;
    for (const user of DEMO_USERS) {
      const readable: string[] = [];
      for (const id of every)
        if ((await get(`/api/placements/${id}`, user.userId)).status === 200) readable.push(id);
      const res = await get('/api/placements?limit=200', user.userId);
      if (res.status === 403) {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect([user.userId, readable]).toEqual([user.userId, []]);
        continue;
      }
      expect([user.userId, res.status]).toEqual([user.userId, 200]);
      listers += 1;
      const listed = (await all('limit=5', user.userId)).map((i) => i.placementId);
      expect([user.userId, [...listed].sort()]).toEqual([user.userId, [...readable].sort()]);
    }
    // Kontaktperson and leder of several services (the roles that have the page).
    expect(listers).toBeGreaterThanOrEqual(4);
  });

  it('shows status, phase, open and overdue tasks and the next due date of each placement', async () => {
    const items = new Map((await all('limit=200', 'demo-kontaktperson')).map((i) => [i.placementId, i]));
    expect(items.size).toBe(13);
    const status = (name: string) => items.get(ids[name])?.status;
    expect(
      ['busy', 'paused', 'ended', 'annulled', 'completed', 'ordinary'].map((n) => [n, status(n)]),
    ).toEqual([
      ['busy', 'active'],
      ['paused', 'paused'],
      ['ended', 'ended'],
      ['annulled', 'annulled'],
      ['completed', 'completed'],
      ['ordinary', 'active'],
    ]);
    expect(items.get(ids.paused)?.pausedFrom).toBe('2026-02-01');
    expect(items.get(ids.annulled)?.endedOn).toBe('2026-01-05');
    expect(items.get(ids.ordinary)?.ordinaryYear).toBe(2027);
    expect(items.get(ids.busy)?.ordinaryYear).toBeNull();
    const busy = items.get(ids.busy)!;
    expect([busy.openTasks, busy.overdueTasks, busy.caseNumber]).toEqual([2, 1, '2026/0001']);
    expect(busy.nextDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(items.get(ids.plain)).toMatchObject({
      openTasks: 0,
      overdueTasks: 0,
      nextDueOn: null,
      caseNumber: null,
    });
  });

  it('sorts by case number (none last), filters by status and case-number prefix', async () => {
    const numbers = (await all('limit=200', 'demo-leder')).map((i) => i.caseNumber);
    expect(numbers.slice(0, 4)).toEqual(['2025/0009', '2026/0001', '2026/0002', '2026/0003']);
    expect(numbers.slice(4).every((n) => n === null)).toBe(true);

    const names = (items: Item[]) =>
      items.map((i) => Object.keys(ids).find((k) => ids[k] === i.placementId)).sort();
    expect(names((await list('status=annulled', 'demo-leder')).items)).toEqual(['annulled']);
    expect(names((await list('status=ended', 'demo-leder')).items)).toEqual(['ended']);
    const both = ['annulled', 'ended', 'paused'];
    expect(names((await list('status=ended,annulled,paused', 'demo-leder')).items)).toEqual(both);
    expect(names((await list('status=ended&status=annulled&status=paused', 'demo-leder')).items)).toEqual(
      both,
    );
    expect(names((await list('status=completed', 'demo-leder')).items)).toEqual(['completed']);
    expect(names((await list('q=2026%2F000', 'demo-leder')).items)).toEqual(['annulled', 'busy', 'ended']);
    expect(names((await list('q=2025', 'demo-leder')).items)).toEqual(['ordinary']);
    // Sørvik's number is Sørvik's: not Nordby's to find.
    expect((await list('q=2026%2F0001', 'demo-sorvik-leder')).items.map((i) => i.placementId)).toEqual([
      ids.sorvik,
    ]);
  });

  it('pages with a stable cursor: every placement once, in order, over several pages', async () => {
    const whole = (await list('limit=200', 'demo-leder')).items.map((i) => i.placementId);
    const first = await list('limit=4', 'demo-leder');
    expect(first.items.map((i) => i.placementId)).toEqual(whole.slice(0, 4));
    // The same cursor answers the same page again.
    const second = await list(`limit=4&cursor=${first.nextCursor}`, 'demo-leder');
    expect((await list(`limit=4&cursor=${first.nextCursor}`, 'demo-leder')).items).toEqual(second.items);
    expect((await all('limit=4', 'demo-leder')).map((i) => i.placementId)).toEqual(whole);
    const last = await list(`limit=200&cursor=${first.nextCursor}`, 'demo-leder');
    expect(last.nextCursor).toBeNull();
    expect(last.items.length).toBe(whole.length - 4);
  });

  it('writes one access log row per page naming every placement and child on it', async () => {
    const before = (await listingLog()).length;
    const page = await list('limit=3', 'demo-kontaktperson');
    const rows = await listingLog();
    expect(rows.length).toBe(before + 1);
    const row = rows[rows.length - 1];
    expect(row.user_id).toBe('demo-kontaktperson');
    expect([...row.placement_ids].sort()).toEqual(page.items.map((i) => i.placementId).sort());
    expect(row.child_refs.length).toBe(3);
  });

  it('refuses bad input with 400 problem+json naming the field, and logs no listing', async () => {
    const before = (await listingLog()).length;
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['status=bogus', 'status'],
      ['status=active,bogus', 'status'],
      ['status=', 'status'],
      [`q=${'1'.repeat(31)}`, 'q'],
      ['cursor=not-a-cursor', 'cursor'],
      [
        `cursor=${Buffer.from(JSON.stringify({ p: [false, 'x', 'not-a-uuid'] })).toString('base64url')}`,
        'cursor',
      ],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/placements?${query}`, 'demo-leder');
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const fields = new Set(bodyOf<Problem>(res).errors?.map((e) => e.field));
      expect([query, [...fields]]).toEqual([query, [field]]);
    }
    expect((await listingLog()).length).toBe(before);
  });
});
