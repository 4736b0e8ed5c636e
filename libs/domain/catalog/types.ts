import type {
  BasisKind,
  IsoDate,
  LegalBasis,
  PlacementFacts,
  PlacementType,
  StatutoryKind,
  TaskRole,
  Track,
} from '../vocabulary.js';

/**
 * The step catalog: the care package's steps as versioned DATA, never code. The Omsorgspakken guide and
 * the 2023 foster-home regulation may change numbers, so a municipality (or a new release) publishes a
 * new catalog version; placements keep the version they were planned with.
 */
export interface Catalog {
  /** `YYYY.N`, e.g. `2026.1`. A published version is immutable: a change is a new version. */
  readonly version: string;
  readonly publishedOn?: IsoDate;
  readonly description?: string;
  /** Days after a task is overdue that the leader is told. Overrides the planning policy when set. */
  readonly escalationDelayDays?: number;
  /** Days before due that a reminder goes out. Overrides the planning policy when set. */
  readonly reminderDaysBefore?: number;
  readonly steps: readonly StepDefinition[];
  /**
   * Ordinary follow-up after the package, planned one calendar year at a time until the placement ends
   * (supervision until the month the child turns 18). Absent on versions published before it existed:
   * those placements follow the built-in part (`ordinaryFollowUpOf`).
   */
  readonly ordinaryFollowUp?: OrdinaryFollowUp;
}

/**
 * The steps of a year of ordinary follow-up, as data. Placement-anchored steps are planned per calendar
 * year: a statutory step (`statutory`, one per kind, with `recurrence.intervalDays` as its cadence) gets
 * the visits the year still owes by the statutory rule; any other placement-anchored step (the yearly
 * evaluation of the plans) once a year, on the placement's anniversary (`offsetDays` after it). Steps
 * anchored on a step's completion follow each completed occurrence (the private talk after each visit,
 * the supervision report after each supervision visit), as in the package. Ids are unique across the
 * package's steps and these.
 */
export interface OrdinaryFollowUp {
  readonly steps: readonly StepDefinition[];
}

/** One step of the package: what must be done, by whom, when (relative to an anchor) and for whom. */
export interface StepDefinition {
  /** Lower-case kebab-case code, unique in the catalog; part of task ids (`${id}#${occurrence}`). */
  readonly id: string;
  /** Norwegian bokmål title shown to users. */
  readonly title: string;
  /** Why the step is done, in a sentence of bokmål for the people who do it (descriptive; never planned on). */
  readonly purpose?: string;
  readonly track: Track;
  /** The role that owns the task. */
  readonly role: TaskRole;
  /** Roles that take part (e.g. the leader who signs the agreement). */
  readonly coRoles?: readonly TaskRole[];
  /** The day the offset counts from. */
  readonly anchor: StepAnchor;
  /** Nominal due date = anchor + offsetDays (negative: before move-in). */
  readonly offsetDays: number;
  /** The task opens `windowDays` before its nominal due date. */
  readonly windowDays: number;
  /** Per placement type: another offset (e.g. later for emergencies) or `skip`. */
  readonly overrides?: Readonly<Partial<Record<PlacementType, StepOverride>>>;
  /** Absent: once. Only steps anchored on the placement recur (completion-anchored steps follow their anchor). */
  readonly recurrence?: Recurrence;
  /** Absent: applies to every placement. */
  readonly conditions?: StepConditions;
  /** Counts toward a statutory yearly minimum (see the planner's statutory visits). */
  readonly statutory?: StatutoryKind;
  /**
   * A statutory visit of this step is never due before this (placement-anchored) step is due: no
   * supervision visit before the supervisor is due to be appointed.
   */
  readonly dueAfterStep?: string;
  /** Why the step exists and how sure we are of its timing: keeps the ASSUMPTIONS visible. */
  readonly basis: StepBasis;
}

/**
 * What a step's offset counts from: the move-in day (day 0) or the completion of another step, once per
 * completed occurrence of that step (the report after each supervision visit). `alsoAfter` names more
 * placement-anchored steps whose completion starts it too (the private talk with the child after the
 * first-week visit as after every other statutory follow-up visit).
 */
export type StepAnchor =
  | { readonly kind: 'placement' }
  | { readonly kind: 'step-completion'; readonly stepId: string; readonly alsoAfter?: readonly string[] };

/** A placement-type override: the same step with another offset, or not at all. */
export type StepOverride = { readonly offsetDays: number } | { readonly skip: true };

/**
 * Repeats a step. Occurrence 1 is due at the step's offset, each next one `intervalDays` later, while the
 * day (counted from the anchor) stays within `untilDay` and the package, and at most `count` times.
 *
 * `phases` continue the cadence after `untilDay`: when the next date would pass a phase's `untilDay`,
 * the next phase's interval is used from the last occurrence (veiledning: every 14 days to day 90, then
 * every 30 days to day 365).
 */
export interface Recurrence {
  readonly intervalDays: number;
  /** Last day (from the anchor) an occurrence may fall on; absent: until the package ends. */
  readonly untilDay?: number;
  /** Maximum number of occurrences, the first included. */
  readonly count?: number;
  readonly phases?: readonly RecurrencePhase[];
}

export interface RecurrencePhase {
  readonly intervalDays: number;
  /** Absent only on the last phase: until the package ends. */
  readonly untilDay?: number;
}

/** Yes/no facts of a placement that a step may require (true) or exclude (must be false). */
export type PlacementFlag = {
  [K in keyof PlacementFacts]: PlacementFacts[K] extends boolean ? K : never;
}[keyof PlacementFacts];

export const PLACEMENT_FLAGS = [
  'samvaer',
  'parentsReachable',
  'inSchoolOrKindergarten',
  'bufetatHelp',
  'beredskapshjem',
] as const satisfies readonly PlacementFlag[];

/** All given conditions must hold for the step to apply. */
export interface StepConditions {
  /** Only these placement types (absent: all). */
  readonly placementTypes?: readonly PlacementType[];
  /** Only placements on these legal bases (absent: all). */
  readonly legalBases?: readonly LegalBasis[];
  /** Inclusive, in whole years at placement. */
  readonly childMinAge?: number;
  readonly childMaxAge?: number;
  /** Flags that must be true. */
  readonly requires?: readonly PlacementFlag[];
  /** Flags that must be false (e.g. no expectations talk in an emergency home). */
  readonly excludes?: readonly PlacementFlag[];
}

/**
 * Why a step exists (`kind` + `source`) and, apart from it, how its timing is grounded (`timingKind`):
 * a step can be LAW while its offset is an ASSUMPTION. A LAW step needs a leader's co-sign to waive.
 */
export interface StepBasis {
  readonly kind: BasisKind;
  /** The statute, regulation or guidance, e.g. `forskrift om fosterhjem § 10`. */
  readonly source: string;
  readonly timingKind?: BasisKind;
  readonly note?: string;
}

/** One problem found in a catalog: `path` points into the data (`steps[3].recurrence.intervalDays`). */
export interface CatalogIssue {
  readonly path: string;
  /** Norwegian, shown to the administrator who edits the catalog. */
  readonly message: string;
}
