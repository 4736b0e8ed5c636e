import { norwegianWorkingDays } from '../calendar/working-days.js';
import { CommandRejected } from '../package/rejection.js';
import {
  ASSIGNMENT_STEPS,
  KOMPETANSEBASE_CATALOG,
  acceptSteps,
  decideAccept,
  decideAssignmentTick,
  decideComplete,
  decideDecline,
  decideOrder,
  decideWait,
  evolveAssignment,
  nextAssignmentWakeUp,
  orderSteps,
  planAssignmentTask,
  validateComplete,
  type AssignmentEvent,
  type AssignmentState,
  type CompleteAssignmentStep,
  type StepToPlan,
  type SubmitOrder,
} from './index.js';

const calendar = norwegianWorkingDays();
const caseworker = { userId: 'u-kp', role: 'kontaktperson' } as const;
const counsellor = { userId: 'u-v', role: 'kompetansebase-veileder' } as const;
const baseLeader = { userId: 'u-l', role: 'kompetansebase-leder' } as const;
const plan = (steps: readonly StepToPlan[]) =>
  steps.map((s) => planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar));
const apply = (s: AssignmentState | undefined, events: readonly AssignmentEvent[]) =>
  events.reduce<AssignmentState | undefined>(evolveAssignment, s)!;
const rejected = (fn: () => unknown): CommandRejected => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandRejected) return error;
    throw error;
  }
  throw new Error('not rejected');
};

// The clock of these tests: a Monday 10:00 Oslo (08:00 UTC) in an ordinary week of 2026.
const T0 = '2026-09-07T08:00:00.000Z';
const order = (over: Partial<SubmitOrder> = {}): SubmitOrder => ({
  commandId: 'c-order',
  assignmentId: 'a-1',
  origin: { baseId: 'b', networkId: 'n', serviceId: 's' },
  requestType: 'hjemmebasert-foreldreveiledning',
  urgency: 'vanlig',
  catalogVersion: KOMPETANSEBASE_CATALOG.version,
  by: caseworker,
  ...over,
});
const ordered = (over: Partial<SubmitOrder> = {}) =>
  apply(undefined, decideOrder(order(over), plan(orderSteps('2026-09-07')), T0));

describe('kompetansebase catalog', () => {
  it('has every step once, each timed by an ASSUMPTION with the Barneløftet report as source', () => {
    expect(KOMPETANSEBASE_CATALOG.steps.map((s) => s.id)).toEqual([...ASSIGNMENT_STEPS]);
    for (const step of KOMPETANSEBASE_CATALOG.steps) {
      expect(step.basis.timingKind).toBe('ASSUMPTION');
      expect(step.basis.source).toMatch(/Barneløftet/);
    }
  });

  it('counts the call-back in working days: ordered on a Friday, due on the third working day after', () => {
    const task = planAssignmentTask(KOMPETANSEBASE_CATALOG, 'tilbakeringing', 1, '2026-09-04', calendar);
    expect(task.dueOn).toBe('2026-09-09');
    expect(task.timers.overdueAt).toBe('2026-09-09T22:00:00.000Z');
    expect(task.timers.escalateAt).toBe('2026-09-14T22:00:00.000Z');
  });

  it('skips Easter when counting working days', () => {
    // Ordered on Wednesday before Easter 2027 (Maundy Thursday 25 March, Good Friday 26, Easter Monday 29).
    expect(
      planAssignmentTask(KOMPETANSEBASE_CATALOG, 'tilbakeringing', 1, '2027-03-24', calendar).dueOn,
    ).toBe('2027-04-01');
  });
});

