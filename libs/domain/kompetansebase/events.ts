import type { PlannedAssignmentTask } from './plan.js';
import type {
  Actor,
  DeclineReason,
  FamilyRef,
  IsoDate,
  IsoInstant,
  OrderOrigin,
  RequestType,
  Urgency,
  WaitReason,
} from './vocabulary.js';

/*
 * Events of one kompetansebase assignment: a closed union, past tense, one stream per assignment in
 * the same event store as the placements (stream type `kompetansebase-assignment`). Opaque ids and
 * codes only: the order's case number and free text stay with the API (see vocabulary.ts).
 */
export const ASSIGNMENT_STREAM_TYPE = 'kompetansebase-assignment';

interface Ev<T extends string, D> {
  readonly type: T;
  readonly data: D;
}

export type AssignmentOrdered = Ev<
  'AssignmentOrdered',
  {
    readonly assignmentId: string;
    readonly origin: OrderOrigin;
    readonly requestType: RequestType;
    readonly urgency: Urgency;
    readonly families?: readonly FamilyRef[];
    readonly catalogVersion: string;
    readonly orderedOn: IsoDate;
    readonly by: Actor;
    readonly at: IsoInstant;
  }
>;
export type AssignmentTaskOpened = Ev<
  'AssignmentTaskOpened',
  { readonly task: PlannedAssignmentTask; readonly at: IsoInstant }
>;
export type AssignmentTaskCompleted = Ev<
  'AssignmentTaskCompleted',
  {
    readonly taskId: string;
    readonly completedOn: IsoDate;
    /** Completed after its due date. */
    readonly late: boolean;
    readonly twoCounsellors?: boolean;
    readonly attendance?: Readonly<Record<FamilyRef, boolean>>;
    readonly by: Actor;
    readonly at: IsoInstant;
  }
>;
export type AssignmentTaskCancelled = Ev<
  'AssignmentTaskCancelled',
  { readonly taskId: string; readonly reason: 'avslatt' | 'evaluert' | 'vurdert'; readonly at: IsoInstant }
>;
export type AssignmentTaskOverdue = Ev<
  'AssignmentTaskOverdue',
  { readonly taskId: string; readonly at: IsoInstant }
>;
export type AssignmentTaskEscalated = Ev<
  'AssignmentTaskEscalated',
  { readonly taskId: string; readonly at: IsoInstant }
>;
export type AssignmentAccepted = Ev<
  'AssignmentAccepted',
  { readonly acceptedOn: IsoDate; readonly by: Actor; readonly at: IsoInstant }
>;
export type AssignmentDeclined = Ev<
  'AssignmentDeclined',
  { readonly reason: DeclineReason; readonly by: Actor; readonly at: IsoInstant }
>;
export type AssignmentWaiting = Ev<
  'AssignmentWaiting',
  { readonly reason: WaitReason; readonly by: Actor; readonly at: IsoInstant }
>;
export type EvaluationDateAgreed = Ev<
  'EvaluationDateAgreed',
  { readonly evaluationOn: IsoDate; readonly by: Actor; readonly at: IsoInstant }
>;
export type AssignmentClosed = Ev<
  'AssignmentClosed',
  {
    readonly closedOn: IsoDate;
    readonly familyGroupConference: boolean;
    readonly by: Actor;
    readonly at: IsoInstant;
  }
>;

export type AssignmentEvent =
  | AssignmentOrdered
  | AssignmentTaskOpened
  | AssignmentTaskCompleted
  | AssignmentTaskCancelled
  | AssignmentTaskOverdue
  | AssignmentTaskEscalated
  | AssignmentAccepted
  | AssignmentDeclined
  | AssignmentWaiting
  | EvaluationDateAgreed
  | AssignmentClosed;

export const ASSIGNMENT_EVENT_TYPES: readonly AssignmentEvent['type'][] = [
  'AssignmentOrdered',
  'AssignmentTaskOpened',
  'AssignmentTaskCompleted',
  'AssignmentTaskCancelled',
  'AssignmentTaskOverdue',
  'AssignmentTaskEscalated',
  'AssignmentAccepted',
  'AssignmentDeclined',
  'AssignmentWaiting',
  'EvaluationDateAgreed',
  'AssignmentClosed',
];
