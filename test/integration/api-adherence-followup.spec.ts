import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import type { PlannedTask } from '../../libs/domain/plan.js';
import { planFollowUps, planPackage } from '../../libs/domain/planner/index.js';
import type { IsoDate, PlacementFacts, TaskOutcome, WaiverReason } from '../../libs/domain/vocabulary.js';
import { EventStore } from '../../libs/event-store/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';
import { nbCsvLines } from '../support/csv.js';

/*
 * The follow-up report (§7.5 supervision, 7–10, 13) on a hand-computed dataset: four Nordby placements
 * that began in 2025, planned by the real planner from the default catalog, with their follow-up tasks
 * (the private talk after each follow-up visit, the report after each supervision visit) planned as
 * the workflow plans them. All deadlines lie before the report date (the dataset ends in Nov 2026).
 *
 *                   P1 care order      P2 emergency (care    P3 voluntary        P4 kinship (care
 *                   2025-01-06, age 9  order) 2025-03-03, 5  2025-06-02, age 12  order) 2025-11-03, 15
 * care plan (0/E42) day 0 ✓            day 38 ✓              day 3 ✗             day 0 ✓
 * agreement (0/E14) day 2 ✗            day 17 ✗              day 0 ✓             day 0 ✓
 * foster plan (42)  day 35 ✓           waived                open ✗              day 42 ✓
 * parent offer (7)  day 4 ✓            open ✗                (voluntary)         waived
 * parent plan (30)  day 45 ✗           day 30 ✓              (voluntary)         day 30 ✓
 * supervisor (21)   day 19 ✓           day 25 ✗              waived              day 21 ✓
 * visits + talk     #1 talk ✓,         (under 7: no talk)    #1 talk attempted,  –
 *                   #2 talk waived                           #2 talk open
 * tilsyn + report   #1 +10 ✓, #2 +20 ✗, #1 report waived     –                   –
 *                   #3 report open
 * guidance 0–90     6 of 6             3 of 5 (1 waived)     0 of 6              5 of 6 (#6 on day 95)
 * guidance 0–365    12 of 12 (ended)   3 of 14 (1 waived)    0 of 10 (ended)     15 of 15
 * ends              breakdown day 267  –                     planned, day 212    breakdown day 372
 * caseworker        1 change (day 54)  –                     2 changes           1 change, day 200
 *
 * → child voice 1 of 3 (1 waived); care plan 3/4; agreement 2/4; foster plan 2/3 (1 waived); parent
 *   offer 1/2 (1 waived); parent plan 2/3; supervisor 2/3 (1 waived); reports 1/3 (1 waived); guidance
 *   14/23 and 30/51 (1 waived each); breakdowns 1 of 4; caseworker changed in 2 of 4 (3 changes).
 * Tasks due after a placement ended are cancelled, as the workflow does: they leave every figure.
 */
type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
type Report = { total: Cell; rows: Cell[]; reportDate: string; suppression: boolean; asOf?: string };

const calendar = norwegianWorkingDays();
const by = { userId: 'seed', role: 'kontaktperson' as const };
const at = '2026-01-10T08:00:00.000Z';

