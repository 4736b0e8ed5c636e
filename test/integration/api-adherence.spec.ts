import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { DEMO_NETWORK, DEMO_SERVICES } from '../../libs/security/index.js';
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
 * Adherence reports on a hand-computed dataset: events appended through the event store, folded by the
 * real projector into the adherence read model, read over the API with real tokens.
 *
 * March 2026, Nordby (6 placements), tasks a#1 due 2 March and b#1 due 10 March (c#1 due in April,
 * outside the period):
 *   P1 a on time (1 Mar)      b late 5 (15 Mar)
 *   P2 a on time (2 Mar)      b waived
 *   P3 a late 10 (12 Mar)     b open, overdue
 *   P4 a cancelled            b on time (10 Mar)
 *   P5 a open, overdue        b late 1 (11 Mar)
 *   P6 a late 3 (5 Mar)       b on time (9 Mar)
 * → due 11 (the cancelled task no longer applies), waived 1, completed 8, on time 4, overdue 2 (both more
 *   than 30 days at any report date after 10 April), lateness [1, 3, 5, 10]: median 4, p90 8.5;
 *   on-time rate 4/10, completion rate 8/10, waiver rate 1/11.
 * Sørvik (2 placements, same learning network): a#1 on time in both.
 */
type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
type Report = { total: Cell; rows: Cell[]; reportDate: string; suppression: boolean; asOf?: string };

