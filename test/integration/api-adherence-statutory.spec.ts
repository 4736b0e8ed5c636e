import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { LEDGER_KIND_LABEL, RISK_LEVEL_LABEL } from '../../libs/domain/labels.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { DEMO_NETWORK, DEMO_SERVICES } from '../../libs/security/index.js';
import { nbCsvLines } from '../support/csv.js';
import { adherenceDataset, at, by, complete, Q1, type Report } from '../support/adherence-dataset.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  seedPlannedPlacement,
  startTestApi,
  type FixturePlacement,
  type TestApi,
} from '../support/api.js';

/*
 * The statutory visit reports (GET /api/adherence/statutory-compliance and statutory-risk) on the
 * dataset of test/support/adherence-dataset.ts and placements planned from the default catalog: the
 * early warning, compliance for a year, both as of a past instant, and a lead's published year and
 * quarter keeping the network as it was then.
 */
describe('adherence reports (real PostgreSQL, projector-built read model)', () => {
  let api: TestApi;
  const { store, append, report, get, asOfPath, instantNow, seed } = adherenceDataset(() => api);

  beforeAll(async () => {
    api = await startTestApi();
    await seed();
  });
  afterAll(() => api?.close());

  it('warns a leader of placements whose statutory visits for the year fall short', async () => {
    // A real plan from the default catalog, placed early in 2025; one placement with every 2025 visit done.
    const seedPlanned = (serviceId: string) =>
      seedPlannedPlacement(api.db, { serviceId, facts: placementFacts('omsorgsovertakelse', '2025-01-06') });
    const behind = await seedPlanned(DEMO_SERVICES.nordby);
    const kept = await seedPlanned(DEMO_SERVICES.nordby);
    await seedPlanned(DEMO_SERVICES.sorvik);
    const visits2025 = kept.tasks.filter((t) => t.statutory && t.dueOn.startsWith('2025'));
    await store().append(
      { streamType: 'placement', streamId: kept.placementId },
      'any',
      visits2025.map((t) => ({
        eventId: randomUUID(),
        type: 'TaskCompleted',
        payload: { taskId: t.taskId, at, completedOn: t.dueOn, outcome: 'gjennomfort', by },
      })),
    );
    await projectAll(api.db);
    // The service's own case number names the placement in the list (issue 15), never in the CSV.
    const numbered = await request(api.server)
      .put(`/api/placements/${behind.placementId}/case-number`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`)
      .send({ caseNumber: '2025/77' });
    expect(numbered.status).toBe(204);

    const res = await request(api.server)
      .get('/api/adherence/statutory-risk?year=2025')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(res.status).toBe(200);
    const risks =
      bodyOf<{ placementId: string; kind: string; level: string; remaining: number; required: number }[]>(
        res,
      );
    // Only the placement that is behind, both kinds of visit, the year already lost.
    expect(new Set(risks.map((r) => r.placementId))).toEqual(new Set([behind.placementId]));
    expect(risks.map((r) => r.kind).sort()).toEqual(['oppfolgingsbesok', 'tilsynsbesok']);
    expect(risks.map((r) => (r as { caseNumber?: string }).caseNumber)).toEqual(['2025/77', '2025/77']);
    // Showing it is a read of the child's data: one listing row names the child.
    const [listing] = await api.db.dataSource.query<{ child_refs: string[]; user_id: string }[]>(
      `SELECT child_refs, user_id FROM access_log WHERE action = 'GET /api/adherence/statutory-risk' ORDER BY id`,
    );
    expect(listing).toEqual({ child_refs: [behind.childRef], user_id: 'demo-leder' });
    for (const r of risks) {
      expect(r.level).toBe('brutt');
      expect(r.remaining).toBe(r.required);
      expect(r.required).toBeGreaterThan(0);
    }
    // Compliance for the year: one of the two Nordby placements had every visit.
    const compliance = await request(api.server)
      .get('/api/adherence/statutory-compliance?year=2025&by=total')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(compliance.status).toBe(200);
    expect(bodyOf<Report>(compliance).total).toEqual({
      key: 'total',
      label: 'Totalt',
      suppressed: false,
      placements: 2,
      followUpCompliant: 1,
      followUpRate: 0.5,
      supervisionCompliant: 1,
      supervisionRate: 0.5,
    });
    // Both as CSV too.
    const riskCsv = await get('demo-leder', '/api/adherence/statutory-risk?year=2025&format=csv');
    expect(riskCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(riskCsv.headers['content-disposition']).toMatch(
      /^attachment; filename="risiko-lovpalagte-besok-2025-per-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const riskLines = nbCsvLines(riskCsv.text);
    expect(riskLines[0]).toBe(
      'Plassering;År;Besøk;Påkrevd;Utført;Frafalt;Gjenstår;Planlagt resten av året;Forsinket;Siste frist for å rekke det;Nivå',
    );
    expect(riskLines.slice(1).map((l) => l.split(';')[0])).toEqual(risks.map((r) => r.placementId));
    // Codes as their bokmål labels.
    expect(riskLines.slice(1).map((l) => l.split(';')[2])).toEqual(
      risks.map((r) => LEDGER_KIND_LABEL[r.kind]),
    );
    expect(riskLines.slice(1).map((l) => l.split(';')[10])).toEqual(
      risks.map((r) => RISK_LEVEL_LABEL[r.level]),
    );
    expect(riskCsv.text).not.toContain('2025/77');
    const complianceCsv = await get(
      'demo-leder',
      '/api/adherence/statutory-compliance?year=2025&by=total&format=csv',
    );
    expect(complianceCsv.headers['content-disposition']).toMatch(
      /filename="lovpalagte-besok-2025-totalt-per-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(nbCsvLines(complianceCsv.text)).toEqual([
      'Nøkkel;Gruppe;Skjult (små tall);Plasseringer;Nok oppfølgingsbesøk;Andel nok oppfølgingsbesøk;Nok tilsynsbesøk;Andel nok tilsynsbesøk',
      'total;Totalt;nei;2;1;0,5;1;0,5',
    ]);
    const network = await request(api.server)
      .get('/api/adherence/statutory-compliance?year=2025&by=service')
      .set('Authorization', `Bearer ${await api.token('demo-laeringsnettverksleder')}`);
    expect(bodyOf<Report>(network).total.suppressed).toBe(true); // 3 placements in the network

    const denied = await request(api.server)
      .get('/api/adherence/statutory-risk')
      .set('Authorization', `Bearer ${await api.token('demo-laeringsnettverksleder')}`);
    expect(denied.status).toBe(403);
  });

  it('keeps a published quarter’s network as it was then (reference-data audit trail)', async () => {
    const lead = (query: string) => report('demo-laeringsnettverksleder', query);
    const before = bodyOf<Report>(await lead(`${Q1}&by=service`));
    const byNetwork = bodyOf<Report>(await lead(`${Q1}&by=network`));
    expect(byNetwork.rows.map((r) => r.key)).toEqual([DEMO_NETWORK]);
    expect(
      bodyOf<Report>(await report('demo-sorvik-leder', `${Q1}&by=total`)).total.placements,
    ).toBeGreaterThan(0);
    // Statutory compliance for 2025 (Sørvik has a placement in it: the statutory warning test's).
    const compliance = '/api/adherence/statutory-compliance?year=2025&by=service';
    const complianceBefore = bodyOf<Report>(await get('demo-laeringsnettverksleder', compliance));
    expect(complianceBefore.rows.map((r) => r.key)).toContain(DEMO_SERVICES.sorvik);
    const instant = await instantNow();
    // An administrator takes Sørvik out of the learning network.
    const [sorvik] = await api.db.dataSource.query<{ host: string }[]>(
      `SELECT host_municipality_id::text AS host FROM services WHERE id = $1`,
      [DEMO_SERVICES.sorvik],
    );
    const move = (networkId: string | null) =>
      api.token('demo-admin').then((token) =>
        request(api.server)
          .put(`/api/reference/services/${DEMO_SERVICES.sorvik}`)
          .set('Authorization', `Bearer ${token}`)
          .send({
            name: 'Sørvik barneverntjeneste (fiktiv)',
            hostMunicipalityId: sorvik?.host,
            memberMunicipalityIds: [sorvik?.host],
            networkId,
          }),
      );
    const unpublish = () =>
      api.db.dataSource.query(
        `DELETE FROM adherence_publications WHERE (kind, period) IN (('report', '2026-Q1'), ('statutory', '2025'))`,
      );
    expect((await move(null)).status).toBe(200);
    try {
      // The publications keep the network they had at their instant, Sørvik included: the quarter, and
      // statutory compliance for 2025 (asked now, or as of the instant before the move).
      expect(bodyOf<Report>(await lead(`${Q1}&by=service`))).toEqual(before);
      expect(bodyOf<Report>(await lead(`${Q1}&by=network`))).toEqual(byNetwork);
      expect(bodyOf<Report>(await get('demo-laeringsnettverksleder', compliance))).toEqual(complianceBefore);
      expect(bodyOf<Report>(await get('demo-laeringsnettverksleder', asOfPath(compliance, instant)))).toEqual(
        complianceBefore,
      );
      // Had they been published only now, the network would be Nordby alone, as its leader sees it today.
      await unpublish();
      const nordbyNow = bodyOf<Report>(await report('demo-leder', `${Q1}&by=total`)).total;
      expect(bodyOf<Report>(await lead(`${Q1}&by=total`)).total).toEqual(nordbyNow);
      const complianceNow = bodyOf<Report>(await get('demo-laeringsnettverksleder', compliance));
      expect(complianceNow.rows.map((r) => r.key)).not.toContain(DEMO_SERVICES.sorvik);
    } finally {
      expect((await move(DEMO_NETWORK)).status).toBe(200);
      await unpublish();
    }
  });

  it('reproduces statutory compliance and risk as of a past instant, after later visits, a reduction and an end', async () => {
    const seed = (placementDate: string) =>
      seedPlannedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        facts: placementFacts('omsorgsovertakelse', placementDate),
      });
    // Packages that end in January 2026.
    const visited = await seed('2025-01-13');
    const reduced = await seed('2025-01-20');
    const ended = await seed('2025-01-27');
    await projectAll(api.db);
    const asked: [string, string][] = [
      ['demo-leder', '/api/adherence/statutory-compliance?year=2025&by=service'],
      ['demo-leder', '/api/adherence/statutory-compliance?year=2026&by=total'],
      ['demo-laeringsnettverksleder', '/api/adherence/statutory-compliance?year=2025&by=total'],
      ['demo-laeringsnettverksleder', '/api/adherence/statutory-compliance?by=municipality'],
      ['demo-leder', '/api/adherence/statutory-risk?year=2025'],
      ['demo-leder', '/api/adherence/statutory-risk'],
    ];
    const answers = (instant?: string) =>
      Promise.all(
        asked.map(async ([userId, path]) => {
          const res = await get(userId, instant ? asOfPath(path, instant) : path);
          expect(res.status).toBe(200);
          return res.body as unknown;
        }),
      );
    const before = await answers();
    type Risk = { placementId: string; kind: string; required: number };
    const risks2025 = before[4] as Risk[];
    for (const p of [visited, reduced, ended])
      expect(risks2025.filter((r) => r.placementId === p.placementId)).toHaveLength(2);
    const instant = await instantNow();

    // Every 2025 visit of one placement done, supervision reduced to 2 a year for another, a third ended.
    await append({ placementId: visited.placementId } as FixturePlacement, [
      ...visited.tasks
        .filter((t) => t.statutory && t.dueOn.startsWith('2025'))
        .map((t) => complete(t.taskId, t.dueOn)),
    ]);
    await append({ placementId: reduced.placementId } as FixturePlacement, [
      {
        type: 'ReductionRecorded',
        data: { decision: { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: '2025-03-03' }, by, at },
      },
    ]);
    await append({ placementId: ended.placementId } as FixturePlacement, [
      { type: 'PlacementEnded', data: { endedOn: '2025-06-30', reason: 'planlagt', by, at } },
    ]);
    await projectAll(api.db);

    const now = await answers();
    const risksNow = now[4] as Risk[];
    expect(risksNow.map((r) => r.placementId)).not.toContain(visited.placementId);
    expect(risksNow.map((r) => r.placementId)).not.toContain(ended.placementId);
    const supervision = (risks: Risk[]) =>
      risks.find((r) => r.placementId === reduced.placementId && r.kind === 'tilsynsbesok')?.required;
    expect(supervision(risksNow)).toBeLessThan(supervision(risks2025) ?? 0);
    expect(now[0]).not.toEqual(before[0]);
    expect(now[1]).not.toEqual(before[1]);
    // The learning network's 2025 stays as it was published.
    expect(now[2]).toEqual(before[2]);
    expect(now[3]).toEqual(before[3]);

    // As of the instant: what each endpoint answered then (a lead's: the publication, with its instant).
    const then = await answers(instant);
    const lead = (i: number) => asked[i]?.[0] === 'demo-laeringsnettverksleder';
    expect(then).toEqual(
      before.map((b, i) => (Array.isArray(b) || lead(i) ? b : { ...(b as object), asOf: instant })),
    );

    // A rebuild replays the same versions, and the same past.
    const { readModelDigests, rebuild } = await import('../../libs/projections/index.js');
    const versions = (await readModelDigests(api.db.dataSource)).statutory_ledger_versions;
    expect(versions?.rows).toBeGreaterThan(0);
    await rebuild(api.db.dataSource);
    expect((await readModelDigests(api.db.dataSource)).statutory_ledger_versions).toEqual(versions);
    expect(bodyOf(await get('demo-leder', asOfPath(asked[4][1], instant)))).toEqual(before[4]);
  });

  it('drops the year a moved placement date removes, and keeps it as of before the move', async () => {
    // Placed 2026-06-01: active until 2027-05-31.
    const moved = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [],
    });
    await projectAll(api.db);
    const path = '/api/adherence/statutory-compliance?year=2027&by=total';
    const before = bodyOf<Report>(await get('demo-leder', path));
    const instant = await instantNow();
    await append(moved, [
      { type: 'PlacementDateChanged', data: { from: '2026-06-01', to: '2026-01-01', by, at } },
    ]);
    await projectAll(api.db);

    // Now active 2026-01-01 .. 2026-12-31: nothing in 2027.
    const now = bodyOf<Report>(await get('demo-leder', path));
    expect(now.total.placements).toBe(Number(before.total.placements) - 1);
    expect(bodyOf<Report>(await get('demo-leder', asOfPath(path, instant)))).toEqual({
      ...before,
      asOf: instant,
    });
    const rows = await api.db.dataSource.query<{ year: number; current: boolean }[]>(
      `SELECT year, bool_or(recorded_to IS NULL) AS current FROM statutory_ledger_versions
        WHERE placement_id = $1 GROUP BY year ORDER BY year`,
      [moved.placementId],
    );
    expect(rows).toEqual([
      { year: 2026, current: true },
      { year: 2027, current: false },
    ]);
  });

  it('refuses statutory reports as of a future instant, and shows a lead the years finished by then', async () => {
    const paths: [string, string][] = [
      ['demo-leder', '/api/adherence/statutory-compliance?year=2025'],
      ['demo-laeringsnettverksleder', '/api/adherence/statutory-compliance?year=2025'],
      ['demo-leder', '/api/adherence/statutory-risk'],
    ];
    for (const [userId, path] of paths) {
      const res = await get(userId, asOfPath(path, '2999-01-01T00:00:00Z'));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bodyOf<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toEqual(['asOf']);
      expect((await get(userId, asOfPath(path, 'yesterday'))).status).toBe(400);
    }
    // A lead's year is published 32 days after it ended: in January 2026, 2025 was not yet.
    const errors = (res: { body: unknown }) =>
      bodyOf<{ errors: { field: string; reason: string }[] }>(res).errors;
    const lead = (path: string, instant: string) =>
      get('demo-laeringsnettverksleder', asOfPath(path, instant));
    const january = await lead('/api/adherence/statutory-compliance?year=2025', '2026-01-20T12:00:00Z');
    expect(january.status).toBe(400);
    expect(errors(january)).toEqual([{ field: 'year', reason: 'publiseres 2026-02-01' }]);
    // From then on it is published when first asked for; as of an earlier instant, nothing was.
    const published = await get('demo-laeringsnettverksleder', '/api/adherence/statutory-compliance');
    expect(bodyOf<{ year: number }>(published).year).toBe(2025);
    const before = await lead('/api/adherence/statutory-compliance', '2026-03-01T12:00:00Z');
    expect(before.status).toBe(400);
    expect(errors(before)[0]?.field).toBe('asOf');
  });
});