/** Builds one placement's events after its plan: completions, waivers, follow-ups, reassignments, end. */
class Story {
  readonly events: PackageEvent[] = [];
  constructor(
    readonly facts: PlacementFacts,
    readonly tasks: readonly PlannedTask[],
  ) {}
  private day = (n: number) => addDays(this.facts.placementDate, n);
  task(taskId: string): PlannedTask {
    const t = this.tasks.find((x) => x.taskId === taskId);
    if (!t) throw new Error(`no task ${taskId}`);
    return t;
  }
  /** Completes on day n after move-in (or on the given date). */
  done(taskId: string, when: number | IsoDate, outcome: TaskOutcome = 'gjennomfort'): this {
    const completedOn = typeof when === 'number' ? this.day(when) : when;
    this.events.push({ type: 'TaskCompleted', data: { taskId, at, completedOn, outcome, by } });
    return this;
  }
  waive(taskId: string, reason: WaiverReason = 'ikke-relevant'): this {
    this.events.push({ type: 'TaskWaived', data: { taskId, at, reason, by } });
    return this;
  }
  /** Completes a visit on its due date and plans its follow-ups (talk, report) as the workflow does. */
  visit(taskId: string): PlannedTask[] {
    const t = this.task(taskId);
    this.done(taskId, t.dueOn);
    const followUps = planFollowUps(
      DEFAULT_CATALOG,
      this.facts,
      { stepId: t.stepId, occurrence: t.occurrence },
      t.dueOn,
      calendar,
    );
    if (followUps.length > 0)
      this.events.push({ type: 'TasksPlanned', data: { tasks: followUps, reason: 'follow-up', at } });
    return followUps;
  }
  assignCaseworker(taskId: string, assigneeId: string, on: IsoDate): this {
    this.events.push({
      type: 'TaskReassigned',
      data: { taskId, at: `${on}T09:00:00.000Z`, assigneeId, role: 'kontaktperson', by },
    });
    return this;
  }
  guidance(): PlannedTask[] {
    return this.tasks.filter((t) => t.stepId === 'veiledning');
  }
  /** Ends the placement on day n and cancels the planned tasks due after it. */
  end(n: number, reason: 'brudd' | 'planlagt', open: readonly PlannedTask[]): this {
    const endedOn = this.day(n);
    const closed = new Set(
      this.events.flatMap((e) =>
        e.type === 'TaskCompleted' || e.type === 'TaskWaived' ? [e.data.taskId] : [],
      ),
    );
    this.events.push({ type: 'PlacementEnded', data: { endedOn, reason, by, at } });
    for (const t of open)
      if (t.dueOn > endedOn && !closed.has(t.taskId))
        this.events.push({
          type: 'TaskCancelled',
          data: { taskId: t.taskId, at, reason: 'placement-ended' },
        });
    return this;
  }
}

