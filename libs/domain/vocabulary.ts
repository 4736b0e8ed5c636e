/**
 * The words of the domain (see ../shared/domain/omsorgspakken.md). Pure types and constants: this folder
 * is imported by workflow code, so nothing here may do I/O or read the clock.
 *
 * Identifiers in this folder are opaque (UUIDs or catalog codes). Nothing here names a person: a child is
 * `childRef`, a user is `userId`; names, birth dates and national id numbers live in the personal-data
 * store only (issue 4) and never travel through workflows or events.
 */

export const TRACKS = ['barnet', 'foreldrene', 'fosterfamilien', 'administrativt'] as const;
export type Track = (typeof TRACKS)[number];

export const ROLES = [
  'fosterhjemsressurs',
  'kontaktperson',
  'leder',
  'tilsynsforer',
  'bufetat',
  'laeringsnettverksleder',
  'admin',
  // A learning network's competence base (issue 17): its counsellors and its leader.
  'kompetansebase-veileder',
  'kompetansebase-leder',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that own tasks in a care package. */
export const TASK_ROLES = [
  'fosterhjemsressurs',
  'kontaktperson',
  'leder',
  'tilsynsforer',
  'bufetat',
] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const PLACEMENT_TYPES = ['omsorgsovertakelse', 'frivillig', 'akutt', 'slekt-nettverk'] as const;
export type PlacementType = (typeof PLACEMENT_TYPES)[number];

/**
 * The legal basis of a placement, apart from its type: an emergency (akutt) or kinship placement is made
 * either under a care order (omsorgsovertakelse, bvl. ch. 5) or as a voluntary measure (frivillig), and
 * which plan the law requires (care plan or measures plan) follows the basis, not the type.
 */
export const LEGAL_BASES = ['omsorgsovertakelse', 'frivillig'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/**
 * The legal basis a placement type dictates: a care-order or voluntary placement is made on that basis;
 * an emergency or kinship placement may be made on either (null).
 */
export function legalBasisOf(type: PlacementType): LegalBasis | null {
  return type === 'omsorgsovertakelse' || type === 'frivillig' ? type : null;
}

export const BASIS_KINDS = ['LAW', 'REC', 'ASSUMPTION'] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

/** Statutory visit kinds with a yearly minimum (forskrift om fosterhjem § 10; tilsyn). */
export const STATUTORY_KINDS = ['oppfolgingsbesok', 'tilsynsbesok'] as const;
export type StatutoryKind = (typeof STATUTORY_KINDS)[number];
export const STATUTORY_MINIMUM_PER_YEAR: Readonly<Record<StatutoryKind, number>> = {
  oppfolgingsbesok: 4,
  tilsynsbesok: 4,
};

/** A calendar date in Europe/Oslo, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant, ISO 8601 in UTC (`2026-03-01T06:00:00.000Z`). */
export type IsoInstant = string;

/**
 * Non-identifying facts about a placement that decide which steps apply. Safe in workflow payloads:
 * an age in whole years and yes/no flags identify nobody.
 */
export interface PlacementFacts {
  readonly placementType: PlacementType;
  /** Care order or voluntary; for omsorgsovertakelse and frivillig placements it equals the type. */
  readonly legalBasis: LegalBasis;
  /** Day 0: the day the child moves in. */
  readonly placementDate: IsoDate;
  readonly childAgeYears: number;
  /** The tribunal or the agreement sets samvær (contact visits) with the parents. */
  readonly samvaer: boolean;
  readonly parentsReachable: boolean;
  readonly inSchoolOrKindergarten: boolean;
  /** The service asked Bufetat for help with this foster home (Bufetat home or reinforcement). */
  readonly bufetatHelp: boolean;
  /** An emergency home (beredskapshjem): no expectations talk before move-in. */
  readonly beredskapshjem: boolean;
}

export type TaskStatus = 'planned' | 'open' | 'completed' | 'waived' | 'cancelled';

/** Coded reasons for waiving a task (no free text: waivers are counted in adherence reports). */
export const WAIVER_REASONS = [
  'ikke-relevant',
  'gjennomfort-annet-sted',
  'barnet-onsker-ikke',
  'foreldre-onsker-ikke',
  'erstattet-av-annet-tiltak',
  'annet',
] as const;
export type WaiverReason = (typeof WAIVER_REASONS)[number];

export const TASK_OUTCOMES = ['gjennomfort', 'delvis-gjennomfort', 'forsokt-ikke-oppnadd'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export const END_REASONS = ['planlagt', 'brudd', 'flytting-nytt-fosterhjem'] as const;
export type EndReason = (typeof END_REASONS)[number];
/**
 * A placement registered by mistake, annulled by a leader: it ends with this reason (never one of
 * END_REASONS, which people choose when a real placement ends) and leaves the adherence figures.
 */
export const ANNULLED = 'registrert-ved-feil';
/** Why a package ended: a real end, or an annulment. */
export type EndedReason = EndReason | typeof ANNULLED;

export const PAUSE_REASONS = ['barnet-midlertidig-annet-sted', 'sykehusopphold', 'annet'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** Who did something: an opaque user id and the role they acted in. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}
