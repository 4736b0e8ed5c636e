import { addDays, type DateRange } from '../calendar/dates.js';
import { osloDateOf } from './clock.js';
import type { OrganisationRef, PackageEvent } from '../events.js';
import type { PlannedTask, ReductionDecision } from '../plan.js';
import type {
  Actor,
  IsoDate,
  IsoInstant,
  PlacementFacts,
  TaskOutcome,
  TaskRole,
  TaskStatus,
  WaiverReason,
} from '../vocabulary.js';

/**
 * The state of one care package, folded from its events by `evolve`. The workflow keeps it in memory
 * (and carries it across continue-as-new); projections fold the same events into read models.
 */
export interface TaskState extends PlannedTask {
  readonly status: TaskStatus;
  /** Where the task came from: the package plan (re-planned on changes), a follow-up of another task, or added by hand. */
  readonly origin: TaskOrigin;
  /** The reminder before the due date went out. */
  readonly dueSoon: boolean;
  readonly overdue: boolean;
  readonly escalated: boolean;
  /** Current responsible role (the catalog's unless reassigned). */
  readonly role: TaskRole;
  readonly assigneeId: string | null;
  readonly completedOn?: IsoDate;
  readonly outcome?: TaskOutcome;
  readonly waiverReason?: WaiverReason;
  readonly closedBy?: Actor;
  /**
   * The last request to waive the task and what became of it: open (`requested`, waiting for a leader),
   * co-signed (the task is waived) or declined (the task goes on). Absent: never asked for.
   */
  readonly waiver?: WaiverRecord;
}

export interface WaiverRecord {
  readonly status: 'requested' | 'cosigned' | 'declined';
  /** The request's id: its justification is stored encrypted under it (personal-data store). */
  readonly requestId: string;
  readonly reason: WaiverReason;
  readonly requestedBy: Actor;
  readonly requestedAt: IsoInstant;
  /** The leader who co-signed or declined, and when. */
  readonly decidedBy?: Actor;
  readonly decidedAt?: IsoInstant;
  /** A decline's reason, stored encrypted under this id (personal-data store). */
  readonly declineRef?: string;
}

export type TaskOrigin = 'plan' | 'follow-up' | 'ad-hoc';

export type PackageStatus = 'active' | 'paused' | 'ended' | 'completed';

export interface PackageState {
  readonly placementId: string;
  readonly childRef: string;
  readonly organisation: OrganisationRef;
  readonly facts: PlacementFacts;
  readonly catalogVersion: string;
  readonly status: PackageStatus;
  readonly pausedFrom?: IsoDate;
  /** Finished pauses, their days inclusive (the statutory count leaves them out). */
  readonly pauses?: readonly DateRange[];
  readonly tasks: Readonly<Record<string, TaskState>>;
  readonly reductions: readonly ReductionDecision[];
  /** Absent: the package. 'ordinary': ordinary follow-up after it (or registered straight into it). */
  readonly phase?: 'ordinary';
  /** The calendar year of ordinary follow-up planned last. */
  readonly ordinaryYear?: number;
  /** `YYYY-MM`: supervision is owed to the end of this month (never the birth month itself). */
  readonly supervisionEndsMonth?: string;
  /**
   * Registered straight into ordinary follow-up: statutory minimums count from this day (1 January of
   * the registration year, or the placement date if later), not from move-in years before.
   */
  readonly countedFrom?: IsoDate;
  /** Number of events folded in: the version of the placement's stream. */
  readonly version: number;
  readonly registeredAt: IsoInstant;
}

/** 1 January of the year of `at` (Oslo), or the placement date if later. */
function countedFromOf(placementDate: IsoDate, at: IsoInstant): IsoDate {
  const newYear = `${osloDateOf(at).slice(0, 4)}-01-01`;
  return placementDate > newYear ? placementDate : newYear;
}

/** The task's open waiver request, waiting for a leader; undefined when none is open. */
export const openWaiverRequest = (task: Pick<TaskState, 'waiver'>): WaiverRecord | undefined =>
  task.waiver?.status === 'requested' ? task.waiver : undefined;

export const isFinal = (task: Pick<TaskState, 'status'>): boolean =>
  task.status === 'completed' || task.status === 'waived' || task.status === 'cancelled';

function withTask(state: PackageState, taskId: string, change: (t: TaskState) => TaskState): PackageState {
  const task = state.tasks[taskId];
  if (!task) return state; // unknown task: nothing to fold (events are validated before they are written)
  return { ...state, tasks: { ...state.tasks, [taskId]: change(task) } };
}

function newTask(task: PlannedTask, origin: TaskOrigin): TaskState {
  return {
    ...task,
    origin,
    status: 'planned',
    dueSoon: false,
    overdue: false,
    escalated: false,
    assigneeId: null,
  };
}