describe('follow-up report (§7: child voice, plans, parents, guidance, supervision, context)', () => {
  let api: TestApi;
  const placementIds: string[] = [];

  const seed = async (serviceId: string, facts: PlacementFacts, story: (s: Story) => void) => {
    const seeded = await seedPlannedPlacement(api.db, {
      serviceId,
      facts,
      after: (tasks) => {
        const s = new Story(facts, tasks);
        story(s);
        return s.events;
      },
    });
    placementIds.push(seeded.placementId, seeded.childRef);
    return seeded;
  };
  const get = async (userId: string, path: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const YEAR_2025 = 'from=2025-01-01&to=2025-12-31';

  beforeAll(async () => {
    api = await startTestApi();
    const nordby = DEMO_SERVICES.nordby;

    // P1: care order, ends by a breakdown on day 267.
    await seed(nordby, placementFacts('omsorgsovertakelse', '2025-01-06'), (s) => {
      s.done('omsorgsplan#1', 0).done('fosterhjemsavtale#1', 2).done('plan-fosterfamilien#1', 35);
      s.done('foreldre-tilbud#1', 4).done('foreldre-plan#1', 45).done('tilsyn-organisert#1', 19);
      const ended = 267;
      for (const g of s.guidance())
        if (g.dueOn <= addDays(s.facts.placementDate, ended)) s.done(g.taskId, g.dueOn);
      const [talk1] = s.visit('oppfolgingsbesok#1');
      s.done(talk1?.taskId ?? 'missing', talk1?.dueOn ?? '');
      const [talk2] = s.visit('oppfolgingsbesok#2');
      s.waive(talk2?.taskId ?? 'missing', 'barnet-onsker-ikke');
      const [report1] = s.visit('tilsynsbesok#1');
      s.done(report1?.taskId ?? 'missing', addDays(s.task('tilsynsbesok#1').dueOn, 10));
      const [report2] = s.visit('tilsynsbesok#2');
      s.done(report2?.taskId ?? 'missing', addDays(s.task('tilsynsbesok#2').dueOn, 20));
      s.visit('tilsynsbesok#3'); // its report is never assessed
      s.assignCaseworker('besok-uke1#1', 'kp-a', '2025-01-07');
      s.assignCaseworker('oppfolgingsbesok#1', 'kp-b', '2025-03-01'); // day 54: a change
      // A guidance session given to another foster-home resource is no caseworker change.
      s.events.push({
        type: 'TaskReassigned',
        data: { taskId: 'veiledning#3', at, assigneeId: 'fhr-x', role: 'fosterhjemsressurs', by },
      });
      s.end(ended, 'brudd', s.tasks);
    });

    // P2: emergency placement under a care order, child of 5 (no private talk applies).
    await seed(nordby, placementFacts('akutt', '2025-03-03', { childAgeYears: 5 }), (s) => {
      s.done('omsorgsplan#1', 38).done('fosterhjemsavtale#1', 17).waive('plan-fosterfamilien#1');
      s.done('foreldre-plan#1', 30).done('tilsyn-organisert#1', 25);
      const g = [...s.guidance()].sort((a, b) => a.occurrence - b.occurrence);
      for (const t of g.slice(0, 3)) s.done(t.taskId, t.dueOn);
      s.waive(g[3]?.taskId ?? 'missing');
      expect(s.visit('oppfolgingsbesok#1')).toEqual([]);
      const [report] = s.visit('tilsynsbesok#1');
      s.waive(report?.taskId ?? 'missing');
    });

    // P3: voluntary, ends as planned on day 212.
    await seed(nordby, placementFacts('frivillig', '2025-06-02', { childAgeYears: 12 }), (s) => {
      s.done('tiltaksplan#1', 3).done('fosterhjemsavtale#1', 0).waive('tilsyn-organisert#1');
      const [talk1] = s.visit('oppfolgingsbesok#1');
      s.done(talk1?.taskId ?? 'missing', talk1?.dueOn ?? '', 'forsokt-ikke-oppnadd');
      const [talk2] = s.visit('oppfolgingsbesok#2');
      expect((talk2?.dueOn ?? '9999') < '2026-11-01').toBe(true); // open and past due
      s.assignCaseworker('besok-uke1#1', 'kp-a', '2025-06-03');
      s.assignCaseworker('helse#1', 'kp-b', '2025-07-01');
      s.assignCaseworker('oppfolgingsbesok#1', 'kp-a', '2025-08-01');
      s.end(212, 'planlagt', [...s.tasks, ...(talk2 ? [talk2] : [])]);
    });

    // P4: kinship under a care order; breaks down on day 372, after the first 12 months.
    await seed(nordby, placementFacts('slekt-nettverk', '2025-11-03', { childAgeYears: 15 }), (s) => {
      s.done('omsorgsplan#1', 0).done('fosterhjemsavtale#1', 0).done('plan-fosterfamilien#1', 42);
      s.waive('foreldre-tilbud#1', 'foreldre-onsker-ikke').done('foreldre-plan#1', 30);
      s.done('tilsyn-organisert#1', 21);
      for (const g of s.guidance())
        s.done(g.taskId, g.occurrence === 6 ? addDays(s.facts.placementDate, 95) : g.dueOn);
      s.assignCaseworker('besok-uke1#1', 'kp-a', '2025-11-04');
      s.assignCaseworker('oppfolgingsbesok#2', 'kp-b', '2026-05-22'); // day 200: after month 6
      s.end(372, 'brudd', []);
    });

    // Sørvik (same learning network): three placements in the first quarter, nothing done.
    for (let i = 0; i < 3; i++)
      await seed(DEMO_SERVICES.sorvik, placementFacts('frivillig', '2025-02-03'), () => {});
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('rests on the plan the hand computation assumes', () => {
    const facts = placementFacts('omsorgsovertakelse', '2025-01-06');
    const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, calendar);
    const guidance = tasks.filter((t) => t.stepId === 'veiledning');
    const within = (days: number) => guidance.filter((t) => t.dueOn <= addDays('2025-01-06', days)).length;
    expect([within(90), within(267), within(365)]).toEqual([6, 12, 15]);
    const p3 = planPackage(
      DEFAULT_CATALOG,
      { facts: placementFacts('frivillig', '2025-06-02'), reductions: [] },
      calendar,
    );
    expect(p3.filter((t) => t.stepId === 'veiledning' && t.dueOn <= '2025-12-31')).toHaveLength(10);
  });

  const EXPECTED = {
    placements: 4,
    childVoiceVisits: 3,
    childVoiceTalks: 1,
    childVoiceWaived: 1,
    childVoiceRate: 0.333,
    carePlanDue: 4,
    carePlanMet: 3,
    carePlanWaived: 0,
    carePlanRate: 0.75,
    agreementDue: 4,
    agreementMet: 2,
    agreementRate: 0.5,
    fosterFamilyPlanDue: 3,
    fosterFamilyPlanMet: 2,
    fosterFamilyPlanWaived: 1,
    fosterFamilyPlanRate: 0.667,
    parentOfferDue: 2,
    parentOfferMet: 1,
    parentOfferWaived: 1,
    parentOfferRate: 0.5,
    parentPlanDue: 3,
    parentPlanMet: 2,
    parentPlanWaived: 0,
    parentPlanRate: 0.667,
    supervisorDue: 3,
    supervisorMet: 2,
    supervisorWaived: 1,
    supervisorRate: 0.667,
    supervisionReportsDue: 3,
    supervisionReportsMet: 1,
    supervisionReportsWaived: 1,
    supervisionReportsRate: 0.333,
    guidance90Scheduled: 23,
    guidance90Held: 14,
    guidance90Waived: 1,
    guidance90Dose: 0.609,
    guidance365Scheduled: 51,
    guidance365Held: 30,
    guidance365Waived: 1,
    guidance365Dose: 0.588,
    reached365: 4,
    breakdowns: 1,
    breakdownRate: 0.25,
    reached182: 4,
    caseworkerChanged: 2,
    caseworkerChanges: 3,
    caseworkerChangeRate: 0.5,
  };

  it('computes the figures of §7 for a leader’s own service, as hand-computed', async () => {
    const res = await get('demo-leder', `/api/adherence/followup?${YEAR_2025}&by=total`);
    expect(res.status).toBe(200);
    const body = bodyOf<Report>(res);
    expect(body.suppression).toBe(false);
    expect(body.total).toMatchObject({ key: 'total', suppressed: false, ...EXPECTED });
    // By placement type: the emergency placement alone.
    const types = bodyOf<Report>(
      await get('demo-leder', `/api/adherence/followup?${YEAR_2025}&by=placementType`),
    );
    expect(types.rows.find((r) => r.key === 'akutt')).toMatchObject({
      placements: 1,
      carePlanMet: 1,
      agreementMet: 0,
      agreementDue: 1,
      childVoiceVisits: 0,
      guidance90Scheduled: 5,
      guidance90Held: 3,
    });
    // A cohort that has not begun yet: counted, but no deadline has passed.
    const future = bodyOf<Report>(
      await get('demo-leder', '/api/adherence/followup?from=2027-01-01&to=2027-12-31&by=total'),
    );
    expect(future.total).toMatchObject({ placements: 0, carePlanDue: 0, carePlanRate: null });
  });

  it('gives a learning-network lead a published quarter of the network, small cells hidden, no ids', async () => {
    // Q1 2025: Nordby's P1 and P2 and the three Sørvik placements.
    const Q1 = 'from=2025-01-01&to=2025-03-31';
    const res = await get('demo-laeringsnettverksleder', `/api/adherence/followup?${Q1}&by=service`);
    expect(res.status).toBe(200);
    const body = bodyOf<Report>(res);
    expect(body.suppression).toBe(true);
    expect(body.total).toMatchObject({ suppressed: false, placements: 5, carePlanDue: 5, carePlanMet: 2 });
    // Nordby has 2 placements and Sørvik 3: both hidden.
    expect(body.rows.map((r) => r.suppressed)).toEqual([true, true]);
    const text = JSON.stringify(body);
    for (const id of placementIds) expect(text).not.toContain(id);
    // A cohort quarter is published a year after it ended (when every placement is past day 365): Q4
    // 2025 on 2027-01-01 (asked as of an instant before, so that the test does not depend on today).
    const q4 = (asOf: string) =>
      get(
        'demo-laeringsnettverksleder',
        `/api/adherence/followup?from=2025-10-01&to=2025-12-31&asOf=${asOf}`,
      );
    const early = await q4('2026-11-01T12:00:00Z');
    expect(early.status).toBe(400);
    expect(bodyOf<{ errors: { reason: string }[] }>(early).errors[0]?.reason).toBe('publiseres 2027-01-01');
    expect(
      (await get('demo-laeringsnettverksleder', `/api/adherence/followup?${Q1}&asOf=2026-03-31T12:00:00Z`))
        .status,
    ).toBe(400); // Q1 2025: publiseres 2026-04-01
    expect((await get('demo-laeringsnettverksleder', `/api/adherence/followup?${YEAR_2025}`)).status).toBe(
      400,
    );
    expect((await get('demo-kontaktperson', `/api/adherence/followup?${YEAR_2025}`)).status).toBe(403);
    const byStep = await get('demo-leder', `/api/adherence/followup?${YEAR_2025}&by=step`);
    expect(byStep.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(byStep).errors).toEqual([
      { field: 'by', reason: 'må være total, network, service, municipality, placementType eller month' },
    ]);
  });

  it('reproduces the report as of a past instant, and exports CSV', async () => {
    const path = `/api/adherence/followup?${YEAR_2025}&by=total`;
    const before = bodyOf<Report>(await get('demo-leder', path));
    const [{ now }] = await api.db.dataSource.query<{ now: string }[]>(
      `SELECT clock_timestamp()::text AS now`,
    );
    const instant = new Date(now).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    // P2's open parent offer is done late, and P2 breaks down on day 100.
    const p2 = await api.db.dataSource.query<{ placement_id: string }[]>(
      `SELECT placement_id FROM adherence_placements WHERE placement_type = 'akutt' AND recorded_to IS NULL`,
    );
    await new EventStore(api.db.dataSource).append(
      { streamType: 'placement', streamId: p2[0]?.placement_id ?? randomUUID() },
      'any',
      [
        {
          eventId: randomUUID(),
          type: 'TaskCompleted',
          payload: { taskId: 'foreldre-tilbud#1', at, completedOn: '2025-03-20', outcome: 'gjennomfort', by },
        },
        {
          eventId: randomUUID(),
          type: 'PlacementEnded',
          payload: { endedOn: '2025-06-11', reason: 'brudd', by, at },
        },
      ],
    );
    await projectAll(api.db);
    const after = bodyOf<Report>(await get('demo-leder', path));
    expect(after.total).toMatchObject({ breakdowns: 2, parentOfferMet: 1, parentOfferDue: 2 });
    const asOf = bodyOf<Report>(await get('demo-leder', `${path}&asOf=${encodeURIComponent(instant)}`));
    expect({ ...asOf, asOf: undefined }).toEqual({ ...before, asOf: undefined });

    const csv = await get('demo-leder', `/api/adherence/followup?${YEAR_2025}&by=service&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(
      /oppfolging-etter-tjeneste-2025-01-01-til-2025-12-31-per-\d{4}-\d{2}-\d{2}\.csv/,
    );
    const lines = nbCsvLines(csv.text);
    expect(lines[0]).toMatch(/^Nøkkel;Gruppe;Skjult \(små tall\);Plasseringer;Besøk med samtale med barnet;/);
    expect(lines).toHaveLength(3);
  });
});
