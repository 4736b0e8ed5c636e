import type { PlannedTask, ReductionDecision, TaskTimers } from './plan.js';
import type {
  Actor,
  EndedReason,
  IsoDate,
  IsoInstant,
  LegalBasis,
  PauseReason,
  PlacementFacts,
  PlacementType,
  StatutoryKind,
  TaskOutcome,
  TaskRole,
  WaiverReason,
} from './vocabulary.js';

/**
 * What decided a package's events, stored with them (the event store's metadata): a command (its id, and
 * which of its appends when it makes more than one), the clock (a timer transition), or, for events
 * stored before causes were recorded, unknown. Lets a workflow recognise its own committed decision
 * when it finds its stream ahead after a crash.
 */
export type EventCause =
  | { readonly commandId: string; readonly step?: string }
  | { readonly tick: true }
  | { readonly unknown: true };

export const sameCause = (a: EventCause, b: EventCause): boolean =>
  'commandId' in a
    ? 'commandId' in b && a.commandId === b.commandId && a.step === b.step
    : 'tick' in a && 'tick' in b;

/**
 * Domain events of one placement's care package: a closed union, past tense, one stream per placement
 * (stream type `placement`, stream id = placement id). They are the system's record; read models are
 * built from them. They carry opaque ids, codes and dates only: never a name, a birth date, a national
 * id number or free text (a note is stored apart, encrypted, and referenced by `noteRef`).
 */
export type PackageEvent =
  | PlacementRegistered
  | TasksPlanned
  | TaskOpened
  | TaskDueSoon
  | TaskOverdue
  | TaskEscalated
  | TaskCompleted
  | TaskWaived
  | WaiverRequested
  | WaiverDeclined
  | TaskReassigned
  | TaskRescheduled
  | TaskCancelled
  | PlacementDateChanged
  | PlacementTypeChanged
  | ReductionRecorded
  | PlacementPaused
  | PlacementResumed
  | PlacementEnded
  | PackageCompleted
  | OrdinaryYearPlanned
  | SupervisionEndSet;

export type PackageEventType = PackageEvent['type'];

/** Every package event type: a type added to PackageEvent must be added here to compile. */
const PACKAGE_EVENT_TYPES: Readonly<Record<PackageEventType, true>> = {
  PlacementRegistered: true,
  TasksPlanned: true,
  TaskOpened: true,
  TaskDueSoon: true,
  TaskOverdue: true,
  TaskEscalated: true,
  TaskCompleted: true,
  TaskWaived: true,
  WaiverRequested: true,
  WaiverDeclined: true,
  TaskReassigned: true,
  TaskRescheduled: true,
  TaskCancelled: true,
  PlacementDateChanged: true,
  PlacementTypeChanged: true,
  ReductionRecorded: true,
  PlacementPaused: true,
  PlacementResumed: true,
  PlacementEnded: true,
  PackageCompleted: true,
  OrdinaryYearPlanned: true,
  SupervisionEndSet: true,
};

/** Every package event type, as a list (for tests and tables that must name each one). */
export const PACKAGE_EVENT_TYPE_LIST = Object.keys(PACKAGE_EVENT_TYPES) as readonly PackageEventType[];

/** Whether a stored event's type is one this code knows how to fold. */
export const isPackageEventType = (type: string): type is PackageEventType =>
  Object.hasOwn(PACKAGE_EVENT_TYPES, type);

interface Ev<T extends string, D> {
  readonly type: T;
  readonly data: D;
}

export interface OrganisationRef {
  /** The owning barnevernstjeneste. */
  readonly serviceId: string;
  /** The omsorgskommune. */
  readonly municipalityId: string;
}

export type PlacementRegistered = Ev<
  'PlacementRegistered',
  {
    readonly placementId: string;
    readonly childRef: string;
    readonly organisation: OrganisationRef;
    readonly facts: PlacementFacts;
    readonly catalogVersion: string;
    /** Registered straight into ordinary follow-up (a child already in a foster home); absent: the package. */
    readonly followUp?: 'ordinary';
    /** `YYYY-MM`: supervision is owed to the end of this month (the month the child turns 18). */
    readonly supervisionEndsMonth?: string;
    readonly by: Actor;
    readonly at: IsoInstant;
  }
>;

export type PlanReason = 'registered' | 'follow-up' | 'ad-hoc' | 'replanned' | 'ordinary';

export type TasksPlanned = Ev<
  'TasksPlanned',
  { readonly tasks: readonly PlannedTask[]; readonly reason: PlanReason; readonly at: IsoInstant }
>;

type TaskAt = { readonly taskId: string; readonly at: IsoInstant };
export type TaskOpened = Ev<'TaskOpened', TaskAt>;
/** The reminder before the due date was sent. */
export type TaskDueSoon = Ev<'TaskDueSoon', TaskAt>;
export type TaskOverdue = Ev<'TaskOverdue', TaskAt>;
export type TaskEscalated = Ev<'TaskEscalated', TaskAt & { readonly toRole: 'leder' }>;

