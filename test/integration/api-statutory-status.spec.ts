import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../libs/domain/calendar/oslo-time.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import {
  DEMO_FJORD_MUNICIPALITIES,
  DEMO_FJORD_SERVICES,
  DEMO_MUNICIPALITIES,
  DEMO_SERVICES,
} from '../../libs/security/index.js';
import { nbCsvLines } from '../support/csv.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * GET /api/statutory-status: every placement of the leader's service with its statutory status for a
 * year, on placements planned by the real planner from the default catalog and folded by the projector
 * into the statutory ledger. Dates are built from today (Oslo): a past year's outcome is settled on any
 * date; the running year's levels are checked against the early warning's risk list.
 */

interface Duty {
  kind: string;
  required: number;
  completed: number;
  planned: number;
  waived: number;
  remaining: number;
  nextDue: string | null;
  saveBy: string;
  level?: string;
  status: string;
}
interface Row {
  placementId: string;
  caseNumber?: string;
  municipalityId: string;
  municipality: string | null;
  placementDate: string;
  phase: string;
  endedOn: string | null;
  status: string;
  duties: Duty[];
}
interface Counts {
  bak: number;
  'i-fare': number;
  'i-rute': number;
  fullfort: number;
}
interface Page {
  year: number;
  reportDate: string;
  totals: { placements: number; oppfolgingsbesok: Counts; tilsynsbesok: Counts; overall: Counts };
  matching: number;
  offset: number;
  limit: number;
  rows: Row[];
}

const by = { userId: 'seed', role: 'kontaktperson' as const };
const at = new Date().toISOString();