describe('kompetansebase assignment deciders', () => {
  it('an order opens the call-back and the review, and carries no free text', () => {
    const s = ordered();
    expect(s.status).toBe('bestilt');
    expect(Object.keys(s.tasks).sort()).toEqual(['tilbakeringing#1', 'vurdering#1']);
    expect(s.tasks['tilbakeringing#1'].role).toBe('kompetansebase-veileder');
    expect(s.tasks['vurdering#1'].role).toBe('kompetansebase-leder');
  });

  it('refuses bad orders naming the field', () => {
    expect(rejected(() => decideOrder(order({ requestType: 'x' as never }), [], T0)).field).toBe(
      'requestType',
    );
    expect(rejected(() => decideOrder(order({ urgency: 'straks' as never }), [], T0)).field).toBe('urgency');
    const group = { requestType: 'gruppeveiledning-fosterforeldre' } as const;
    expect(rejected(() => decideOrder(order({ ...group, families: ['familie-1'] }), [], T0)).field).toBe(
      'families',
    );
    expect(
      rejected(() => decideOrder(order({ ...group, families: ['Kari Nordmann', 'b'] }), [], T0)).field,
    ).toBe('families');
    expect(rejected(() => decideOrder(order({ families: ['a', 'b'] }), [], T0)).field).toBe('families');
  });

  it('only the base leader accepts, declines or lets wait; a caseworker cannot', () => {
    const s = ordered();
    expect(rejected(() => decideAccept(s, { commandId: 'x', by: counsellor }, [], T0)).code).toBe(
      'not-allowed',
    );
    expect(
      rejected(() => decideDecline(s, { commandId: 'x', reason: 'kapasitet', by: caseworker }, T0)).code,
    ).toBe('not-allowed');
    expect(
      rejected(() => decideDecline(s, { commandId: 'x', reason: 'full' as never, by: baseLeader }, T0)).field,
    ).toBe('reason');
  });

  it('declining for capacity closes the review and cancels the rest', () => {
    const s = apply(
      ordered(),
      decideDecline(ordered(), { commandId: 'd', reason: 'kapasitet', by: baseLeader }, T0),
    );
    expect(s.status).toBe('avslatt');
    expect(s.declineReason).toBe('kapasitet');
    expect(s.tasks['vurdering#1'].status).toBe('completed');
    expect(s.tasks['tilbakeringing#1'].status).toBe('cancelled');
    expect(nextAssignmentWakeUp(s)).toBeUndefined();
    expect(rejected(() => decideAccept(s, { commandId: 'a', by: baseLeader }, [], T0)).code).toBe('conflict');
  });

  it('a waiting order stays in the queue and can be accepted later', () => {
    const waiting = apply(
      ordered(),
      decideWait(ordered(), { commandId: 'w', reason: 'kapasitet', by: baseLeader }, T0),
    );
    expect(waiting.status).toBe('venter');
    expect(waiting.tasks['vurdering#1'].status).toBe('completed');
    expect(decideWait(waiting, { commandId: 'w2', reason: 'kapasitet', by: baseLeader }, T0)).toEqual([]);
    const later = '2026-10-05T08:00:00.000Z';
    const accepted = apply(
      waiting,
      decideAccept(waiting, { commandId: 'a', by: baseLeader }, plan(acceptSteps(later)), later),
    );
    expect(accepted.status).toBe('aktiv');
    expect(accepted.acceptedOn).toBe('2026-10-05');
    expect(accepted.tasks['oppstartssamtale#1'].dueOn).toBe('2026-10-19');
  });

  it('runs through start talk (evaluation date agreed), sessions, evaluation, a late report and closing', () => {
    let s = ordered();
    s = apply(s, decideAccept(s, { commandId: 'a', by: baseLeader }, plan(acceptSteps(T0)), T0));
    const complete = (
      over: Partial<CompleteAssignmentStep> & { taskId: string; completedOn: string },
      at: string,
    ) => {
      const cmd: CompleteAssignmentStep = { commandId: `c-${over.taskId}`, by: counsellor, ...over };
      s = apply(s, decideComplete(s, cmd, plan(validateComplete(s, cmd, at)), at));
    };
    complete({ taskId: 'tilbakeringing#1', completedOn: '2026-09-08' }, '2026-09-08T08:00:00.000Z');
    expect(s.tasks['tilbakeringing#1'].late).toBe(false);
    expect(
      rejected(() =>
        validateComplete(
          s,
          { commandId: 'x', taskId: 'oppstartssamtale#1', completedOn: '2026-09-10', by: counsellor },
          '2026-09-10T08:00:00.000Z',
        ),
      ).field,
    ).toBe('evaluationOn');
    complete(
      { taskId: 'oppstartssamtale#1', completedOn: '2026-09-10', evaluationOn: '2026-11-26' },
      '2026-09-10T08:00:00.000Z',
    );
    expect(s.evaluationOn).toBe('2026-11-26');
    expect(s.tasks['evaluering#1'].dueOn).toBe('2026-11-26');
    expect(s.tasks['veiledning#1'].dueOn).toBe('2026-09-24');
    complete(
      { taskId: 'veiledning#1', completedOn: '2026-09-24', twoCounsellors: true },
      '2026-09-24T08:00:00.000Z',
    );
    expect(s.tasks['veiledning#1'].twoCounsellors).toBe(true);
    expect(s.tasks['veiledning#2'].status).toBe('open');
    complete({ taskId: 'evaluering#1', completedOn: '2026-11-26' }, '2026-11-26T08:00:00.000Z');
    expect(s.tasks['evaluering#1'].late).toBe(false);
    expect(s.tasks['veiledning#2'].status).toBe('cancelled');
    const report = s.tasks['rapport#1'];
    expect(report.dueOn).toBe('2026-12-10');
    // The report is overdue at midnight after its due date and escalates five days later.
    const ticks = decideAssignmentTick(s, report.timers.escalateAt);
    expect(ticks.map((e) => e.type)).toEqual(['AssignmentTaskOverdue', 'AssignmentTaskEscalated']);
    s = apply(s, ticks);
    complete({ taskId: 'rapport#1', completedOn: '2026-12-18' }, '2026-12-18T08:00:00.000Z');
    expect(s.tasks['rapport#1'].late).toBe(true);
    complete(
      { taskId: 'avslutning#1', completedOn: '2026-12-21', familyGroupConference: true },
      '2026-12-21T08:00:00.000Z',
    );
    expect(s.status).toBe('avsluttet');
    expect(s.familyGroupConference).toBe(true);
    expect(nextAssignmentWakeUp(s)).toBeUndefined();
  });

  it('a group session records attendance for every family of the group', () => {
    const families = ['familie-1', 'familie-2', 'familie-3'];
    let s = ordered({ requestType: 'gruppeveiledning-fosterforeldre', families });
    s = apply(s, decideAccept(s, { commandId: 'a', by: baseLeader }, plan(acceptSteps(T0)), T0));
    const talk = {
      commandId: 't',
      taskId: 'oppstartssamtale#1',
      completedOn: '2026-09-08',
      evaluationOn: '2026-12-01',
      by: counsellor,
    };
    s = apply(
      s,
      decideComplete(
        s,
        talk,
        plan(validateComplete(s, talk, '2026-09-08T08:00:00.000Z')),
        '2026-09-08T08:00:00.000Z',
      ),
    );
    const session = { commandId: 's', taskId: 'veiledning#1', completedOn: '2026-09-08', by: counsellor };
    const at = '2026-09-08T09:00:00.000Z';
    expect(rejected(() => validateComplete(s, session, at)).field).toBe('attendance');
    expect(
      rejected(() => validateComplete(s, { ...session, attendance: { 'familie-1': true } }, at)).field,
    ).toBe('attendance');
    const attendance = { 'familie-1': true, 'familie-2': false, 'familie-3': true };
    s = apply(
      s,
      decideComplete(
        s,
        { ...session, attendance },
        plan(validateComplete(s, { ...session, attendance }, at)),
        at,
      ),
    );
    expect(s.tasks['veiledning#1'].attendance).toEqual(attendance);
  });
});
