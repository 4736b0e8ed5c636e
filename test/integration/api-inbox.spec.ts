import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  startTestApi,
  type FixturePlacement,
  type FixtureTask,
  type TestApi,
} from '../support/api.js';

/*
 * The inbox's views, sorts, search and keyset paging (issue 15 item 2) against real PostgreSQL: read models
 * built by the projector from appended events, real tokens of the local issuer. Dates of completions are
 * built from today (the «done» view looks 30 days back from today in Oslo); due dates are fixed.
 */
interface Item {
  placementId: string;
  taskId: string;
  title: string;
  dueOn: string;
  caseNumber?: string;
  assigneeId: string | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  errors: { field: string; reason: string }[];
}

const today = osloDateOf(Date.now());
const ME = 'demo-kontaktperson';
const key = (i: Pick<Item, 'placementId' | 'taskId'>) => `${i.placementId}/${i.taskId}`;

describe('GET /api/tasks: views, sort, search and cursor paging (real PostgreSQL)', () => {
  let api: TestApi;
  /** Mine: one task assigned to me and my role's pool beside it; a tilsynsfører pool task; two completed. */
  let worked: FixturePlacement;
  /** A placement I hold no task in: its pool is the pool's, not mine. */
  let other: FixturePlacement;
  /** Many pool tasks without a case number, for paging (23: pages of 4 end in a short one). */
  let many: FixturePlacement;

  const get = async (path: string, userId = ME) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const page = async (query: string, userId = ME): Promise<Page> => {
    const res = await get(`/api/tasks?${query}`, userId);
    expect(`${query}: ${res.status}`).toBe(`${query}: 200`);
    return bodyOf<Page>(res);
  };
  const keys = async (query: string, userId = ME) => (await page(query, userId)).items.map(key);
  /** Every page of a query, by its cursor, with `between` run after each page but the last. */
  const allPages = async (query: string, between: (n: number) => Promise<void> = async () => {}) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let n = 0; ; n++) {
      const p: Page = await page(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...p.items);
      if (!p.nextCursor) return items;
      expect(p.items.length).toBeGreaterThan(0);
      cursor = p.nextCursor;
      await between(n);
    }
  };
  const caseNumber = (p: FixturePlacement, number: string) =>
    api.db.dataSource.query(
      `INSERT INTO placement_case_numbers (placement_id, service_id, child_ref, case_number, updated_by)
       VALUES ($1, $2, $3, $4, 'seed')`,
      [p.placementId, p.serviceId, p.childRef, number],
    );
  const nordby = (tasks: FixtureTask[]) =>
    seedPlacement(api.db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: false, tasks });

  beforeAll(async () => {
    api = await startTestApi();
    worked = await nordby([
      { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2027-03-01', assigneeId: ME, title: 'Alfa' },
      { taskId: 'samtale#2', role: 'kontaktperson', dueOn: '2027-03-02', title: 'Beta 100%' },
      { taskId: 'tilsyn#1', role: 'tilsynsforer', dueOn: '2027-03-03', title: 'Delta' },
      // Completed three days ago (done) and forty days ago (not in the last 30 days).
      {
        taskId: 'samtale#3',
        role: 'kontaktperson',
        dueOn: '2027-01-05',
        assigneeId: ME,
        completedOn: addDays(today, -3),
      },
      {
        taskId: 'samtale#4',
        role: 'kontaktperson',
        dueOn: '2026-01-05',
        assigneeId: ME,
        completedOn: addDays(today, -40),
      },
    ]);
    other = await nordby([
      { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2027-03-01', title: 'Alfa' },
      { taskId: 'samtale#2', role: 'kontaktperson', dueOn: '2027-03-04', assigneeId: 'demo-kontaktperson-2' },
    ]);
    many = await nordby(
      Array.from({ length: 23 }, (_, i) => ({
        taskId: `steg-${String(i).padStart(2, '0')}#1`,
        role: 'kontaktperson' as const,
        // Due dates repeat (every third task shares one), so ties are broken by the task's key.
        dueOn: addDays('2027-04-01', Math.floor(i / 3)),
        title: `Steg ${String((i * 7) % 23).padStart(2, '0')}`,
      })),
    );
    await caseNumber(worked, '2026/0002');
    await caseNumber(other, '2026/0001');
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('«mine»: assigned to me, or my role’s pool in a placement where I hold a task; open ones only', async () => {
    expect(await keys('view=mine')).toEqual([
      `${worked.placementId}/samtale#1`,
      `${worked.placementId}/samtale#2`,
    ]);
    // Another caseworker's «mine»: their task and the pool of the placement they hold it in, not mine.
    expect(await keys('view=mine', 'demo-kontaktperson-2')).toEqual([
      `${other.placementId}/samtale#1`,
      `${other.placementId}/samtale#2`,
    ]);
  });

  it('«pool»: every open unassigned task of my roles I may see; «done»: completed in the last 30 days', async () => {
    const pool = await keys('view=pool&limit=200');
    expect(pool).toHaveLength(2 + 23);
    expect(pool).toEqual(
      expect.arrayContaining([`${worked.placementId}/samtale#2`, `${other.placementId}/samtale#1`]),
    );
    expect(pool).not.toContain(`${worked.placementId}/tilsyn#1`); // another role's pool
    expect(await keys('view=pool', 'demo-tilsynsforer')).toEqual([`${worked.placementId}/tilsyn#1`]);
    expect(await keys('view=done')).toEqual([`${worked.placementId}/samtale#3`]);
    // «open»: every visible task not closed, whoever holds it; «all» the closed ones too.
    const open = await keys('view=open&limit=200');
    expect(open).toHaveLength(3 + 2 + 23);
    expect(open).not.toContain(`${worked.placementId}/samtale#3`);
    expect(await keys('limit=200')).toHaveLength(3 + 2 + 23 + 2);
  });

  it('counts each view as it lists, for the same visible tasks', async () => {
    const res = await get('/api/tasks/counts');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mine: 2, pool: 25, done: 1 });
    expect((await get('/api/tasks/counts', 'demo-kontaktperson-2')).body).toEqual({
      mine: 2,
      pool: 25,
      done: 1,
    });
    // Another service sees none of these.
    expect((await get('/api/tasks/counts', 'demo-sorvik-kontaktperson')).body).toEqual({
      mine: 0,
      pool: 0,
      done: 0,
    });
    const admin = await get('/api/tasks/counts', 'demo-admin');
    expect(admin.status).toBe(403);
    expect(admin.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('sorts by case number (placements without one last), step title and due date, either way', async () => {
    const byCase = await page('view=pool&sort=caseNumber&limit=200');
    const owners = byCase.items.map((i) => i.placementId);
    const firstOf = (id: string) => owners.indexOf(id);
    const lastOf = (id: string) => owners.lastIndexOf(id);
    expect(lastOf(other.placementId)).toBeLessThan(firstOf(worked.placementId)); // 2026/0001 < 2026/0002
    expect(lastOf(worked.placementId)).toBeLessThan(firstOf(many.placementId)); // none: last
    expect(byCase.items[0].caseNumber).toBe('2026/0001');
    const descending = await keys('view=pool&sort=-caseNumber&limit=200');
    expect(descending).toEqual(byCase.items.map(key).reverse());

    const titles = (await page('view=pool&sort=step&limit=200')).items.map((i) => i.title);
    expect(titles).toEqual([...titles].sort());
    expect(titles[0]).toBe('Alfa');
    const dues = (await page('view=pool&sort=-dueOn&limit=200')).items.map((i) => i.dueOn);
    expect(dues).toEqual([...dues].sort().reverse());
  });

  it('searches the step title and the case number, case-insensitively, % and _ taken literally', async () => {
    expect(await keys('view=all&q=2026%2F0001')).toEqual([
      `${other.placementId}/samtale#1`,
      `${other.placementId}/samtale#2`,
    ]);
    expect(await keys('view=pool&q=beta')).toEqual([`${worked.placementId}/samtale#2`]);
    expect(await keys('view=pool&q=100%25')).toEqual([`${worked.placementId}/samtale#2`]);
    expect(await keys('view=pool&q=%25%25')).toEqual([]);
    expect(await keys('view=pool&q=steg_0')).toEqual([]);
    // A case number is searchable only by the staff who see it: another service's staff find nothing.
    expect(await keys('view=all&q=2026%2F0001', 'demo-sorvik-kontaktperson')).toEqual([]);
  });

  it('filters a due-date range within a view', async () => {
    const items = (await page('view=pool&dueFrom=2027-04-02&dueTo=2027-04-03&limit=200')).items;
    expect(items.map((i) => i.dueOn)).toEqual([
      ...Array<string>(3).fill('2027-04-02'),
      ...Array<string>(3).fill('2027-04-03'),
    ]);
  });

  it.each(['dueOn', '-dueOn', 'step', 'caseNumber', '-step'])(
    'pages by cursor (sort %s) without overlap or gap while tasks are added between the pages',
    async (sort) => {
      const before = await keys(`view=pool&sort=${sort}&limit=200`);
      const added: FixturePlacement[] = [];
      const items = await allPages(`view=pool&sort=${sort}&limit=4`, async (n) => {
        if (n > 2) return;
        // New pool tasks on both sides of the page boundary (earlier and later due, A… and Z… titles).
        added.push(
          await nordby([
            { taskId: 'ny#1', role: 'kontaktperson', dueOn: '2027-01-01', title: `Aa ny ${sort} ${n}` },
            { taskId: 'ny#2', role: 'kontaktperson', dueOn: '2028-01-01', title: `Zz ny ${sort} ${n}` },
          ]),
        );
        await projectAll(api.db);
      });
      const seen = items.map(key);
      expect(new Set(seen).size).toBe(seen.length); // no task twice
      expect(seen.filter((k) => before.includes(k))).toEqual(before); // every earlier task, in order
      // What was added shows where the sort puts it: after the page boundary, or not on these pages.
      const after = await keys(`view=pool&sort=${sort}&limit=200`);
      expect(seen).toEqual(after.filter((k) => seen.includes(k)));
      expect(added).toHaveLength(3);
    },
  );

  it('refuses a bad view, sort, range, search or cursor with problem+json naming the field', async () => {
    const first = await page('view=pool&sort=step&limit=2');
    const cases: [query: string, field: string, reason?: RegExp][] = [
      ['view=alle', 'view'],
      ['sort=frist', 'sort'],
      ['sort=--dueOn', 'sort'],
      ['dueFrom=2027-05-01&dueTo=2027-04-30', 'dueTo', /før fra-datoen/],
      ['dueFrom=2027-02-30', 'dueFrom'],
      ['q=', 'q'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['cursor=ikke-en-mark%C3%B8r', 'cursor', /markør/],
      [`view=pool&sort=dueOn&cursor=${first.nextCursor}`, 'cursor', /annen sortering/],
      [
        `cursor=${Buffer.from(JSON.stringify({ s: 'dueOn', k: ['2027-02-30', worked.placementId, 'x'] })).toString('base64url')}`,
        'cursor',
      ],
    ];
    for (const [query, field, reason] of cases) {
      const res = await get(`/api/tasks?${query}`);
      expect(`${query}: ${res.status}`).toBe(`${query}: 400`);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const errors = bodyOf<Problem>(res).errors;
      expect(errors).toEqual([expect.objectContaining({ field })]);
      if (reason) expect(errors[0].reason).toMatch(reason);
    }
    // The cursor of the first page still takes the next one in its own sort.
    expect((await page(`view=pool&sort=step&limit=2&cursor=${first.nextCursor}`)).items).toHaveLength(2);
  });
});
