import type { Actor, IsoDate, IsoInstant } from '../vocabulary.js';

/*
 * The words of a kompetansebase assignment (issue 17): a child-welfare service orders a measure from
 * its learning network's competence base, the base accepts, declines or lets it wait, and its
 * counsellors carry it out in timed steps. Source: the Barneløftet final report (../shared/seeds).
 *
 * Nothing here names a child: the service's case number, what the measure should achieve and the
 * measures-plan reference are kept by the API apart from events and workflow payloads (they link the
 * order to a child in the service's records); the workflow carries only coded fields and opaque ids.
 */

/** The package type of an assignment, beside the placement's care package. */
export const KOMPETANSEBASE_PACKAGE = 'kompetansebase' as const;

/** What a service may order (the report's request types). */
export const REQUEST_TYPES = [
  'hjemmebasert-foreldreveiledning',
  'veiledning-fosterforeldre',
  'oppfolging-foreldre-mistet-omsorgen',
  'gruppeveiledning-fosterforeldre',
  'annet-konsultasjon',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** The request type whose assignment is a group of several foster families. */
export const GROUP_REQUEST_TYPE: RequestType = 'gruppeveiledning-fosterforeldre';

export const URGENCIES = ['vanlig', 'haster'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Coded reasons for declining an order (counted in the base's figures: no free text). */
export const DECLINE_REASONS = ['kapasitet', 'utenfor-mandat', 'mangelfull-bestilling', 'annet'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Coded reasons for letting an order wait in the queue. */
export const WAIT_REASONS = ['kapasitet', 'avklaring', 'annet'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** The base's staff: counsellors and the base leader. */
export const ASSIGNMENT_ROLES = ['kompetansebase-veileder', 'kompetansebase-leder'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

/** The steps of an assignment, in order (the catalog gives their timing). */
export const ASSIGNMENT_STEPS = [
  'tilbakeringing',
  'vurdering',
  'oppstartssamtale',
  'veiledning',
  'evaluering',
  'rapport',
  'avslutning',
] as const;
export type AssignmentStepId = (typeof ASSIGNMENT_STEPS)[number];

/**
 * Where an order is: in the queue (`bestilt`, or `venter` after the base let it wait), being carried
 * out (`aktiv`), finished (`avsluttet`) or declined (`avslatt`).
 */
export type AssignmentStatus = 'bestilt' | 'venter' | 'aktiv' | 'avsluttet' | 'avslatt';

/** A family in a guidance group: an opaque label the base chooses (`familie-1`), never a name. */
export type FamilyRef = string;

/** Who ordered, from where: opaque ids only. */
export interface OrderOrigin {
  readonly baseId: string;
  readonly networkId: string;
  readonly serviceId: string;
}

export interface SubmitOrder {
  readonly commandId: string;
  readonly assignmentId: string;
  readonly origin: OrderOrigin;
  readonly requestType: RequestType;
  readonly urgency: Urgency;
  /** Group guidance only: the families of the group (opaque labels), two or more. */
  readonly families?: readonly FamilyRef[];
  readonly catalogVersion: string;
  readonly by: Actor;
}

export interface AcceptOrder {
  readonly commandId: string;
  readonly by: Actor;
}
export interface DeclineOrder {
  readonly commandId: string;
  readonly reason: DeclineReason;
  readonly by: Actor;
}
export interface WaitOrder {
  readonly commandId: string;
  readonly reason: WaitReason;
  readonly by: Actor;
}

/** Completes an open step. The start talk records the agreed evaluation date; a session its attendance. */
export interface CompleteAssignmentStep {
  readonly commandId: string;
  readonly taskId: string;
  readonly completedOn: IsoDate;
  /** The start talk: the evaluation date agreed with the family. */
  readonly evaluationOn?: IsoDate;
  /** A session: held by two counsellors. */
  readonly twoCounsellors?: boolean;
  /** A group session: which families came. */
  readonly attendance?: Readonly<Record<FamilyRef, boolean>>;
  /** The closing: a family group conference (familieråd) was held. */
  readonly familyGroupConference?: boolean;
  readonly by: Actor;
}

export type AssignmentCommand = SubmitOrder | AcceptOrder | DeclineOrder | WaitOrder | CompleteAssignmentStep;

export type { Actor, IsoDate, IsoInstant };
