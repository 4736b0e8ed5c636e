import { isIsoDate } from '../calendar/dates.js';
import { osloDateOf } from '../package/clock.js';
import { reject } from '../package/rejection.js';
import { ASSIGNMENT_ROLES } from './vocabulary.js';
import type { AssignmentEvent } from './events.js';
import type { PlannedAssignmentTask } from './plan.js';
import { isFinished, isQueued, openAssignmentTasks, type AssignmentState } from './state.js';
import {
  DECLINE_REASONS,
  GROUP_REQUEST_TYPE,
  REQUEST_TYPES,
  URGENCIES,
  WAIT_REASONS,
  type AcceptOrder,
  type Actor,
  type AssignmentStepId,
  type CompleteAssignmentStep,
  type DeclineOrder,
  type IsoDate,
  type IsoInstant,
  type SubmitOrder,
  type WaitOrder,
} from './vocabulary.js';

/*
 * The assignment's deciders: pure functions from state, command, planned tasks and the instant to the
 * events to append (the workflow appends them, then folds). Validation throws CommandRejected with a
 * bokmål message and the offending field. Planning (dates on the service's calendar) happens before,
 * in an activity: `stepsToPlan` says what it must plan for a command.
 */

/** A step occurrence to plan, and the day it counts from. */
export interface StepToPlan {
  readonly stepId: AssignmentStepId;
  readonly occurrence: number;
  readonly anchorOn: IsoDate;
}

const MAX_GROUP_FAMILIES = 12;
const FAMILY_REF = /^[a-z0-9-]{1,20}$/;

/** Checks an order's coded fields; throws CommandRejected naming the field. */
export function validateOrder(cmd: SubmitOrder): void {
  if (!REQUEST_TYPES.includes(cmd.requestType)) reject('invalid', 'Ukjent type bestilling.', 'requestType');
  if (!URGENCIES.includes(cmd.urgency)) reject('invalid', 'Ukjent hastegrad.', 'urgency');
  const families = cmd.families ?? [];
  if (cmd.requestType === GROUP_REQUEST_TYPE) {
    if (families.length < 2 || families.length > MAX_GROUP_FAMILIES)
      reject('invalid', `En gruppe har 2 til ${MAX_GROUP_FAMILIES} familier.`, 'families');
    if (new Set(families).size !== families.length)
      reject('invalid', 'En familie står to ganger.', 'families');
    if (!families.every((f) => FAMILY_REF.test(f)))
      reject('invalid', 'Familiene merkes med korte koder (f.eks. familie-1), ikke navn.', 'families');
  } else if (families.length > 0) {
    reject('invalid', 'Bare gruppeveiledning har flere familier.', 'families');
  }
}

/** What an order plans: the call-back and the review, counted from the day it was ordered. */
export const orderSteps = (orderedOn: IsoDate): StepToPlan[] => [
  { stepId: 'tilbakeringing', occurrence: 1, anchorOn: orderedOn },
  { stepId: 'vurdering', occurrence: 1, anchorOn: orderedOn },
];

export function decideOrder(
  cmd: SubmitOrder,
  planned: readonly PlannedAssignmentTask[],
  at: IsoInstant,
): AssignmentEvent[] {
  validateOrder(cmd);
  return [
    {
      type: 'AssignmentOrdered',
      data: {
        assignmentId: cmd.assignmentId,
        origin: cmd.origin,
        requestType: cmd.requestType,
        urgency: cmd.urgency,
        ...(cmd.families?.length ? { families: cmd.families } : {}),
        catalogVersion: cmd.catalogVersion,
        orderedOn: osloDateOf(at),
        by: cmd.by,
        at,
      },
    },
    ...planned.map((task): AssignmentEvent => ({ type: 'AssignmentTaskOpened', data: { task, at } })),
  ];
}

const requireBaseStaff = (by: Actor, leaderOnly: boolean) => {
  const allowed = leaderOnly ? ['kompetansebase-leder'] : ASSIGNMENT_ROLES;
  if (!(allowed as readonly string[]).includes(by.role))
    reject(
      'not-allowed',
      leaderOnly ? 'Bare basens leder kan gjøre dette.' : 'Bare basens ansatte kan gjøre dette.',
    );
};

const requireQueued = (s: AssignmentState) => {
  if (!isQueued(s)) reject('conflict', 'Bestillingen er allerede behandlet.');
};

