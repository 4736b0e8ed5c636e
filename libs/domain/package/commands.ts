import type { ReductionDecision } from '../plan.js';
import type {
  Actor,
  EndReason,
  IsoDate,
  LegalBasis,
  PauseReason,
  PlacementFacts,
  PlacementType,
  StatutoryKind,
  TaskOutcome,
  TaskRole,
  WaiverReason,
} from '../vocabulary.js';
import type { OrganisationRef } from '../events.js';

/**
 * What people ask of a care package. Each command carries a `commandId` (the API's Idempotency-Key or a
 * fresh UUID): the same command twice has one effect.
 */
interface CommandBase {
  readonly commandId: string;
  readonly actor: Actor;
}

export interface RegisterPlacement extends CommandBase {
  readonly placementId: string;
  readonly childRef: string;
  readonly organisation: OrganisationRef;
  readonly facts: PlacementFacts;
  readonly catalogVersion: string;
  /**
   * Work done before the placement was registered (a registration made late): each entry names a step
   * (its first occurrence not named already) or a task of the plan, and the day it was done. They become
   * completed tasks in the registration's own append. Optional: registrations before this field have none.
   */
  readonly completedBefore?: readonly CompletedBefore[];
  /**
   * Working days the steps already overdue at registration wait before they escalate (the API's
   * configuration); absent: REGISTRATION_GRACE_WORKING_DAYS.
   */
  readonly graceWorkingDays?: number;
  /** 'ordinary': a child already in a foster home, straight into ordinary follow-up. Absent: 'package'. */
  readonly followUp?: 'package' | 'ordinary';
  /** With followUp 'ordinary': the statutory visits done this calendar year before registration. */
  readonly doneThisYear?: readonly { readonly kind: StatutoryKind; readonly on: IsoDate }[];
  /** `YYYY-MM`: supervision is owed to the end of this month (derived by the API from the birth month). */
  readonly supervisionEndsMonth?: string;
}

/** One piece of work done before registration: `stepId` or `taskId`, and the day it was done. */
export interface CompletedBefore {
  readonly stepId?: string;
  readonly taskId?: string;
  readonly completedOn: IsoDate;
}

/** A leader annuls a placement registered by mistake: it ends, and leaves the adherence figures. */
export type AnnulPlacement = CommandBase;

export interface CompleteTask extends CommandBase {
  readonly taskId: string;
  readonly outcome: TaskOutcome;
  /** The day the work was done: may be in the past, never in the future. */
  readonly completedOn: IsoDate;
  /** Reference to a note kept in the personal-data store; the text never enters the workflow. */
  readonly noteRef?: string;
}

export interface WaiveTask extends CommandBase {
  readonly taskId: string;
  readonly reason: WaiverReason;
  /**
   * A leader's co-signature given with the waiver itself: the old path for steps that need one (kept
   * for commands recorded before the request → co-sign flow; new ones go through RequestWaiver).
   */
  readonly coSignedBy?: Actor;
}

/**
 * Ask for a step that needs a leader's co-signature to be waived: a coded reason, and a justification
 * the API stored encrypted under `requestId` (the text never enters the workflow).
 */
export interface RequestWaiver extends CommandBase {
  readonly taskId: string;
  readonly reason: WaiverReason;
  readonly requestId: string;
}

/** A leader co-signs the open request `requestId` (the one shown to them): the task is waived. */
export interface CosignWaiver extends CommandBase {
  readonly taskId: string;
  readonly requestId: string;
}

/** A leader declines the open request `requestId`, with a reason stored encrypted under `declineRef`. */
export interface DeclineWaiver extends CommandBase {
  readonly taskId: string;
  readonly requestId: string;
  readonly declineRef: string;
}

export interface ReassignTask extends CommandBase {
  readonly taskId: string;
  /** A user id, or null for the role's shared pool. */
  readonly assigneeId: string | null;
  readonly role?: TaskRole;
}

export interface AddAdHocTask extends CommandBase {
  /** A catalog step to do once more (e.g. an extra oppfolgingsbesok). */
  readonly stepId: string;
  readonly dueOn: IsoDate;
  readonly role?: TaskRole;
}

export interface ChangePlacement extends CommandBase {
  readonly placementDate?: IsoDate;
  readonly placementType?: PlacementType;
  /**
   * With a new placement type: the legal basis it is made on. A care-order or voluntary type dictates
   * its basis (given or not); an emergency or kinship type keeps the current basis unless given.
   */
  readonly legalBasis?: LegalBasis;
  /** The package version the preview was made from: a change in between is a conflict. */
  readonly expectedVersion?: number;
}

export interface RecordReduction extends CommandBase {
  readonly decision: ReductionDecision;
}

/**
 * The month supervision ends (`YYYY-MM`, the month the child turns 18), derived by the API from the birth
 * month kept in the personal-data store; null when no longer known. The birth month never comes here.
 */
export interface SetSupervisionEnd extends CommandBase {
  readonly month: string | null;
}

export interface PausePlacement extends CommandBase {
  readonly reason: PauseReason;
  readonly from: IsoDate;
}

export interface ResumePlacement extends CommandBase {
  readonly on: IsoDate;
}

export interface EndPlacement extends CommandBase {
  readonly endedOn: IsoDate;
  readonly reason: EndReason;
}