describe('statutory status of every placement (real PostgreSQL, projector-built ledger)', () => {
  let api: TestApi;
  const today = osloWallClock(new Date().toISOString()).date;
  const year = Number(today.slice(0, 4));
  const lastYear = year - 1;
  /** Placed on 1 March last year: last year's visits are settled whatever today is. */
  const march = `${lastYear}-03-01`;
  const ids = { done: '', behind: [] as string[], trondheim: '', older: '', sorvik: '' };
  let trondheimId = '';
  let nordbyName = '';

  const get = async (userId: string, query: string) =>
    request(api.server)
      .get(`/api/statutory-status${query}`)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const page = async (query: string, userId = 'demo-leder') => {
    const res = await get(userId, query);
    expect(res.status).toBe(200);
    return bodyOf<Page>(res);
  };

  beforeAll(async () => {
    api = await startTestApi();
    [{ name: nordbyName }] = await api.db.dataSource.query<{ name: string }[]>(
      `SELECT name FROM municipalities WHERE id = $1`,
      [DEMO_MUNICIPALITIES.nordby],
    );
    [{ id: trondheimId }] = await api.db.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM municipalities WHERE number = '5001'`,
    );
    const seed = (
      placementDate: string,
      options: { serviceId?: string; municipalityId?: string; doneIn?: number } = {},
    ) =>
      seedPlannedPlacement(api.db, {
        serviceId: options.serviceId ?? DEMO_SERVICES.nordby,
        municipalityId: options.municipalityId ?? DEMO_MUNICIPALITIES.nordby,
        facts: placementFacts('omsorgsovertakelse', placementDate),
        // Every statutory visit due in `doneIn` done on its day.
        after: (tasks) =>
          tasks
            .filter(
              (t) => t.statutory && options.doneIn !== undefined && t.dueOn.startsWith(`${options.doneIn}-`),
            )
            .map((t) => ({
              type: 'TaskCompleted' as const,
              data: { taskId: t.taskId, at, completedOn: t.dueOn, outcome: 'gjennomfort' as const, by },
            })),
      });
    ids.done = (await seed(march, { doneIn: lastYear })).placementId;
    for (let i = 0; i < 5; i++) ids.behind.push((await seed(addDays(march, i))).placementId);
    ids.trondheim = (await seed(march, { municipalityId: trondheimId })).placementId;
    // Placed the year before last: its package ended last year, which it ends in ordinary follow-up.
    ids.older = (await seed(`${lastYear - 1}-06-01`)).placementId;
    ids.sorvik = (
      await seed(march, { serviceId: DEMO_SERVICES.sorvik, municipalityId: DEMO_MUNICIPALITIES.sorvik })
    ).placementId;
    // This year: a placement a month old with nothing done, and one with this year's visits done.
    await seed(addDays(today, -30));
    await seed(addDays(today, -30), { doneIn: year });
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('lists a past year of the leader’s own service: settled statuses, phases, totals', async () => {
    const last = await page(`?year=${lastYear}&limit=200`);
    expect(last.year).toBe(lastYear);
    expect(last.reportDate).toBe(today);
    const nordby = [ids.done, ...ids.behind, ids.trondheim, ids.older];
    // Sørvik's placement is not in Nordby's list; the placements of a month ago have no days last year
    // unless today is in January or February (then they do), so only the seeded-last-year ones are asserted.
    const listed = last.rows.map((r) => r.placementId);
    expect(listed).not.toContain(ids.sorvik);
    expect(listed).toEqual(expect.arrayContaining(nordby));
    const row = (id: string) => last.rows.find((r) => r.placementId === id)!;

    // Every visit of last year done: done on both duties.
    const done = row(ids.done);
    expect(done.status).toBe('fullfort');
    for (const d of done.duties) {
      expect(d.required).toBeGreaterThan(0);
      expect(d.completed).toBeGreaterThanOrEqual(d.required);
      expect(d.remaining).toBe(0);
      expect(d.status).toBe('fullfort');
    }
    expect(done.duties.map((d) => d.kind)).toEqual(['oppfolgingsbesok', 'tilsynsbesok']);
    expect(done.phase).toBe('pakke');
    expect(done.municipality).toBe(nordbyName);
    expect(done.placementDate).toBe(march);
    // Nothing done: the year is lost, behind on both, the early warning's `brutt`.
    for (const id of [...ids.behind, ids.trondheim]) {
      const r = row(id);
      expect(r.status).toBe('bak');
      for (const d of r.duties) {
        expect(d).toMatchObject({ completed: 0, status: 'bak', level: 'brutt' });
        expect(d.remaining).toBe(d.required);
        expect(d.saveBy < `${year}-01-01`).toBe(true);
      }
    }
    // The placement of the year before last: its package ran out last year, so last year ends in
    // ordinary follow-up.
    expect(row(ids.older).phase).toBe('ordinaer');
    expect(row(ids.trondheim).municipality).toBe('Trondheim');

    // Totals count the whole service, whatever the filters and the page.
    const filtered = await page(`?year=${lastYear}&status=fullfort&limit=1`);
    expect(filtered.totals).toEqual(last.totals);
    expect(last.totals.placements).toBe(last.rows.length);
    const count = (status: string, kind?: string) =>
      last.rows.filter((r) => (kind ? r.duties.find((d) => d.kind === kind)?.status : r.status) === status)
        .length;
    for (const status of ['bak', 'i-fare', 'i-rute', 'fullfort'] as const) {
      expect(last.totals.overall[status]).toBe(count(status));
      expect(last.totals.oppfolgingsbesok[status]).toBe(count(status, 'oppfolgingsbesok'));
      expect(last.totals.tilsynsbesok[status]).toBe(count(status, 'tilsynsbesok'));
    }
    expect(last.totals.overall.bak).toBeGreaterThanOrEqual(7);
    expect(last.totals.overall.fullfort).toBeGreaterThanOrEqual(1);
    // Behind first (the default sort), the done placement after every behind one.
    const ranks = last.rows.map((r) => ['bak', 'i-fare', 'i-rute', 'fullfort'].indexOf(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('filters by municipality, status and duty', async () => {
    const inTrondheim = await page(`?year=${lastYear}&municipality=${trondheimId}`);
    expect(inTrondheim.rows.map((r) => r.placementId)).toEqual([ids.trondheim]);
    expect(inTrondheim.matching).toBe(1);

    const done = await page(`?year=${lastYear}&status=fullfort&kind=tilsynsbesok&limit=200`);
    expect(done.rows.map((r) => r.placementId)).toContain(ids.done);
    for (const r of done.rows)
      expect(r.duties.find((d) => d.kind === 'tilsynsbesok')?.status).toBe('fullfort');

    const behind = await page(`?year=${lastYear}&status=bak&limit=200`);
    expect(behind.rows.map((r) => r.placementId)).toEqual(
      expect.arrayContaining([...ids.behind, ids.trondheim, ids.older]),
    );
    expect(behind.rows.map((r) => r.placementId)).not.toContain(ids.done);
    expect(behind.matching).toBe(behind.rows.length);
    for (const r of behind.rows) expect(r.status).toBe('bak');
  });

  it('pages stably: every placement once, in the order of the whole list', async () => {
    for (const sort of ['risk', 'nextDue', 'municipality', 'placementDate']) {
      const whole = await page(`?year=${lastYear}&sort=${sort}&limit=200`);
      const seen: string[] = [];
      for (let offset = 0; offset < whole.matching; offset += 3) {
        const part = await page(`?year=${lastYear}&sort=${sort}&limit=3&offset=${offset}`);
        expect(part).toMatchObject({ offset, limit: 3, matching: whole.matching });
        expect(part.rows.length).toBe(Math.min(3, whole.matching - offset));
        seen.push(...part.rows.map((r) => r.placementId));
      }
      expect(seen).toEqual(whole.rows.map((r) => r.placementId));
      expect(new Set(seen).size).toBe(seen.length);
    }
    const byMunicipality = await page(`?year=${lastYear}&sort=municipality&limit=200`);
    const names = byMunicipality.rows.map((r) => r.municipality ?? '');
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'nb')));
    const byDate = await page(`?year=${lastYear}&sort=placementDate&limit=200`);
    expect(byDate.rows[0].placementId).toBe(ids.older);
  });

  it('this year: the levels and save-by days are the early warning’s', async () => {
    const now = await page('?limit=200');
    expect(now.year).toBe(year);
    expect(now.rows.length).toBeGreaterThan(0);
    const risk = await request(api.server)
      .get(`/api/adherence/statutory-risk?year=${year}`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(risk.status).toBe(200);
    const warnings = bodyOf<({ placementId: string; kind: string; year: number } & Partial<Duty>)[]>(risk);
    const key = (w: { placementId: string; kind: string }) => `${w.placementId}/${w.kind}`;
    const atRisk = new Map(
      now.rows.flatMap((r) =>
        r.duties.filter((d) => d.level).map((d) => [key({ placementId: r.placementId, kind: d.kind }), d]),
      ),
    );
    expect([...atRisk.keys()].sort()).toEqual(warnings.map(key).sort());
    // The same figures as the risk list's (its year and ids aside).
    for (const w of warnings) {
      const { placementId, year: warned, ...figures } = w;
      expect(warned).toBe(year);
      expect(atRisk.get(key({ placementId, kind: w.kind }))).toMatchObject(figures);
    }
    for (const r of now.rows)
      for (const d of r.duties) {
        expect(d.status).toBe(
          d.remaining === 0 ? 'fullfort' : d.level === 'brutt' ? 'bak' : d.level ? 'i-fare' : 'i-rute',
        );
        // The next visit due is an open one: never before the placement, and one exists while visits are planned ahead.
        if (d.nextDue !== null) expect(d.nextDue >= r.placementDate).toBe(true);
      }
  });

  it('shows case numbers to the service and logs the page as one listing; the CSV carries none', async () => {
    const numbered = await request(api.server)
      .put(`/api/placements/${ids.trondheim}/case-number`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`)
      .send({ caseNumber: 'T-2025/9' });
    expect(numbered.status).toBe(204);
    const before = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM access_log WHERE action = 'GET /api/statutory-status'`,
    );
    const shown = await page(`?year=${lastYear}&municipality=${trondheimId}`, 'demo-kontaktperson');
    expect(shown.rows[0].caseNumber).toBe('T-2025/9');
    const logged = await api.db.dataSource.query<{ child_refs: string[]; user_id: string }[]>(
      `SELECT child_refs, user_id FROM access_log WHERE action = 'GET /api/statutory-status' ORDER BY id`,
    );
    expect(logged.length).toBe(before[0].n + 1);
    expect(logged.at(-1)?.user_id).toBe('demo-kontaktperson');
    expect(logged.at(-1)?.child_refs).toHaveLength(1);

    const csv = await get('demo-leder', `?year=${lastYear}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="lovpalagt-oppfolging-${lastYear}-per-${today}.csv"`,
    );
    const lines = nbCsvLines(csv.text);
    expect(lines[0]).toBe(
      'Plassering;Kommune;Fase;Avsluttet;År;Besøk;Status;Påkrevd;Utført;Planlagt i året;Frafalt;Gjenstår;Planlagt resten av året;Forsinket;Neste besøk;Siste frist for å rekke det;Nivå',
    );
    const whole = await page(`?year=${lastYear}&limit=200`);
    expect(lines.length - 1).toBe(whole.rows.reduce((n, r) => n + r.duties.length, 0));
    expect(lines.find((l) => l.startsWith(ids.trondheim))).toMatch(
      /^[^;]+;Trondheim;Omsorgspakken;;\d{4};Oppfølgingsbesøk;Bak;\d+;0;/,
    );
    expect(csv.text).not.toContain('T-2025/9');
  });

  it('shows another service’s leader only that service; refuses the learning-network lead and other roles', async () => {
    const sorvik = await page(`?year=${lastYear}&limit=200`, 'demo-sorvik-leder');
    expect(sorvik.rows.map((r) => r.placementId)).toEqual([ids.sorvik]);
    expect(sorvik.totals.placements).toBe(1);
    for (const userId of [
      'demo-laeringsnettverksleder',
      'demo-fosterhjemsressurs',
      'demo-tilsynsforer',
      'demo-bufetat',
      'demo-admin',
    ]) {
      const res = await get(userId, '');
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers bad input with problem+json naming the field, and changes nothing', async () => {
    const listings = async () =>
      (
        await api.db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM access_log WHERE action = 'GET /api/statutory-status'`,
        )
      )[0].n;
    const before = await listings();
    const cases: [string, string][] = [
      ['?year=1999', 'year'],
      ['?year=2026.5', 'year'],
      ['?year=abc', 'year'],
      ['?sort=caseNumber', 'sort'],
      ['?status=forsinket', 'status'],
      ['?kind=samtale', 'kind'],
      ['?municipality=Trondheim', 'municipality'],
      [`?municipality=${randomUUID()}`, 'municipality'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?offset=-1', 'offset'],
      ['?format=xlsx', 'format'],
    ];
    for (const [query, field] of cases) {
      const res = await get('demo-leder', query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, reason: expect.any(String) as unknown })]),
      );
    }
    // Refused before anything was read: no listing was logged.
    expect(await listings()).toBe(before);
  });
});