/** Folds one event into the state. Pure; never throws for a well-formed stream. */
export function evolve(state: PackageState | undefined, event: PackageEvent): PackageState {
  if (event.type === 'PlacementRegistered') {
    const d = event.data;
    return {
      placementId: d.placementId,
      childRef: d.childRef,
      organisation: d.organisation,
      facts: d.facts,
      catalogVersion: d.catalogVersion,
      status: 'active',
      tasks: {},
      reductions: [],
      version: 1,
      registeredAt: d.at,
      ...(d.supervisionEndsMonth ? { supervisionEndsMonth: d.supervisionEndsMonth } : {}),
      ...(d.followUp === 'ordinary' ? { countedFrom: countedFromOf(d.facts.placementDate, d.at) } : {}),
    };
  }
  if (!state) throw new Error(`${event.type} before PlacementRegistered`);
  const s = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'TasksPlanned': {
      const tasks = { ...s.tasks };
      const origin: TaskOrigin =
        event.data.reason === 'follow-up' ? 'follow-up' : event.data.reason === 'ad-hoc' ? 'ad-hoc' : 'plan';
      for (const t of event.data.tasks) tasks[t.taskId] = newTask(t, origin);
      return { ...s, tasks };
    }
    case 'TaskOpened':
      return withTask(s, event.data.taskId, (t) => ({ ...t, status: 'open' }));
    case 'TaskDueSoon':
      return withTask(s, event.data.taskId, (t) => ({ ...t, dueSoon: true }));
    case 'TaskOverdue':
      return withTask(s, event.data.taskId, (t) => ({ ...t, overdue: true }));
    case 'TaskEscalated':
      return withTask(s, event.data.taskId, (t) => ({ ...t, escalated: true }));
    case 'TaskCompleted':
      return withTask(s, event.data.taskId, (t) => ({
        ...t,
        status: 'completed',
        completedOn: event.data.completedOn,
        outcome: event.data.outcome,
        closedBy: event.data.by,
      }));
    case 'TaskWaived':
      return withTask(s, event.data.taskId, (t) => {
        const { reason, by, coSignedBy, requestId, requestedAt, at } = event.data;
        const waived: TaskState = { ...t, status: 'waived', waiverReason: reason, closedBy: by };
        return requestId && coSignedBy && requestedAt
          ? {
              ...waived,
              waiver: {
                status: 'cosigned',
                requestId,
                reason,
                requestedBy: by,
                requestedAt,
                decidedBy: coSignedBy,
                decidedAt: at,
              },
            }
          : waived;
      });
    case 'WaiverRequested': {
      const { requestId, reason, by, at } = event.data;
      return withTask(s, event.data.taskId, (t) => ({
        ...t,
        waiver: { status: 'requested', requestId, reason, requestedBy: by, requestedAt: at },
      }));
    }
    case 'WaiverDeclined':
      return withTask(s, event.data.taskId, (t) =>
        t.waiver
          ? {
              ...t,
              waiver: {
                ...t.waiver,
                status: 'declined',
                decidedBy: event.data.by,
                decidedAt: event.data.at,
                declineRef: event.data.declineRef,
              },
            }
          : t,
      );
    case 'TaskReassigned':
      return withTask(s, event.data.taskId, (t) => ({
        ...t,
        role: event.data.role,
        assigneeId: event.data.assigneeId,
      }));
    case 'TaskRescheduled': {
      const { opensOn, dueOn, nominalDueOn, timers } = event.data;
      // A transition whose new instant lies ahead happens again at that instant; one that is still in
      // the past stays done (a task overdue for weeks, moved by a short pause, is not escalated twice).
      const at = event.data.at;
      return withTask(s, event.data.taskId, (t) => ({
        ...t,
        opensOn,
        dueOn,
        nominalDueOn,
        timers,
        status: t.status === 'open' && timers.opensAt > at ? 'planned' : t.status,
        dueSoon: t.dueSoon && timers.remindAt <= at,
        overdue: t.overdue && timers.overdueAt <= at,
        escalated: t.escalated && timers.escalateAt <= at,
      }));
    }
    case 'TaskCancelled':
      return withTask(s, event.data.taskId, (t) => ({ ...t, status: 'cancelled' }));
    case 'PlacementDateChanged':
      return { ...s, facts: { ...s.facts, placementDate: event.data.to } };
    case 'PlacementTypeChanged':
      return {
        ...s,
        facts: {
          ...s.facts,
          placementType: event.data.to,
          legalBasis: event.data.legalBasis?.to ?? s.facts.legalBasis,
        },
      };
    case 'ReductionRecorded':
      return { ...s, reductions: [...s.reductions, event.data.decision] };
    case 'PlacementPaused':
      return { ...s, status: 'paused', pausedFrom: event.data.from };
    case 'PlacementResumed': {
      const pause =
        s.pausedFrom && event.data.on > s.pausedFrom
          ? [{ from: s.pausedFrom, to: addDays(event.data.on, -1) }]
          : [];
      return { ...s, status: 'active', pausedFrom: undefined, pauses: [...(s.pauses ?? []), ...pause] };
    }
    case 'PlacementEnded':
      return { ...s, status: 'ended' };
    case 'PackageCompleted':
      return { ...s, status: 'completed' };
    case 'OrdinaryYearPlanned':
      return {
        ...s,
        status: s.status === 'completed' ? 'active' : s.status,
        phase: 'ordinary',
        ordinaryYear: event.data.year,
      };
    case 'SupervisionEndSet':
      return { ...s, supervisionEndsMonth: event.data.month ?? undefined };
  }
}

export const fold = (events: readonly PackageEvent[], from?: PackageState): PackageState | undefined =>
  events.reduce<PackageState | undefined>(evolve, from);

/** Tasks in the order people work them: soonest due first. */
export function sortedTasks(state: PackageState): TaskState[] {
  return Object.values(state.tasks).sort((a, b) =>
    a.dueOn === b.dueOn ? a.taskId.localeCompare(b.taskId) : a.dueOn.localeCompare(b.dueOn),
  );
}
