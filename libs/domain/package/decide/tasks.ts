import type { PackageEvent, TasksPlanned } from '../../events.js';
import type { PlannedTask } from '../../plan.js';
import { TASK_OUTCOMES, WAIVER_REASONS, type IsoInstant } from '../../vocabulary.js';
import { addDays } from '../clock.js';
import type { AddAdHocTask, CompleteTask, ReassignTask, WaiveTask } from '../commands.js';
import { reject } from '../rejection.js';
import type { PackageState } from '../state.js';
import {
  EARLIEST_BEFORE_PLACEMENT_DAYS,
  oneOf,
  requireActive,
  requireDate,
  requireNotFuture,
  requireOpenTask,
  requireRole,
} from './guards.js';

/*
 * Decisions on one task: given the state, a command (with what the planner worked out for it) and the
 * time, the events that happen, or why not. Pure: the same inputs always decide the same.
 */

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
  const role = cmd.role === undefined ? task.role : requireRole(cmd.role);
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
  if (cmd.role !== undefined) requireRole(cmd.role);
}

/** An ad-hoc task, dated by the planner (`planAdHocTask`): planned once, a repeat plans nothing. */
export function decideAdHoc(state: PackageState, task: PlannedTask, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  if (state.tasks[task.taskId]) return [];
  const planned: TasksPlanned = { type: 'TasksPlanned', data: { tasks: [task], reason: 'ad-hoc', at: now } };
  return [planned];
}

/**
 * The follow-ups a completed task starts (`planFollowUps`: a supervision report, a private talk with the
 * child), those not planned yet.
 */
export function decideFollowUps(
  state: PackageState,
  followUps: readonly PlannedTask[],
  now: IsoInstant,
): PackageEvent[] {
  const fresh = followUps.filter((t) => !state.tasks[t.taskId]);
  if (fresh.length === 0) return [];
  const planned: TasksPlanned = {
    type: 'TasksPlanned',
    data: { tasks: fresh, reason: 'follow-up', at: now },
  };
  return [planned];
}