/*
 * The early warning and statutory compliance over every year a placement was active, not only its
 * package's first: a placement whose package is completed (ordinary follow-up) and one that ended, in
 * Vestby (a service of its own, so the counts are exact). Dates are built from today (Oslo).
 */
describe('statutory risk and compliance across years (real PostgreSQL)', () => {
  let api: TestApi;
  const today = osloWallClock(new Date().toISOString()).date;
  const lastYear = Number(today.slice(0, 4)) - 1;
  const ids = { completed: '', ended: '', kept: '' };

  const get = async <T>(path: string) => {
    const res = await request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token('demo-vestby-leder')}`);
    expect(res.status).toBe(200);
    return bodyOf<T>(res);
  };

  beforeAll(async () => {
    api = await startTestApi();
    const seed = (placementDate: string, after: Parameters<typeof seedPlannedPlacement>[1]['after']) =>
      seedPlannedPlacement(api.db, {
        serviceId: DEMO_FJORD_SERVICES.vestby,
        municipalityId: DEMO_FJORD_MUNICIPALITIES.vestby,
        facts: placementFacts('omsorgsovertakelse', placementDate),
        after,
      });
    // Placed the year before last, its package completed last year: ordinary follow-up since, nothing done.
    ids.completed = (
      await seed(`${lastYear - 1}-06-01`, () => [{ type: 'PackageCompleted', data: { at } }])
    ).placementId;
    // Placed last March, ended last October, nothing done.
    ids.ended = (
      await seed(`${lastYear}-03-01`, () => [
        { type: 'PlacementEnded', data: { endedOn: `${lastYear}-10-01`, reason: 'planlagt', by, at } },
      ])
    ).placementId;
    // Placed last March with every visit of last year done.
    ids.kept = (
      await seed(`${lastYear}-03-01`, (tasks) =>
        tasks
          .filter((t) => t.statutory && t.dueOn.startsWith(`${lastYear}-`))
          .map((t) => ({
            type: 'TaskCompleted' as const,
            data: { taskId: t.taskId, at, completedOn: t.dueOn, outcome: 'gjennomfort' as const, by },
          })),
      )
    ).placementId;
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('warns of every year a running placement falls short in, also after its package completed', async () => {
    const risks = await get<{ placementId: string; kind: string; level: string; year: number }[]>(
      `/api/adherence/statutory-risk?year=${lastYear}`,
    );
    const key = (r: { placementId: string; kind: string }) => `${r.placementId}/${r.kind}`;
    // The ended placement leaves the early warning (nothing can be done for it); the status list keeps it.
    expect(risks.map(key).sort()).toEqual([
      `${ids.completed}/oppfolgingsbesok`,
      `${ids.completed}/tilsynsbesok`,
    ]);
    for (const r of risks) expect(r).toMatchObject({ year: lastYear, level: 'brutt' });
    // The year before last: the completed package's first year, asked for as any other.
    const earlier = await get<{ placementId: string }[]>(
      `/api/adherence/statutory-risk?year=${lastYear - 1}`,
    );
    expect(new Set(earlier.map((r) => r.placementId))).toEqual(new Set([ids.completed]));
  });

  it('counts compliance for each year a placement was active', async () => {
    const total = async (year: number) =>
      (
        await get<{ total: Record<string, unknown> }>(
          `/api/adherence/statutory-compliance?year=${year}&by=total`,
        )
      ).total;
    expect(await total(lastYear)).toMatchObject({
      placements: 3,
      followUpCompliant: 1,
      supervisionCompliant: 1,
    });
    expect(await total(lastYear - 1)).toMatchObject({
      placements: 1,
      followUpCompliant: 0,
      supervisionCompliant: 0,
    });
    // The status page agrees: the completed package's placement is in ordinary follow-up last year.
    const status = await get<Page>(`/api/statutory-status?year=${lastYear}`);
    expect(status.rows.find((r) => r.placementId === ids.completed)).toMatchObject({
      phase: 'ordinaer',
      status: 'bak',
    });
    expect(status.rows.find((r) => r.placementId === ids.ended)).toMatchObject({
      endedOn: `${lastYear}-10-01`,
      status: 'bak',
    });
    expect(status.totals.overall).toEqual({ bak: 2, 'i-fare': 0, 'i-rute': 0, fullfort: 1 });
  });
});
