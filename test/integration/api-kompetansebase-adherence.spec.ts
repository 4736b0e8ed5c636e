import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { projectAssignment } from '../../activities/kompetansebase-read-models.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import {
  KOMPETANSEBASE_CATALOG,
  acceptSteps,
  decideAccept,
  decideComplete,
  decideDecline,
  decideOrder,
  decideWait,
  evolveAssignment,
  orderSteps,
  planAssignmentTask,
  validateComplete,
  type AssignmentEvent,
  type AssignmentState,
  type CompleteAssignmentStep,
  type DeclineReason,
  type RequestType,
  type StepToPlan,
} from '../../libs/domain/kompetansebase/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import {
  DEMO_FJORD_NETWORK,
  DEMO_FJORD_SERVICES,
  DEMO_NETWORK,
  DEMO_SERVICES,
} from '../../libs/security/index.js';
import { bodyOf, startTestApi, type TestApi } from '../support/api.js';

/*
 * A kompetansebase's adherence (GET /api/kompetansebase/adherence) over a real PostgreSQL: assignments
 * decided by the real deciders and written by the real read-model writer, in last year's second quarter
 * (every date in the past on any day this runs), built so that every figure is known: a call-back made
 * late, an evaluation held after the agreed date, a report handed over late, orders declined for
 * capacity and for another reason, one waiting and one not yet reviewed. The base's leader sees them
 * exactly; the network's lead one whole quarter with small cells suppressed.
 */
const Y = Number(osloDateOf(Date.now()).slice(0, 4)) - 1;
const Q1 = `from=${Y}-01-01&to=${Y}-03-31`;
const Q2 = `from=${Y}-04-01&to=${Y}-06-30`;

type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
interface Report {
  scope: string;
  base: { baseId: string; name: string };
  suppression: boolean;
  total: Cell;
  rows: Cell[];
}

