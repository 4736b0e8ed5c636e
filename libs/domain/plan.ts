import type { IsoDate, IsoInstant, PlacementFacts, StatutoryKind, TaskRole, Track } from './vocabulary.js';

/**
 * One dated task of a placement's care package: what the planner produces and the workflow schedules.
 * Safe in workflow payloads (catalog codes, dates and Norwegian step titles only).
 */
export interface PlannedTask {
  /** Unique within the placement and stable across re-planning: `${stepId}#${occurrence}` (or `adhoc#<uuid>`). */
  readonly taskId: string;
  readonly stepId: string;
  /** 1 for the first (or only) occurrence of a step, 2 for the second recurrence, … */
  readonly occurrence: number;
  readonly title: string;
  readonly track: Track;
  readonly role: TaskRole;
  readonly catalogVersion: string;
  /** First day the task can be worked on. */
  readonly opensOn: IsoDate;
  /** Due date after moving off weekends and public holidays. */
  readonly dueOn: IsoDate;
  /** Due date as the catalog's offset gives it, before the working-day adjustment. */
  readonly nominalDueOn: IsoDate;
  /** Counts toward a statutory yearly minimum. */
  readonly statutory?: StatutoryKind;
  /** A follow-up: the id of the completed task it follows (the visit a private talk or report belongs to). */
  readonly follows?: string;
  /** The step's legal minimum (LAW) cannot be waived without a leader's co-signature. */
  readonly requiresCoSignToWaive: boolean;
  /** Instants for the workflow's durable timers, computed in Europe/Oslo. */
  readonly timers: TaskTimers;
  /**
   * Already overdue when the placement was registered (a late registration): its escalation waits for
   * the registration grace (`REGISTRATION_GRACE_WORKING_DAYS`). Absent on tasks planned otherwise.
   */
  readonly overdueAtRegistration?: true;
}

export interface TaskTimers {
  /** 07:00 Oslo on opensOn. */
  readonly opensAt: IsoInstant;
  /** 07:00 Oslo `reminderDaysBefore` days before dueOn, never before opensAt. */
  readonly remindAt: IsoInstant;
  /** 00:00 Oslo the day after dueOn: from here the task is overdue. */
  readonly overdueAt: IsoInstant;
  /** overdueAt + the escalation delay: the leader is told. */
  readonly escalateAt: IsoInstant;
}

/** A recorded decision to reduce a statutory minimum (never a silent edit of the plan). */
export interface ReductionDecision {
  readonly kind: StatutoryKind;
  /** New yearly minimum, e.g. 2. */
  readonly minimumPerYear: number;
  /** The reduction applies to visits due on or after this date. */
  readonly effectiveFrom: IsoDate;
  /**
   * The child's view of the reduction, as a code (never free text): required for decisions recorded since
   * ordinary follow-up (issue 16); absent on older ones.
   */
  readonly childView?: ChildView;
  /** Supervision: the child consented (required to reduce supervision visits; absent on older decisions). */
  readonly childConsent?: boolean;
}

/** The child's view of a reduction: agrees, disagrees, did not express one. */
export const CHILD_VIEWS = ['enig', 'uenig', 'ikke-uttalt'] as const;
export type ChildView = (typeof CHILD_VIEWS)[number];

export interface PlanningPolicy {
  /** Days before due that a reminder goes out (default 3). */
  readonly reminderDaysBefore: number;
  /** Days after a task is overdue that the leader is told (default 7). */
  readonly escalationDelayDays: number;
  /** Length of the package (default 365 days after move-in). */
  readonly packageDays: number;
}

export const DEFAULT_PLANNING_POLICY: PlanningPolicy = {
  reminderDaysBefore: 3,
  escalationDelayDays: 7,
  packageDays: 365,
};

export interface PlanInput {
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
  readonly policy?: PlanningPolicy;
}