export type TaskCompleted = Ev<
  'TaskCompleted',
  TaskAt & {
    readonly completedOn: IsoDate;
    readonly outcome: TaskOutcome;
    readonly noteRef?: string;
    readonly by: Actor;
  }
>;

/**
 * A task waived. A step that needs a leader's co-signature (`requiresCoSignToWaive`) is waived through a
 * request (`WaiverRequested`) a leader other than the requester co-signs: then `by` is who asked,
 * `coSignedBy` the leader who signed, `requestId` the request (its justification, encrypted in the
 * personal-data store, has that id) and `requestedAt` when it was asked for. A step without that need
 * is waived directly (`by` alone). Older events: a leader's waiver alone, or `coSignedBy` without a request.
 */
export type TaskWaived = Ev<
  'TaskWaived',
  TaskAt & {
    readonly reason: WaiverReason;
    readonly by: Actor;
    readonly coSignedBy?: Actor;
    readonly requestId?: string;
    readonly requestedAt?: IsoInstant;
  }
>;

/**
 * Someone asked for a statutory step to be waived, with a coded reason and a justification kept apart,
 * encrypted (free text about the child), under `requestId` (never the text itself). The task stays
 * open, and its timers run (it still escalates), until a leader co-signs or declines.
 */
export type WaiverRequested = Ev<
  'WaiverRequested',
  TaskAt & { readonly requestId: string; readonly reason: WaiverReason; readonly by: Actor }
>;

/**
 * A leader declined a waiver request; the reason given is kept apart, encrypted, under `declineRef`.
 * The task stays open, as it was.
 */
export type WaiverDeclined = Ev<
  'WaiverDeclined',
  TaskAt & {
    readonly requestId: string;
    readonly declineRef: string;
    readonly by: Actor;
    readonly requestedBy: Actor;
  }
>;

export type TaskReassigned = Ev<
  'TaskReassigned',
  TaskAt & { readonly assigneeId: string | null; readonly role: TaskRole; readonly by: Actor }
>;

export type TaskRescheduled = Ev<
  'TaskRescheduled',
  TaskAt & {
    readonly opensOn: IsoDate;
    readonly dueOn: IsoDate;
    readonly nominalDueOn: IsoDate;
    readonly timers: TaskTimers;
    readonly reason: 'placement-date-changed' | 'placement-type-changed' | 'reduction' | 'resumed';
  }
>;

export type CancelReason =
  | 'placement-ended'
  | 'placement-annulled'
  | 'package-expired'
  | 'not-applicable-after-change'
  | 'reduction'
  | 'supervision-ended';
export type TaskCancelled = Ev<'TaskCancelled', TaskAt & { readonly reason: CancelReason }>;

export type PlacementDateChanged = Ev<
  'PlacementDateChanged',
  { readonly from: IsoDate; readonly to: IsoDate; readonly by: Actor; readonly at: IsoInstant }
>;
/** A change of placement type; `legalBasis` when the placement's legal basis changed with it. */
export type PlacementTypeChanged = Ev<
  'PlacementTypeChanged',
  {
    readonly from: PlacementType;
    readonly to: PlacementType;
    readonly legalBasis?: { readonly from: LegalBasis; readonly to: LegalBasis };
    readonly by: Actor;
    readonly at: IsoInstant;
  }
>;
export type ReductionRecorded = Ev<
  'ReductionRecorded',
  { readonly decision: ReductionDecision; readonly by: Actor; readonly at: IsoInstant }
>;
export type PlacementPaused = Ev<
  'PlacementPaused',
  { readonly reason: PauseReason; readonly from: IsoDate; readonly by: Actor; readonly at: IsoInstant }
>;
export type PlacementResumed = Ev<
  'PlacementResumed',
  { readonly on: IsoDate; readonly pausedDays: number; readonly by: Actor; readonly at: IsoInstant }
>;
export type PlacementEnded = Ev<
  'PlacementEnded',
  { readonly endedOn: IsoDate; readonly reason: EndedReason; readonly by: Actor; readonly at: IsoInstant }
>;
export type PackageCompleted = Ev<'PackageCompleted', { readonly at: IsoInstant }>;

/**
 * A calendar year of ordinary follow-up began for the placement (after its package, at each 1 January, or
 * at a registration straight into ordinary follow-up): `from` is the first day its tasks may be due, and
 * `required` the year's statutory requirement per duty (`statutoryRequirement` over the whole year's
 * segment). Its tasks follow in a `TasksPlanned` with reason 'ordinary'.
 */
export type OrdinaryYearPlanned = Ev<
  'OrdinaryYearPlanned',
  {
    readonly year: number;
    readonly from: IsoDate;
    readonly required: Readonly<Record<StatutoryKind, number>>;
    readonly at: IsoInstant;
  }
>;

/**
 * The month supervision ends changed (the API derived it from the child's birth month in the
 * personal-data store, which never reaches events): `month` is `YYYY-MM`, or null when unknown.
 */
export type SupervisionEndSet = Ev<
  'SupervisionEndSet',
  { readonly month: string | null; readonly by: Actor; readonly at: IsoInstant }
>;

export const PACKAGE_STREAM_TYPE = 'placement';