/** The review is done by the decision: completed (late if after its due date) when it is still open. */
function reviewDone(s: AssignmentState, by: Actor, at: IsoInstant): AssignmentEvent[] {
  const today = osloDateOf(at);
  return openAssignmentTasks(s)
    .filter((t) => t.stepId === 'vurdering')
    .map((t) => ({
      type: 'AssignmentTaskCompleted',
      data: { taskId: t.taskId, completedOn: today, late: today > t.dueOn, by, at },
    }));
}

export function validateAccept(s: AssignmentState, cmd: AcceptOrder): void {
  requireBaseStaff(cmd.by, true);
  requireQueued(s);
}

/** What accepting plans: the start talk, counted from today. */
export const acceptSteps = (at: IsoInstant): StepToPlan[] => [
  { stepId: 'oppstartssamtale', occurrence: 1, anchorOn: osloDateOf(at) },
];

export function decideAccept(
  s: AssignmentState,
  cmd: AcceptOrder,
  planned: readonly PlannedAssignmentTask[],
  at: IsoInstant,
): AssignmentEvent[] {
  validateAccept(s, cmd);
  return [
    ...reviewDone(s, cmd.by, at),
    { type: 'AssignmentAccepted', data: { acceptedOn: osloDateOf(at), by: cmd.by, at } },
    ...planned.map((task): AssignmentEvent => ({ type: 'AssignmentTaskOpened', data: { task, at } })),
  ];
}

export function decideDecline(s: AssignmentState, cmd: DeclineOrder, at: IsoInstant): AssignmentEvent[] {
  requireBaseStaff(cmd.by, true);
  if (!DECLINE_REASONS.includes(cmd.reason)) reject('invalid', 'Ukjent grunn til avslag.', 'reason');
  requireQueued(s);
  const review = reviewDone(s, cmd.by, at);
  const reviewed = new Set(review.map((e) => (e.data as { taskId: string }).taskId));
  return [
    ...review,
    { type: 'AssignmentDeclined', data: { reason: cmd.reason, by: cmd.by, at } },
    ...openAssignmentTasks(s)
      .filter((t) => !reviewed.has(t.taskId))
      .map((t): AssignmentEvent => ({
        type: 'AssignmentTaskCancelled',
        data: { taskId: t.taskId, reason: 'avslatt', at },
      })),
  ];
}

export function decideWait(s: AssignmentState, cmd: WaitOrder, at: IsoInstant): AssignmentEvent[] {
  requireBaseStaff(cmd.by, true);
  if (!WAIT_REASONS.includes(cmd.reason)) reject('invalid', 'Ukjent grunn til å vente.', 'reason');
  requireQueued(s);
  if (s.status === 'venter' && s.waitReason === cmd.reason) return [];
  return [
    ...reviewDone(s, cmd.by, at),
    { type: 'AssignmentWaiting', data: { reason: cmd.reason, by: cmd.by, at } },
  ];
}

/**
 * Checks a step's completion and says what it plans next: the start talk plans the first session (from
 * the talk) and the evaluation (on the agreed date); a session the next one; the evaluation the report;
 * the report the closing.
 */