describe('kompetansebase adherence (real PostgreSQL)', () => {
  let api: TestApi;
  const bases = new Map<string, string>();
  const calendar = norwegianWorkingDays();
  const plan = (steps: readonly StepToPlan[]) =>
    steps.map((s) =>
      planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar),
    );
  const leader = { userId: 'l', role: 'kompetansebase-leder' } as const;
  const counsellor = { userId: 'v', role: 'kompetansebase-veileder' } as const;
  const at = (day: string) => `${day}T09:00:00.000Z`;

  beforeAll(async () => {
    api = await startTestApi();
    const rows = await api.db.dataSource.query<{ id: string; network_id: string }[]>(
      `SELECT id, network_id FROM kompetansebaser`,
    );
    for (const r of rows) bases.set(r.network_id, r.id);
  });
  afterAll(() => api?.close());

  const get = async (path: string, userId: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);

  interface Flow {
    readonly type: RequestType;
    readonly serviceId: string;
    readonly orderedOn: string;
    readonly networkId?: string;
    readonly outcome: 'queued' | 'waiting' | DeclineReason | 'started';
    /** Days after the order: the call-back (default 1) and the start talk. */
    readonly callBack?: number;
    readonly start?: number;
    /** Held this many days after the agreed date (0: on it); undefined: not yet held. */
    readonly evaluation?: number;
    /** Handed over this many days after the evaluation; undefined: not yet. */
    readonly report?: number;
  }

  async function assignment(f: Flow): Promise<void> {
    const id = randomUUID();
    let s: AssignmentState | undefined;
    const record = async (events: AssignmentEvent[]) => {
      await api.db.dataSource.transaction((m) => projectAssignment(m, id, events));
      s = events.reduce<AssignmentState | undefined>(evolveAssignment, s);
    };
    const networkId = f.networkId ?? DEMO_NETWORK;
    const order = {
      commandId: randomUUID(),
      assignmentId: id,
      origin: { baseId: bases.get(networkId)!, networkId, serviceId: f.serviceId },
      requestType: f.type,
      urgency: 'vanlig' as const,
      ...(f.type === 'gruppeveiledning-fosterforeldre' ? { families: ['familie-1', 'familie-2'] } : {}),
      catalogVersion: KOMPETANSEBASE_CATALOG.version,
      by: { userId: 'k', role: 'kontaktperson' as const },
    };
    await record(decideOrder(order, plan(orderSteps(f.orderedOn)), at(f.orderedOn)));
    if (f.outcome === 'queued') return;
    if (f.outcome === 'waiting')
      return record(decideWait(s!, { commandId: 'w', reason: 'kapasitet', by: leader }, at(f.orderedOn)));
    if (f.outcome !== 'started')
      return record(decideDecline(s!, { commandId: 'd', reason: f.outcome, by: leader }, at(f.orderedOn)));
    const complete = async (cmd: Omit<CompleteAssignmentStep, 'commandId' | 'by'>) => {
      const full = { ...cmd, commandId: randomUUID(), by: counsellor };
      const when = at(cmd.completedOn);
      await record(decideComplete(s!, full, plan(validateComplete(s!, full, when)), when));
    };
    const callBackOn = addDays(f.orderedOn, f.callBack ?? 1);
    await complete({ taskId: 'tilbakeringing#1', completedOn: callBackOn });
    const acceptedAt = at(addDays(callBackOn, 1));
    await record(decideAccept(s!, { commandId: 'a', by: leader }, plan(acceptSteps(acceptedAt)), acceptedAt));
    const talkOn = addDays(f.orderedOn, f.start!);
    const evaluationOn = addDays(talkOn, 30);
    await complete({ taskId: 'oppstartssamtale#1', completedOn: talkOn, evaluationOn });
    if (f.evaluation === undefined) return;
    const heldOn = addDays(evaluationOn, f.evaluation);
    await complete({ taskId: 'evaluering#1', completedOn: heldOn });
    if (f.report === undefined) return;
    await complete({ taskId: 'rapport#1', completedOn: addDays(heldOn, f.report) });
  }

  const { nordby, sorvik } = DEMO_SERVICES;
  const VEILEDNING = 'veiledning-fosterforeldre';
  const HJEMME = 'hjemmebasert-foreldreveiledning';

  it('builds the quarter: every kind of outcome, in time and late', async () => {
    const q2 = (md: string) => `${Y}-${md}`;
    const flows: Flow[] = [
      // Guidance to foster parents (6 orders, Nordby).
      {
        type: VEILEDNING,
        serviceId: nordby,
        orderedOn: q2('04-01'),
        outcome: 'started',
        start: 10,
        evaluation: 0,
        report: 5,
      },
      // A report handed over late: K = 10 working days after the evaluation, here 40 days.
      {
        type: VEILEDNING,
        serviceId: nordby,
        orderedOn: q2('04-02'),
        outcome: 'started',
        start: 12,
        evaluation: 0,
        report: 40,
      },
      // A call-back made late: N = 3 working days after the order, here 14 days.
      {
        type: VEILEDNING,
        serviceId: nordby,
        orderedOn: q2('04-03'),
        outcome: 'started',
        callBack: 14,
        start: 20,
      },
      { type: VEILEDNING, serviceId: nordby, orderedOn: q2('04-04'), outcome: 'kapasitet' },
      { type: VEILEDNING, serviceId: nordby, orderedOn: q2('04-05'), outcome: 'waiting' },
      { type: VEILEDNING, serviceId: nordby, orderedOn: q2('04-06'), outcome: 'queued' },
      // Home-based parent guidance (5 orders, Sørvik); the first evaluation held 3 days after the agreed date.
      {
        type: HJEMME,
        serviceId: sorvik,
        orderedOn: q2('05-04'),
        outcome: 'started',
        start: 14,
        evaluation: 3,
        report: 5,
      },
      { type: HJEMME, serviceId: sorvik, orderedOn: q2('05-05'), outcome: 'started', start: 16 },
      { type: HJEMME, serviceId: sorvik, orderedOn: q2('05-06'), outcome: 'started', start: 18 },
      { type: HJEMME, serviceId: sorvik, orderedOn: q2('05-07'), outcome: 'started', start: 22 },
      { type: HJEMME, serviceId: sorvik, orderedOn: q2('05-08'), outcome: 'started', start: 30 },
      // One consultation, declined as outside the mandate.
      { type: 'annet-konsultasjon', serviceId: nordby, orderedOn: q2('06-01'), outcome: 'utenfor-mandat' },
      // Outside the quarter (Q1: two; Q3: one), and another network's base.
      { type: VEILEDNING, serviceId: nordby, orderedOn: `${Y}-01-10`, outcome: 'queued' },
      { type: VEILEDNING, serviceId: sorvik, orderedOn: `${Y}-03-31`, outcome: 'kapasitet' },
      { type: VEILEDNING, serviceId: nordby, orderedOn: `${Y}-07-01`, outcome: 'queued' },
      {
        type: VEILEDNING,
        serviceId: DEMO_FJORD_SERVICES.vestby,
        networkId: DEMO_FJORD_NETWORK,
        orderedOn: q2('04-10'),
        outcome: 'queued',
      },
    ];
    for (const f of flows) await assignment(f);
    const [{ n }] = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM kompetansebase_assignments`,
    );
    expect(n).toBe(flows.length);
  });

  it("gives the base's leader every figure of the quarter, exact, by request type", async () => {
    const res = await get(`/api/kompetansebase/adherence?${Q2}`, 'demo-kb-leder');
    expect(res.status).toBe(200);
    const report = bodyOf<Report>(res);
    expect(report).toMatchObject({
      scope: 'base',
      base: { baseId: bases.get(DEMO_NETWORK) },
      from: `${Y}-04-01`,
      to: `${Y}-06-30`,
      by: 'requestType',
      suppression: false,
    });
    expect(report.total).toEqual({
      key: 'total',
      label: 'Totalt',
      suppressed: false,
      orders: 12,
      accepted: 8,
      declinedForCapacity: 1,
      declinedOther: 1,
      waiting: 2,
      // Days to the start talk: 10, 12, 20 (after the late call-back), 14, 16, 18, 22, 30.
      medianDaysToStart: 17,
      p80DaysToStart: 21.2,
      callBacks: { of: 8, onTime: 7, rate: 0.875 },
      evaluationsOnAgreedDate: { of: 3, onTime: 2, rate: 0.667 },
      reportsOnTime: { of: 3, onTime: 2, rate: 0.667 },
    });
    expect(report.rows).toEqual([
      {
        key: 'annet-konsultasjon',
        label: 'Annen konsultasjon',
        suppressed: false,
        orders: 1,
        accepted: 0,
        declinedForCapacity: 0,
        declinedOther: 1,
        waiting: 0,
        medianDaysToStart: null,
        p80DaysToStart: null,
        callBacks: { of: 0, onTime: 0, rate: null },
        evaluationsOnAgreedDate: { of: 0, onTime: 0, rate: null },
        reportsOnTime: { of: 0, onTime: 0, rate: null },
      },
      {
        key: HJEMME,
        label: 'Hjemmebasert foreldreveiledning',
        suppressed: false,
        orders: 5,
        accepted: 5,
        declinedForCapacity: 0,
        declinedOther: 0,
        waiting: 0,
        medianDaysToStart: 18,
        p80DaysToStart: 23.6,
        callBacks: { of: 5, onTime: 5, rate: 1 },
        evaluationsOnAgreedDate: { of: 1, onTime: 0, rate: 0 },
        reportsOnTime: { of: 1, onTime: 1, rate: 1 },
      },
      {
        key: VEILEDNING,
        label: 'Veiledning av fosterforeldre',
        suppressed: false,
        orders: 6,
        accepted: 3,
        declinedForCapacity: 1,
        declinedOther: 0,
        waiting: 2,
        medianDaysToStart: 12,
        p80DaysToStart: 16.8,
        callBacks: { of: 3, onTime: 2, rate: 0.667 },
        evaluationsOnAgreedDate: { of: 2, onTime: 2, rate: 1 },
        // The report handed over late counts as late.
        reportsOnTime: { of: 2, onTime: 1, rate: 0.5 },
      },
    ]);
    // Any period, exact: Q1's two orders are shown to the leader.
    const q1 = bodyOf<Report>(await get(`/api/kompetansebase/adherence?${Q1}&by=total`, 'demo-kb-leder'));
    expect(q1.total).toMatchObject({ suppressed: false, orders: 2, declinedForCapacity: 1, waiting: 1 });
    expect(q1.rows).toEqual([]);
  });

  it("gives the network's lead the quarter with small cells hidden, and nothing under five orders", async () => {
    const byType = bodyOf<Report>(
      await get(`/api/kompetansebase/adherence?${Q2}`, 'demo-laeringsnettverksleder'),
    );
    expect(byType).toMatchObject({ scope: 'network', suppression: true });
    expect(byType.total).toMatchObject({
      suppressed: false,
      orders: 12,
      reportsOnTime: { of: 3, onTime: 2 },
    });
    // One consultation is hidden, and with it the smallest safe cell (5 orders): total − shown = 6 orders.
    expect(byType.rows.map((r) => [r.key, r.suppressed])).toEqual([
      ['annet-konsultasjon', true],
      [HJEMME, true],
      [VEILEDNING, false],
    ]);
    expect(byType.rows[0]).toEqual({
      key: 'annet-konsultasjon',
      label: 'Annen konsultasjon',
      suppressed: true,
    });
    expect(byType.rows[2]).toMatchObject({ orders: 6, callBacks: { of: 3, onTime: 2 } });

    // By service: Nordby 7 orders, Sørvik 5: both shown, with their names.
    const byService = bodyOf<Report>(
      await get(`/api/kompetansebase/adherence?${Q2}&by=service`, 'demo-laeringsnettverksleder'),
    );
    expect(
      Object.fromEntries(byService.rows.map((r) => [r.key, [r.suppressed, r.orders, typeof r.label]])),
    ).toEqual({ [nordby]: [false, 7, 'string'], [sorvik]: [false, 5, 'string'] });

    // Q1 has two orders: everything hidden.
    const q1 = bodyOf<Report>(
      await get(`/api/kompetansebase/adherence?${Q1}`, 'demo-laeringsnettverksleder'),
    );
    expect(q1.total).toEqual({ key: 'total', label: 'Totalt', suppressed: true });
    expect(q1.rows.every((r) => r.suppressed && r.orders === undefined)).toBe(true);

    // Another network's lead sees its own base only (one order: hidden).
    const fjord = bodyOf<Report>(
      await get(`/api/kompetansebase/adherence?${Q2}`, 'demo-fjord-nettverksleder'),
    );
    expect(fjord.base.baseId).toBe(bases.get(DEMO_FJORD_NETWORK));
    expect(fjord.total).toEqual({ key: 'total', label: 'Totalt', suppressed: true });
  });

  it('refuses a bad query with problem+json naming the field, and other roles', async () => {
    const problem = async (path: string, userId: string, field: string) => {
      const res = await get(path, userId);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ errors: [expect.objectContaining({ field })] });
    };
    // A lead's period is one whole quarter (none contains another, so none can be subtracted).
    await problem(
      `/api/kompetansebase/adherence?from=${Y}-04-01&to=${Y}-05-31`,
      'demo-laeringsnettverksleder',
      'from',
    );
    await problem(`/api/kompetansebase/adherence?from=${Y}-04-01&to=${Y}-03-01`, 'demo-kb-leder', 'to');
    await problem(`/api/kompetansebase/adherence?from=${Y}-02-30&to=${Y}-03-01`, 'demo-kb-leder', 'from');
    await problem(`/api/kompetansebase/adherence?${Q2}&by=month`, 'demo-kb-leder', 'by');
    await problem(`/api/kompetansebase/adherence?to=${Y}-03-01`, 'demo-kb-leder', 'from');
    for (const userId of ['demo-kb-veileder', 'demo-leder', 'demo-kontaktperson'])
      expect((await get(`/api/kompetansebase/adherence?${Q2}`, userId)).status).toBe(403);
  });
});