describe('adherence reports (real PostgreSQL, projector-built read model)', () => {
  let api: TestApi;
  const nordby: FixturePlacement[] = [];
  const sorvik: FixturePlacement[] = [];
  const store = () => new EventStore(api.db.dataSource);
  const by = { userId: 'seed', role: 'kontaktperson' as const };
  const at = '2026-03-20T08:00:00.000Z';

  const append = (p: FixturePlacement, events: PackageEvent[]) =>
    store().append(
      { streamType: 'placement', streamId: p.placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
  const complete = (taskId: string, completedOn: string): PackageEvent => ({
    type: 'TaskCompleted',
    data: { taskId, at, completedOn, outcome: 'gjennomfort', by },
  });
  const report = async (userId: string, query: string) => {
    const res = await request(api.server)
      .get(`/api/adherence/report?${query}`)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
    return res;
  };
  const get = async (userId: string, path: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  /** `path` as of `instant` (ISO 8601). */
  const asOfPath = (path: string, instant: string) =>
    `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(instant)}`;
  /** An instant after every event recorded so far and before any recorded next. */
  const instantNow = async () => {
    const [{ now }] = await api.db.dataSource.query<{ now: string }[]>(
      `SELECT clock_timestamp()::text AS now`,
    );
    await new Promise((r) => setTimeout(r, 20));
    return new Date(now).toISOString();
  };
  const MARCH = 'from=2026-03-01&to=2026-03-31';
  // A learning-network lead asks for whole quarters (the fixture's March tasks are all of Q1).
  const Q1 = 'from=2026-01-01&to=2026-03-31';

  beforeAll(async () => {
    api = await startTestApi();
    const tasks = [
      { taskId: 'a#1', role: 'kontaktperson' as const, dueOn: '2026-03-02' },
      { taskId: 'b#1', role: 'kontaktperson' as const, dueOn: '2026-03-10' },
      { taskId: 'c#1', role: 'kontaktperson' as const, dueOn: '2026-04-15' },
    ];
    for (let i = 0; i < 6; i++)
      nordby.push(
        await seedPlacement(api.db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: false, tasks }),
      );
    for (let i = 0; i < 2; i++)
      sorvik.push(
        await seedPlacement(api.db, { serviceId: DEMO_SERVICES.sorvik, bufetatHelp: false, tasks }),
      );
    const [p1, p2, p3, p4, p5, p6] = nordby as [FixturePlacement, ...FixturePlacement[]];
    await append(p1, [complete('a#1', '2026-03-01'), complete('b#1', '2026-03-15')]);
    await append(p2, [
      complete('a#1', '2026-03-02'),
      { type: 'TaskWaived', data: { taskId: 'b#1', at, reason: 'ikke-relevant', by } },
    ]);
    await append(p3, [complete('a#1', '2026-03-12')]);
    await append(p4, [
      { type: 'TaskCancelled', data: { taskId: 'a#1', at, reason: 'not-applicable-after-change' } },
      complete('b#1', '2026-03-10'),
    ]);
    await append(p5, [complete('b#1', '2026-03-11')]);
    await append(p6, [complete('a#1', '2026-03-05'), complete('b#1', '2026-03-09')]);
    for (const q of sorvik) await append(q, [complete('a#1', '2026-03-02')]);
    await projectAll(api.db);
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
    // counted up to the publication date. Q1 was published by the first test of this file.
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

  it('exports every report as CSV', async () => {
    const res = await report('demo-laeringsnettverksleder', `${Q1}&by=service&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="etterlevelse-2026-01-01-2026-03-31.csv"/,
    );
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'key,label,suppressed,placements,due,waived,completed,onTime,onTimeRate,completionRate,overdue,overdue1to7,overdue8to30,overdueOver30,latenessMedianDays,latenessP90Days,waiverRate',
    );
    expect(lines).toHaveLength(4); // two services and the total
    expect(lines[1]).toMatch(/,ja,,,/); // hidden: no figures
    expect(lines[3]).toMatch(/^total,Totalt,nei,8,/);
  });

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
    const riskLines = riskCsv.text.trim().split('\n');
    expect(riskLines[0]).toBe(
      'placementId,year,kind,required,completed,remaining,plannedAhead,overdue,saveBy,level',
    );
    expect(riskLines.slice(1).map((l) => l.split(',')[0])).toEqual(risks.map((r) => r.placementId));
    const complianceCsv = await get(
      'demo-leder',
      '/api/adherence/statutory-compliance?year=2025&by=total&format=csv',
    );
    expect(complianceCsv.headers['content-disposition']).toMatch(/filename="lovpalagte-besok-2025.csv"/);
    expect(complianceCsv.text.trim().split('\n')).toEqual([
      'key,label,suppressed,placements,followUpCompliant,followUpRate,supervisionCompliant,supervisionRate',
      'total,Totalt,nei,2,1,0.5,1,0.5',
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

  it('reports package completion at 90/182/365 days and first-contact speed', async () => {
    const seed = (doAll: boolean) =>
      seedPlannedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        facts: placementFacts('omsorgsovertakelse', '2024-03-04'),
        after: (planned) => (doAll ? planned.map((t) => complete(t.taskId, t.dueOn)) : []),
      });
    const { tasks } = await seed(true);
    await seed(false);
    await projectAll(api.db);
    const dueOf = (stepId: string) => tasks.find((t) => t.stepId === stepId)?.dueOn ?? '';
    const days = (date: string) => (Date.parse(date) - Date.parse('2024-03-04')) / 86_400_000;

    const res = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-12-31&by=total')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(res.status).toBe(200);
    expect(bodyOf<Report>(res).total).toEqual({
      key: 'total',
      label: 'Totalt',
      suppressed: false,
      placements: 2,
      reached90: 2,
      completeRate90: 0.5,
      reached182: 2,
      completeRate182: 0.5,
      reached365: 2,
      completeRate365: 0.5,
      firstContactMedianDays: days(dueOf('kontakt-dag1')),
      firstVisitMedianDays: days(dueOf('besok-uke1')),
      firstVisitWithin7Rate: days(dueOf('besok-uke1')) <= 7 ? 1 : 0,
    });
    // Two placements are too few for a learning-network lead.
    const lead = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-03-31&by=service')
      .set('Authorization', `Bearer ${await api.token('demo-laeringsnettverksleder')}`);
    expect(bodyOf<Report>(lead).total).toEqual({ key: 'total', label: 'Totalt', suppressed: true });
    const byStep = await request(api.server)
      .get('/api/adherence/milestones?from=2024-01-01&to=2024-12-31&by=step')
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(byStep.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(byStep).errors).toEqual([
      { field: 'by', reason: 'må være total, network, service, municipality eller placementType' },
    ]);
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
    // Packages that end in January 2026: no task due in March 2026 (the cache test's month).
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