export function validateComplete(
  s: AssignmentState,
  cmd: CompleteAssignmentStep,
  at: IsoInstant,
): StepToPlan[] {
  requireBaseStaff(cmd.by, false);
  const task = s.tasks[cmd.taskId];
  if (!task) reject('not-found', 'Oppgaven finnes ikke.', 'taskId');
  if (task.status !== 'open') reject('conflict', 'Oppgaven er allerede lukket.', 'taskId');
  if (task.stepId === 'vurdering')
    reject(
      'not-allowed',
      'Vurderingen gjøres ved å ta imot, avslå eller sette bestillingen på vent.',
      'taskId',
    );
  const today = osloDateOf(at);
  if (!isIsoDate(cmd.completedOn)) reject('invalid', 'Ugyldig dato.', 'completedOn');
  if (cmd.completedOn > today) reject('invalid', 'Datoen kan ikke være fram i tid.', 'completedOn');
  if (cmd.completedOn < s.orderedOn) reject('invalid', 'Datoen er før bestillingen.', 'completedOn');
  if (task.stepId === 'oppstartssamtale') {
    if (!isIsoDate(cmd.evaluationOn))
      reject('invalid', 'Avtal en evalueringsdato i oppstartssamtalen.', 'evaluationOn');
    if (cmd.evaluationOn <= cmd.completedOn)
      reject('invalid', 'Evalueringsdatoen må være etter oppstartssamtalen.', 'evaluationOn');
  } else if (cmd.evaluationOn !== undefined) {
    reject('invalid', 'Evalueringsdato avtales bare i oppstartssamtalen.', 'evaluationOn');
  }
  if (cmd.attendance !== undefined) {
    if (task.stepId !== 'veiledning' || s.families.length === 0)
      reject('invalid', 'Oppmøte føres bare for økter i en gruppe.', 'attendance');
    const keys = Object.keys(cmd.attendance).sort();
    if (keys.join() !== [...s.families].sort().join())
      reject('invalid', 'Oppmøtet må nevne hver familie i gruppen, og bare dem.', 'attendance');
  } else if (task.stepId === 'veiledning' && s.families.length > 0) {
    reject('invalid', 'Før oppmøte for hver familie i gruppen.', 'attendance');
  }
  if (cmd.familyGroupConference !== undefined && task.stepId !== 'avslutning')
    reject('invalid', 'Familieråd føres ved avslutningen.', 'familyGroupConference');
  switch (task.stepId) {
    case 'oppstartssamtale':
      return [
        { stepId: 'veiledning', occurrence: 1, anchorOn: cmd.completedOn },
        { stepId: 'evaluering', occurrence: 1, anchorOn: cmd.evaluationOn! },
      ];
    case 'veiledning':
      return s.tasks['evaluering#1']?.status === 'open'
        ? [{ stepId: 'veiledning', occurrence: task.occurrence + 1, anchorOn: cmd.completedOn }]
        : [];
    case 'evaluering':
      return [{ stepId: 'rapport', occurrence: 1, anchorOn: cmd.completedOn }];
    case 'rapport':
      return [{ stepId: 'avslutning', occurrence: 1, anchorOn: cmd.completedOn }];
    case 'tilbakeringing':
    case 'avslutning':
      return [];
  }
}

export function decideComplete(
  s: AssignmentState,
  cmd: CompleteAssignmentStep,
  planned: readonly PlannedAssignmentTask[],
  at: IsoInstant,
): AssignmentEvent[] {
  validateComplete(s, cmd, at);
  const task = s.tasks[cmd.taskId];
  const by = cmd.by;
  const events: AssignmentEvent[] = [
    {
      type: 'AssignmentTaskCompleted',
      data: {
        taskId: task.taskId,
        completedOn: cmd.completedOn,
        late: cmd.completedOn > task.dueOn,
        ...(cmd.twoCounsellors !== undefined ? { twoCounsellors: cmd.twoCounsellors } : {}),
        ...(cmd.attendance ? { attendance: cmd.attendance } : {}),
        by,
        at,
      },
    },
  ];
  if (task.stepId === 'oppstartssamtale')
    events.push({ type: 'EvaluationDateAgreed', data: { evaluationOn: cmd.evaluationOn!, by, at } });
  if (task.stepId === 'evaluering') {
    for (const t of openAssignmentTasks(s).filter((o) => o.stepId === 'veiledning'))
      events.push({ type: 'AssignmentTaskCancelled', data: { taskId: t.taskId, reason: 'evaluert', at } });
  }
  for (const t of planned) events.push({ type: 'AssignmentTaskOpened', data: { task: t, at } });
  if (task.stepId === 'avslutning')
    events.push({
      type: 'AssignmentClosed',
      data: { closedOn: cmd.completedOn, familyGroupConference: cmd.familyGroupConference ?? false, by, at },
    });
  return events;
}

/** What the clock makes happen by `at`: open steps go overdue, then escalate to the base leader. */
export function decideAssignmentTick(s: AssignmentState, at: IsoInstant): AssignmentEvent[] {
  if (isFinished(s)) return [];
  const events: AssignmentEvent[] = [];
  for (const t of openAssignmentTasks(s)) {
    if (!t.overdue && t.timers.overdueAt <= at)
      events.push({ type: 'AssignmentTaskOverdue', data: { taskId: t.taskId, at } });
    if (!t.escalated && t.timers.escalateAt <= at)
      events.push({ type: 'AssignmentTaskEscalated', data: { taskId: t.taskId, at } });
  }
  return events;
}

/** The next instant the clock changes something, if any. */
export function nextAssignmentWakeUp(s: AssignmentState): IsoInstant | undefined {
  if (isFinished(s)) return undefined;
  const pending = openAssignmentTasks(s).flatMap((t) => [
    ...(t.overdue ? [] : [t.timers.overdueAt]),
    ...(t.escalated ? [] : [t.timers.escalateAt]),
  ]);
  return pending.sort()[0];
}
