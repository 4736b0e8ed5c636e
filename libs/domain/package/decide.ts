import type { PackageEvent, TaskCancelled, TaskRescheduled, TasksPlanned } from '../events.js';
import type { PlannedTask } from '../plan.js';
import {
  END_REASONS,
  LEGAL_BASES,
  legalBasisOf,
  PAUSE_REASONS,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  TASK_OUTCOMES,
  TASK_ROLES,
  WAIVER_REASONS,
  type IsoInstant,
  type PlacementFacts,
} from '../vocabulary.js';
import { addDays, addMs, DAY, diffDays, isIsoDate, osloDateOf } from './clock.js';
import type {
  AddAdHocTask,
  ChangePlacement,
  CompleteTask,
  EndPlacement,
  PausePlacement,
  ReassignTask,
  RecordReduction,
  ResumePlacement,
  WaiveTask,
} from './commands.js';
import { reject } from './rejection.js';
import { isFinal, type PackageState, type TaskState } from './state.js';

/**
 * Decisions: given the state, a command and the time, which events happen, or why not. Pure: time
 * comes in as `now` (the workflow's deterministic clock), so the same inputs always decide the same.
 */

/** Work can be recorded as done up to this many days before move-in (pre-move-in steps). */
const EARLIEST_BEFORE_PLACEMENT_DAYS = 60;
/** A package still running this long after its last escalation is closed; what is left is cancelled. */
export const PACKAGE_GRACE_DAYS = 90;

const oneOf = <T extends string>(values: readonly T[], value: unknown, field: string, what: string): T =>
  (values as readonly unknown[]).includes(value) ? (value as T) : reject('invalid', `Ukjent ${what}.`, field);

function requireActive(state: PackageState): void {
  if (state.status === 'ended' || state.status === 'completed') {
    reject('conflict', 'Plasseringen er avsluttet.');
  }
}

function requireOpenTask(state: PackageState, taskId: unknown): TaskState {
  const task = typeof taskId === 'string' ? state.tasks[taskId] : undefined;
  if (!task) return reject('not-found', 'Fant ingen slik oppgave.', 'taskId');
  if (isFinal(task)) reject('conflict', 'Oppgaven er allerede lukket.', 'taskId');
  return task;
}

function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) reject('invalid', 'Må være en gyldig dato (ÅÅÅÅ-MM-DD).', field);
  return value;
}

function requireNotFuture(date: string, now: IsoInstant, field: string): void {
  if (date > osloDateOf(now)) reject('invalid', 'Datoen kan ikke være i fremtiden.', field);
}

export function decideComplete(state: PackageState, cmd: CompleteTask, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  oneOf(TASK_OUTCOMES, cmd.outcome, 'outcome', 'utfall');
  const on = requireDate(cmd.completedOn, 'completedOn');
  requireNotFuture(on, now, 'completedOn');
  if (on < addDays(state.facts.placementDate, -EARLIEST_BEFORE_PLACEMENT_DAYS)) {
    reject('invalid', 'Datoen er for lenge før plasseringen.', 'completedOn');
  }
  return [
    {
      type: 'TaskCompleted',
      data: {
        taskId: task.taskId,
        at: now,
        completedOn: on,
        outcome: cmd.outcome,
        ...(cmd.noteRef ? { noteRef: cmd.noteRef } : {}),
        by: cmd.actor,
      },
    },
  ];
}

export function decideWaive(state: PackageState, cmd: WaiveTask, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  oneOf(WAIVER_REASONS, cmd.reason, 'reason', 'begrunnelse');
  const leaderCoSign = cmd.coSignedBy?.role === 'leder' && cmd.coSignedBy.userId !== cmd.actor.userId;
  if (task.requiresCoSignToWaive && cmd.actor.role !== 'leder' && !leaderCoSign) {
    reject('not-allowed', 'Lovpålagte steg kan bare frafalles med medsignatur fra leder.', 'coSignedBy');
  }
  return [
    {
      type: 'TaskWaived',
      data: {
        taskId: task.taskId,
        at: now,
        reason: cmd.reason,
        by: cmd.actor,
        ...(cmd.coSignedBy ? { coSignedBy: cmd.coSignedBy } : {}),
      },
    },
  ];
}

export function decideReassign(state: PackageState, cmd: ReassignTask, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  const role = cmd.role === undefined ? task.role : oneOf(TASK_ROLES, cmd.role, 'role', 'rolle');
  if (cmd.assigneeId !== null && (typeof cmd.assigneeId !== 'string' || cmd.assigneeId.length === 0)) {
    reject('invalid', 'Mottaker må være en bruker eller tom (rollens felles kø).', 'assigneeId');
  }
  if (role === task.role && cmd.assigneeId === task.assigneeId) return []; // nothing changes
  return [
    {
      type: 'TaskReassigned',
      data: { taskId: task.taskId, at: now, assigneeId: cmd.assigneeId, role, by: cmd.actor },
    },
  ];
}

