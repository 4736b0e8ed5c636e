import { DEMO_SERVICES } from '../../libs/security/index.js';
import { adherenceDataset, complete, MARCH, Q1, type Report } from '../support/adherence-dataset.js';
import { bodyOf, projectAll, startTestApi, type FixturePlacement, type TestApi } from '../support/api.js';
import { nbCsvLines } from '../support/csv.js';

/*
 * The adherence report (GET /api/adherence/report) on the hand-computed dataset of
 * test/support/adherence-dataset.ts: a leader's and a learning-network lead's figures, published
 * quarters, refusals, as of a past instant, CSV, and the cache. Statutory visits:
 * api-adherence-statutory.spec.ts; the cohort reports: api-adherence-milestones.spec.ts and
 * api-adherence-followup.spec.ts.
 */
describe('adherence reports (real PostgreSQL, projector-built read model)', () => {
  let api: TestApi;
  const { nordby, sorvik, append, report, instantNow, seed } = adherenceDataset(() => api);

  beforeAll(async () => {
    api = await startTestApi();
    await seed();
  });
  afterAll(() => api?.close());

  it('computes the metrics of §7 for a leader’s own service, as hand-computed', async () => {
    const res = await report('demo-leder', `${MARCH}&by=service`);
    expect(res.status).toBe(200);
    const body = bodyOf<Report>(res);
    expect(body.suppression).toBe(false);
    expect(body.rows).toHaveLength(1);
    const expected = {
      placements: 6,
      due: 11,
      waived: 1,
      completed: 8,
      onTime: 4,
      onTimeRate: 0.4,
      completionRate: 0.8,
      overdue: 2,
      overdue1to7: 0,
      overdue8to30: 0,
      overdueOver30: 2,
      latenessMedianDays: 4,
      latenessP90Days: 8.5,
      waiverRate: 0.091,
      suppressed: false,
    };
    expect(body.total).toMatchObject(expected);
    expect(body.rows[0]).toMatchObject({ key: DEMO_SERVICES.nordby, ...expected });
    // April holds only the c#1 tasks, all open and overdue.
    const aprilRes = await report('demo-leder', 'from=2026-04-01&to=2026-04-30&by=total');
    expect(aprilRes.status).toBe(200);
    const april = bodyOf<Report>(aprilRes);
    expect(april.total).toMatchObject({ due: 6, completed: 0, overdue: 6, onTimeRate: 0 });
  });

  it('gives a learning-network lead aggregates only, with small cells and their partner hidden', async () => {
    const res = await report('demo-laeringsnettverksleder', `${Q1}&by=service`);
    expect(res.status).toBe(200);
    const body = bodyOf<Report>(res);
    expect(body.suppression).toBe(true);
    // Sørvik has 2 placements: hidden; Nordby is hidden with it, or Sørvik = total − Nordby.
    expect(body.rows.map((r) => [r.key, r.suppressed])).toEqual(
      [
        [DEMO_SERVICES.nordby, true],
        [DEMO_SERVICES.sorvik, true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    for (const row of body.rows) expect(Object.keys(row).sort()).toEqual(['key', 'label', 'suppressed']);
    expect(body.total).toMatchObject({ placements: 8, due: 15, completed: 10, onTime: 6 });
    // No placement or child id anywhere in the answer.
    const text = JSON.stringify(body);
    for (const p of [...nordby, ...sorvik]) {
      expect(text).not.toContain(p.placementId);
      expect(text).not.toContain(p.childRef);
    }
    // By month: one cell (March) with all 8 placements, shown.
    const months = bodyOf<Report>(await report('demo-laeringsnettverksleder', `${Q1}&by=month`));
    expect(months.rows).toEqual([
      expect.objectContaining({ key: '2026-03', suppressed: false, placements: 8 }),
    ]);
  });

  it('gives a learning-network lead published whole quarters only', async () => {
    const lead = (query: string) => report('demo-laeringsnettverksleder', query);
    const field = async (query: string) => {
      const res = await lead(query);
      expect(res.status).toBe(400);
      return bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors[0];
    };
    // A month, a year, a shifted quarter: a period inside another could be subtracted from it.
    expect((await field(MARCH))?.field).toBe('from');
    expect((await field('from=2026-01-01&to=2026-12-31'))?.field).toBe('from');
    expect((await field('from=2026-02-01&to=2026-04-30'))?.field).toBe('from');
    // Q1 is published 31 days after it ended (until then its figures move every day).
    expect(await field(`${Q1}&asOf=2026-04-20T12:00:00Z`)).toEqual({
      field: 'to',
      reason: 'publiseres 2026-05-01',
    });
    // From then on, the first time a lead asks publishes it: the facts as recorded at that instant,
    // counted up to the publication date. Q1 was published by the previous test.
    const published = bodyOf<Report>(await lead(Q1));
    expect(published.reportDate).toBe('2026-05-01');
    expect(Date.parse(published.asOf ?? '')).toBeLessThanOrEqual(Date.now());
    // As of an instant before the publication there was nothing to see; after it, the same publication.
    expect(await field(`${Q1}&asOf=2026-05-01T12:00:00Z`)).toEqual({
      field: 'asOf',
      reason: `publisert ${published.asOf}`,
    });
    expect(bodyOf<Report>(await lead(`${Q1}&asOf=${encodeURIComponent(new Date().toISOString())}`))).toEqual(
      published,
    );
    // No period a lead asks for wrongly publishes anything.
    const [{ n }] = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM adherence_publications`,
    );
    expect(n).toBe(1);
    // A leader keeps any period.
    expect((await report('demo-leder', 'from=2026-03-05&to=2026-03-09')).status).toBe(200);
    // Municipalities nest in services: both services are hidden (Sørvik is small), so are all municipalities.
    const munis = bodyOf<Report>(await lead(`${Q1}&by=municipality`));
    expect(munis.total.suppressed).toBe(false);
    expect(munis.rows.map((r) => r.suppressed)).toEqual([true, true]);
  });

  it('refuses other roles, bad periods and future instants', async () => {
    expect((await report('demo-kontaktperson', MARCH)).status).toBe(403);
    expect((await report('demo-fosterhjemsressurs', MARCH)).status).toBe(403);
    const backwards = await report('demo-leder', 'from=2026-03-31&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(backwards).errors[0]?.field).toBe('to');
    expect((await report('demo-leder', `${MARCH}&by=child`)).status).toBe(400);
    expect((await report('demo-leder', `${MARCH}&asOf=2999-01-01T00:00:00Z`)).status).toBe(400);
    expect((await report('demo-leder', 'from=2026-03-01')).status).toBe(400);
  });

  it('reproduces a report as of a past instant exactly, after later events changed the facts', async () => {
    const before = bodyOf<Report>(await report('demo-leder', `${MARCH}&by=service`));
    const published = bodyOf<Report>(await report('demo-laeringsnettverksleder', `${Q1}&by=total`));
    const instant = await instantNow();
    await append(nordby[2], [complete('b#1', '2026-03-25')]); // P3's overdue visit, late 15
    await projectAll(api.db);

    const after = bodyOf<Report>(await report('demo-leder', `${MARCH}&by=service`));
    expect(after.total).toMatchObject({ completed: 9, overdue: 1, latenessMedianDays: 5 });
    // The learning network's published quarter stays as it was published; the leader's figures move.
    expect(published.total).toMatchObject({ completed: 10 });
    expect(bodyOf<Report>(await report('demo-laeringsnettverksleder', `${Q1}&by=total`))).toEqual(published);
    const asOf = bodyOf<Report & { asOf: string }>(
      await report('demo-leder', `${MARCH}&by=service&asOf=${encodeURIComponent(instant)}`),
    );
    expect(asOf.asOf).toBe(instant);
    expect({ ...asOf, asOf: undefined }).toEqual({ ...before, asOf: undefined });

    // A rebuild of the read models from the events reproduces the same past.
    const { rebuild } = await import('../../libs/projections/index.js');
    await rebuild(api.db.dataSource);
    const rebuilt = bodyOf<Report>(
      await report('demo-leder', `${MARCH}&by=service&asOf=${encodeURIComponent(instant)}`),
    );
    expect({ ...rebuilt, asOf: undefined }).toEqual({ ...before, asOf: undefined });
  });

  it('exports every report as CSV for Norwegian spreadsheets', async () => {
    const res = await report('demo-laeringsnettverksleder', `${Q1}&by=service&format=csv`);
    const json = bodyOf<Report>(await report('demo-laeringsnettverksleder', `${Q1}&by=service`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="etterlevelse-etter-tjeneste-2026-01-01-til-2026-03-31-per-${json.reportDate}.csv"`,
    );
    const lines = nbCsvLines(res.text);
    expect(lines[0]).toBe(
      'Nøkkel;Gruppe;Skjult (små tall);Plasseringer;Forfalt i perioden;Frafalt;Utført;Utført i tide;Andel i tide;' +
        'Andel utført;Forsinket;Forsinket 1–7 dager;Forsinket 8–30 dager;Forsinket over 30 dager;' +
        'Forsinkelse, median (dager);Forsinkelse, 90-persentil (dager);Andel frafalt',
    );
    expect(lines).toHaveLength(4); // two services and the total
    expect(lines[1]).toMatch(/;ja;;;/); // hidden: no figures
    expect(lines[3]).toMatch(/^total;Totalt;nei;8;/);
    // Shares with a decimal comma, as the JSON's figures.
    const total = lines[3].split(';');
    expect(total[8]).toBe(`${json.total.onTimeRate as number}`.replace('.', ','));
  });

  // Last: it edits the read model behind the projector's back.
  it('serves a repeated report from the cache until facts due in its period change', async () => {
    const march = async (query = `${MARCH}&by=total`) =>
      bodyOf<Report>(await report('demo-leder', query)).total;
    // The same report under another cache key (an explicit format=json): computed afresh.
    const fresh = () => march(`${MARCH}&by=total&format=json`);
    const first = await march();
    expect(first.overdue).toBeGreaterThan(0);
    const [late] = await api.db.dataSource.query<{ placement_id: string; task_id: string }[]>(
      `SELECT placement_id::text, task_id FROM adherence_facts
        WHERE service_id = $1 AND recorded_to IS NULL AND status IN ('open', 'planned')
          AND due_on BETWEEN '2026-03-01' AND '2026-03-31' ORDER BY placement_id, task_id LIMIT 1`,
      [DEMO_SERVICES.nordby],
    );
    const overdue = nordby.find((p) => p.placementId === late?.placement_id);
    expect(overdue).toBeDefined();
    // Changed without the projector (no change recorded): the cached report is served.
    await api.db.dataSource.query(
      `UPDATE adherence_facts SET status = 'completed', completed_on = due_on
        WHERE service_id = $1 AND recorded_to IS NULL AND status IN ('open', 'planned')
          AND due_on BETWEEN '2026-03-01' AND '2026-03-31'`,
      [DEMO_SERVICES.nordby],
    );
    expect(await fresh()).not.toEqual(first);
    expect(await march()).toEqual(first);
    // The projector writes a fact due in April: March's report still stands.
    await append(nordby[0], [complete('c#1', '2026-04-02')]);
    await projectAll(api.db);
    expect(await march()).toEqual(first);
    // ... and one due in March: the report is computed again, from what the read model holds now.
    await append(overdue as FixturePlacement, [complete(late?.task_id ?? '', '2026-03-25')]);
    await projectAll(api.db);
    const again = await march();
    expect(again).not.toEqual(first);
    expect(again).toEqual(await fresh());
  });
});
