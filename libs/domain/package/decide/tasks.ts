import type { PackageEvent, TasksPlanned } from '../../events.js';
import type { PlannedTask } from '../../plan.js';
import { TASK_OUTCOMES, WAIVER_REASONS, type IsoInstant } from '../../vocabulary.js';
import { addDays } from '../clock.js';
import type {
  AddAdHocTask,
  CompleteTask,
  CosignWaiver,
  DeclineWaiver,
  ReassignTask,
  RequestWaiver,
  WaiveTask,
} from '../commands.js';
import { reject } from '../rejection.js';
import { openWaiverRequest, type PackageState } from '../state.js';
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

export interface WaiveRules {
  /**
   * Four eyes: a step that needs a leader's co-signature is waived only through a request another
   * leader co-signs (decideRequestWaiver, decideCosignWaiver), never directly, not even by a leader.
   * False only for commands recorded before the rule (workflow patch `waiver-cosign`): then a leader
   * waived such a step alone.
   */
  readonly fourEyes: boolean;
}

export function decideWaive(
  state: PackageState,
  cmd: WaiveTask,
  now: IsoInstant,
  rules: WaiveRules = { fourEyes: true },
): PackageEvent[] {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  oneOf(WAIVER_REASONS, cmd.reason, 'reason', 'begrunnelse');
  if (task.requiresCoSignToWaive && rules.fourEyes) {
    reject(
      'not-allowed',
      'Lovpålagte steg frafalles bare med medsignatur: be om frafall med begrunnelse, så medsignerer en leder.',
      'taskId',
    );
  }
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

/** Who may ask for a waiver: the service's caseworkers and leaders (the API's route policy says the same). */
const REQUESTERS: readonly string[] = ['kontaktperson', 'leder'];

/**
 * A request to waive a step that needs a leader's co-signature. The task stays open and its timers run
 * (it still becomes overdue and escalates) until a leader co-signs. One open request per task. A step
 * without that need is simply waived (decideWaive): a request for it is refused.
 */
export function decideRequestWaiver(
  state: PackageState,
  cmd: RequestWaiver,
  now: IsoInstant,
): PackageEvent[] {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  const reason = oneOf(WAIVER_REASONS, cmd.reason, 'reason', 'begrunnelse');
  if (typeof cmd.requestId !== 'string' || cmd.requestId.length === 0)
    reject('invalid', 'Mangler begrunnelsen.', 'justification');
  if (!REQUESTERS.includes(cmd.actor.role))
    reject('not-allowed', 'Bare kontaktperson og leder kan be om frafall.', 'taskId');
  if (!task.requiresCoSignToWaive)
    reject('invalid', 'Steget trenger ikke medsignatur: frafall det direkte.', 'taskId');
  if (openWaiverRequest(task)) reject('conflict', 'Det er allerede bedt om frafall av steget.', 'taskId');
  return [
    {
      type: 'WaiverRequested',
      data: { taskId: task.taskId, at: now, requestId: cmd.requestId, reason, by: cmd.actor },
    },
  ];
}

/** The open request a leader decides on: the one they were shown (`requestId`), else a conflict. */
function openRequest(state: PackageState, cmd: CosignWaiver | DeclineWaiver) {
  requireActive(state);
  const task = requireOpenTask(state, cmd.taskId);
  const request = openWaiverRequest(task);
  if (!request) return reject('conflict', 'Det er ingen åpen anmodning om frafall av steget.', 'requestId');
  if (request.requestId !== cmd.requestId)
    reject('conflict', 'Anmodningen er endret siden du så den. Les den på nytt.', 'requestId');
  if (cmd.actor.role !== 'leder') reject('not-allowed', 'Bare leder kan avgjøre frafall.', 'requestId');
  return { task, request };
}

/**
 * A leader co-signs an open request: the task is waived with the request's reason, by the requester,
 * co-signed by the leader. Four eyes: never one's own request.
 */
export function decideCosignWaiver(state: PackageState, cmd: CosignWaiver, now: IsoInstant): PackageEvent[] {
  const { task, request } = openRequest(state, cmd);
  if (request.requestedBy.userId === cmd.actor.userId)
    reject('not-allowed', 'Du kan ikke medsignere din egen anmodning om frafall.', 'requestId');
  return [
    {
      type: 'TaskWaived',
      data: {
        taskId: task.taskId,
        at: now,
        reason: request.reason,
        by: request.requestedBy,
        coSignedBy: cmd.actor,
        requestId: request.requestId,
        requestedAt: request.requestedAt,
      },
    },
  ];
}

/** A leader declines an open request (the reason stored apart, under `declineRef`); the task stays open. */
export function decideDeclineWaiver(
  state: PackageState,
  cmd: DeclineWaiver,
  now: IsoInstant,
): PackageEvent[] {
  const { task, request } = openRequest(state, cmd);
  if (typeof cmd.declineRef !== 'string' || cmd.declineRef.length === 0)
    reject('invalid', 'Mangler begrunnelsen for avslaget.', 'reason');
  return [
    {
      type: 'WaiverDeclined',
      data: {
        taskId: task.taskId,
        at: now,
        requestId: request.requestId,
        declineRef: cmd.declineRef,
        by: cmd.actor,
        requestedBy: request.requestedBy,
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