/** Checks an ad-hoc task request; the planner (an activity) then dates it. */
export function validateAdHoc(
  state: PackageState,
  cmd: AddAdHocTask,
  knownStep: (stepId: string) => boolean,
): void {
  requireActive(state);
  if (typeof cmd.stepId !== 'string' || !knownStep(cmd.stepId)) reject('invalid', 'Ukjent steg.', 'stepId');
  const due = requireDate(cmd.dueOn, 'dueOn');
  if (due < state.facts.placementDate)
    reject('invalid', 'Fristen kan ikke være før plasseringsdatoen.', 'dueOn');
  if (cmd.role !== undefined) oneOf(TASK_ROLES, cmd.role, 'role', 'rolle');
}

export function validateChange(state: PackageState, cmd: ChangePlacement): void {
  requireActive(state);
  if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== state.version) {
    reject(
      'conflict',
      'Plasseringen er endret siden forhåndsvisningen. Se på endringen på nytt.',
      'expectedVersion',
    );
  }
  if (cmd.placementDate === undefined && cmd.placementType === undefined) {
    reject('invalid', 'Oppgi ny plasseringsdato eller ny plasseringstype.', 'placementDate');
  }
  if (cmd.placementDate !== undefined) requireDate(cmd.placementDate, 'placementDate');
  if (cmd.placementType !== undefined)
    oneOf(PLACEMENT_TYPES, cmd.placementType, 'placementType', 'plasseringstype');
  if (cmd.legalBasis !== undefined) {
    oneOf(LEGAL_BASES, cmd.legalBasis, 'legalBasis', 'rettsgrunnlag');
    if (cmd.placementType === undefined)
      reject('invalid', 'Rettsgrunnlaget endres sammen med plasseringstypen.', 'legalBasis');
    const dictated = legalBasisOf(cmd.placementType);
    if (dictated !== null && dictated !== cmd.legalBasis)
      reject(
        'invalid',
        `En plassering av typen ${cmd.placementType} har rettsgrunnlag ${dictated}.`,
        'legalBasis',
      );
  }
}

/**
 * The placement's facts after a (valid) change: a new type that dictates its legal basis brings that
 * basis along (an emergency placement under a voluntary arrangement that becomes a care-order placement
 * is then under the care order); otherwise the basis given, or the current one.
 */
export function changedFacts(facts: PlacementFacts, cmd: ChangePlacement): PlacementFacts {
  const placementType = cmd.placementType ?? facts.placementType;
  return {
    ...facts,
    placementDate: cmd.placementDate ?? facts.placementDate,
    placementType,
    legalBasis: legalBasisOf(placementType) ?? cmd.legalBasis ?? facts.legalBasis,
  };
}

export function validateReduction(state: PackageState, cmd: RecordReduction): void {
  requireActive(state);
  const d = cmd.decision;
  oneOf(STATUTORY_KINDS, d?.kind, 'decision.kind', 'type besøk');
  if (!Number.isInteger(d.minimumPerYear) || d.minimumPerYear < 1 || d.minimumPerYear > 3) {
    reject('invalid', 'Redusert minimum må være 1, 2 eller 3 besøk i året.', 'decision.minimumPerYear');
  }
  const from = requireDate(d.effectiveFrom, 'decision.effectiveFrom');
  if (from < state.facts.placementDate) {
    reject('invalid', 'Reduksjonen kan ikke gjelde fra før plasseringen.', 'decision.effectiveFrom');
  }
  if (cmd.actor.role !== 'leder')
    reject('not-allowed', 'Bare leder kan registrere et vedtak om reduksjon.', 'actor');
}

export function decidePause(state: PackageState, cmd: PausePlacement, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  if (state.status === 'paused') reject('conflict', 'Plasseringen er allerede satt på pause.');
  oneOf(PAUSE_REASONS, cmd.reason, 'reason', 'årsak');
  const from = requireDate(cmd.from, 'from');
  requireNotFuture(from, now, 'from');
  return [{ type: 'PlacementPaused', data: { reason: cmd.reason, from, by: cmd.actor, at: now } }];
}

/** Validates a resume; the planner then moves open work by the length of the pause. */
export function validateResume(state: PackageState, cmd: ResumePlacement, now: IsoInstant): number {
  requireActive(state);
  if (state.status !== 'paused' || !state.pausedFrom)
    reject('conflict', 'Plasseringen er ikke satt på pause.');
  const on = requireDate(cmd.on, 'on');
  requireNotFuture(on, now, 'on');
  if (on < state.pausedFrom) reject('invalid', 'Kan ikke gjenoppta før pausen startet.', 'on');
  return diffDays(state.pausedFrom, on);
}

export function decideEnd(state: PackageState, cmd: EndPlacement, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  oneOf(END_REASONS, cmd.reason, 'reason', 'årsak');
  const endedOn = requireDate(cmd.endedOn, 'endedOn');
  requireNotFuture(endedOn, now, 'endedOn');
  if (endedOn < state.facts.placementDate)
    reject('invalid', 'Sluttdato kan ikke være før plasseringsdatoen.', 'endedOn');
  return [
    ...cancelOpen(state, 'placement-ended', now),
    { type: 'PlacementEnded', data: { endedOn, reason: cmd.reason, by: cmd.actor, at: now } },
  ];
}

function cancelOpen(
  state: PackageState,
  reason: TaskCancelled['data']['reason'],
  now: IsoInstant,
): TaskCancelled[] {
  return Object.values(state.tasks)
    .filter((t) => !isFinal(t))
    .sort((a, b) => a.taskId.localeCompare(b.taskId))
    .map((t) => ({ type: 'TaskCancelled', data: { taskId: t.taskId, at: now, reason } }));
}

// ---------------------------------------------------------------------------------------------------
// Re-planning

export interface PlanChange {
  /** Open or planned tasks whose dates move, in the direction of the change (if it moves the date). */
  readonly moved: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  /**
   * Statutory visits that the re-plan gives another place in the plan rather than moving them along:
   * a date change that shifts the year split can pull a different cadence visit into a year, so the
   * visit lands against the direction of the change. Shown apart, with both dates, never as "moved".
   */
  readonly replaced: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  /** New tasks (the change makes a step apply, or adds occurrences). */
  readonly added: readonly PlannedTask[];
  /** Open or planned tasks that no longer apply. */
  readonly cancelled: readonly { taskId: string; title: string; dueOn: string }[];
  /** Completed and waived tasks are kept as they are. */
  readonly kept: number;
}

/**
 * Compares the current package with a freshly planned one. Only tasks from the package plan are
 * re-planned: closed tasks stay as they were, follow-ups and ad-hoc tasks keep their dates. With
 * `dateShiftDays` (the placement date moves by that many days), a task that would move the other way
 * is reported as `replaced`, not `moved`.
 */
export function diffPlan(
  state: PackageState,
  proposed: readonly PlannedTask[],
  options: { dateShiftDays?: number } = {},
): PlanChange {
  const shift = options.dateShiftDays ?? 0;
  const current = Object.values(state.tasks);
  const byId = new Map(proposed.map((t) => [t.taskId, t]));
  const moved: { taskId: string; title: string; fromDueOn: string; toDueOn: string }[] = [];
  const replaced: typeof moved = [];
  const cancelled: { taskId: string; title: string; dueOn: string }[] = [];
  let kept = 0;
  for (const task of current) {
    if (isFinal(task) || task.origin !== 'plan') {
      kept++;
      continue;
    }
    const next = byId.get(task.taskId);
    if (!next) cancelled.push({ taskId: task.taskId, title: task.title, dueOn: task.dueOn });
    else if (next.dueOn !== task.dueOn || next.opensOn !== task.opensOn) {
      const entry = { taskId: task.taskId, title: task.title, fromDueOn: task.dueOn, toDueOn: next.dueOn };
      const against = shift < 0 ? next.dueOn > task.dueOn : shift > 0 && next.dueOn < task.dueOn;
      (against ? replaced : moved).push(entry);
    }
  }
  const added = proposed.filter((t) => !state.tasks[t.taskId]);
  const order = <T extends { taskId: string }>(xs: T[]) =>
    xs.sort((a, b) => a.taskId.localeCompare(b.taskId));
  return {
    moved: order(moved),
    replaced: order(replaced),
    added: order([...added]),
    cancelled: order(cancelled),
    kept,
  };
}

/** Days the placement date moves from `before` to `after` (0 when only the type changes). */
export const dateShift = (before: PlacementFacts, after: PlacementFacts): number =>
  diffDays(before.placementDate, after.placementDate);

/** A task's new schedule, as the planner gave it. */
export function rescheduled(
  task: PlannedTask,
  reason: TaskRescheduled['data']['reason'],
  now: IsoInstant,
): TaskRescheduled {
  const { taskId, opensOn, dueOn, nominalDueOn, timers } = task;
  return { type: 'TaskRescheduled', data: { taskId, at: now, opensOn, dueOn, nominalDueOn, timers, reason } };
}

/** The events that carry out a plan change. */
export function replanEvents(
  state: PackageState,
  proposed: readonly PlannedTask[],
  reason: TaskRescheduled['data']['reason'],
  now: IsoInstant,
  options: { dateShiftDays?: number } = {},
): PackageEvent[] {
  const change = diffPlan(state, proposed, options);
  const byId = new Map(proposed.map((t) => [t.taskId, t]));
  const events: PackageEvent[] = [];
  for (const c of change.cancelled) {
    events.push({
      type: 'TaskCancelled',
      data: {
        taskId: c.taskId,
        at: now,
        reason: reason === 'reduction' ? 'reduction' : 'not-applicable-after-change',
      },
    });
  }
  for (const m of [...change.moved, ...change.replaced])
    events.push(rescheduled(byId.get(m.taskId)!, reason, now));
  if (change.added.length > 0) {
    const planned: TasksPlanned = {
      type: 'TasksPlanned',
      data: { tasks: change.added, reason: 'replanned', at: now },
    };
    events.push(planned);
  }
  return events;
}

/** Tasks that are still to be done (planned or open). */
export function openTasks(state: PackageState): TaskState[] {
  return Object.values(state.tasks)
    .filter((t) => !isFinal(t))
    .sort((a, b) => a.taskId.localeCompare(b.taskId));
}

// ---------------------------------------------------------------------------------------------------
// Time

/**
 * What the clock has made happen by `now`: tasks open, get their reminder, go overdue and are
 * escalated at the instants the planner gave them. Nothing moves while the placement is paused.
 * Events carry the scheduled instant, so a late wake-up (a worker that was down) records what should
 * have happened when.
 */
export function decideTick(state: PackageState, now: IsoInstant): PackageEvent[] {
  if (state.status !== 'active') return [];
  const due: { at: IsoInstant; order: number; event: PackageEvent }[] = [];
  for (const t of Object.values(state.tasks)) {
    if (isFinal(t)) continue;
    const { opensAt, remindAt, overdueAt, escalateAt } = t.timers;
    const taskId = t.taskId;
    if (t.status === 'planned' && opensAt <= now)
      due.push({ at: opensAt, order: 0, event: { type: 'TaskOpened', data: { taskId, at: opensAt } } });
    if (!t.dueSoon && remindAt <= now)
      due.push({ at: remindAt, order: 1, event: { type: 'TaskDueSoon', data: { taskId, at: remindAt } } });
    if (!t.overdue && overdueAt <= now)
      due.push({ at: overdueAt, order: 2, event: { type: 'TaskOverdue', data: { taskId, at: overdueAt } } });
    if (!t.escalated && escalateAt <= now)
      due.push({
        at: escalateAt,
        order: 3,
        event: { type: 'TaskEscalated', data: { taskId, at: escalateAt, toRole: 'leder' } },
      });
  }
  due.sort((a, b) =>
    a.at === b.at
      ? a.order - b.order || taskIdOf(a.event).localeCompare(taskIdOf(b.event))
      : a.at.localeCompare(b.at),
  );
  const events = due.map((d) => d.event);
  const expiry = expiresAt(state);
  if (expiry && expiry <= now) {
    events.push(...cancelOpen(state, 'package-expired', expiry));
    events.push({ type: 'PackageCompleted', data: { at: expiry } });
  } else if (Object.values(state.tasks).every(isFinal) && Object.keys(state.tasks).length > 0) {
    events.push({ type: 'PackageCompleted', data: { at: now } });
  }
  return events;
}

function taskIdOf(event: PackageEvent): string {
  return 'taskId' in event.data ? event.data.taskId : '';
}

/** When an unfinished package is closed: PACKAGE_GRACE_DAYS after the last escalation instant. */
export function expiresAt(state: PackageState): IsoInstant | undefined {
  let last: IsoInstant | undefined;
  for (const t of Object.values(state.tasks))
    if (!last || t.timers.escalateAt > last) last = t.timers.escalateAt;
  return last ? addMs(last, PACKAGE_GRACE_DAYS * DAY) : undefined;
}

/** The next instant at which `decideTick` would produce something, for the workflow's timer. */
export function nextWakeUp(state: PackageState): IsoInstant | undefined {
  if (state.status !== 'active') return undefined;
  let next = expiresAt(state);
  for (const t of Object.values(state.tasks)) {
    if (isFinal(t)) continue;
    const pending = [
      t.status === 'planned' ? t.timers.opensAt : undefined,
      t.dueSoon ? undefined : t.timers.remindAt,
      t.overdue ? undefined : t.timers.overdueAt,
      t.escalated ? undefined : t.timers.escalateAt,
    ];
    for (const at of pending) if (at && (!next || at < next)) next = at;
  }
  return next;
}
