import type { StepBasis } from '../catalog/types.js';
import type { AssignmentRole, AssignmentStepId } from './vocabulary.js';

/*
 * The kompetansebase assignment's steps as catalog DATA of a package type of its own (issue 17): what
 * is done, by whom, and when, relative to what. The numbers (N, M, K, the session interval) are
 * ASSUMPTIONS: the Barneløftet final report describes the steps (call back, review, start talk with the
 * evaluation date agreed, sessions, evaluation, report to the ordering service, closing, optionally with
 * a family group conference) but gives no deadlines; they are to be confirmed with the bases.
 */

/**
 * What a step's due date counts from: the order, the base's acceptance, the completion of another
 * step, or the evaluation date agreed at the start talk.
 */
export type AssignmentAnchor =
  | { readonly kind: 'order' }
  | { readonly kind: 'acceptance' }
  | { readonly kind: 'step-completion'; readonly stepId: AssignmentStepId }
  | { readonly kind: 'evaluation-date' };

export interface AssignmentStepDefinition {
  readonly id: AssignmentStepId;
  /** Norwegian bokmål title shown to users. */
  readonly title: string;
  readonly role: AssignmentRole;
  readonly anchor: AssignmentAnchor;
  /** Due this many days after the anchor. */
  readonly days: number;
  /** Working days (Norwegian calendar of the ordering service) or calendar days. */
  readonly dayKind: 'working' | 'calendar';
  /** Repeats `days` after each completion until the named step is completed (the sessions). */
  readonly repeatsUntil?: AssignmentStepId;
  readonly basis: StepBasis;
}

export interface AssignmentCatalog {
  readonly packageType: 'kompetansebase';
  /** `YYYY.N`; an assignment keeps the version it was ordered under. */
  readonly version: string;
  /** Days after a step is overdue that the base leader is told. */
  readonly escalationDelayDays: number;
  readonly steps: readonly AssignmentStepDefinition[];
}

const REPORT = 'Barneløftet, sluttrapport: kompetansebase (bestilling, oppstart, evaluering, rapport)';
const assumption = (note: string): StepBasis => ({
  kind: 'REC',
  source: REPORT,
  timingKind: 'ASSUMPTION',
  note,
});

export const KOMPETANSEBASE_CATALOG: AssignmentCatalog = {
  packageType: 'kompetansebase',
  version: '2026.1',
  escalationDelayDays: 5,
  steps: [
    {
      id: 'tilbakeringing',
      title: 'Ring tilbake til barneverntjenesten og avklar bestillingen',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'order' },
      days: 3,
      dayKind: 'working',
      basis: assumption('N = 3 virkedager etter bestillingen; rapporten sier «ringer tilbake», ikke når.'),
    },
    {
      id: 'vurdering',
      title: 'Vurder bestillingen: ta imot, avslå eller sett på vent',
      role: 'kompetansebase-leder',
      anchor: { kind: 'order' },
      days: 10,
      dayKind: 'working',
      basis: assumption('10 virkedager etter bestillingen for å ta stilling til den.'),
    },
    {
      id: 'oppstartssamtale',
      title: 'Oppstartssamtale: avtal evalueringsdato',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'acceptance' },
      days: 14,
      dayKind: 'calendar',
      basis: assumption('M = 14 dager etter at basen tok imot oppdraget.'),
    },
    {
      id: 'veiledning',
      title: 'Veiledningsøkt',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'step-completion', stepId: 'oppstartssamtale' },
      days: 14,
      dayKind: 'calendar',
      repeatsUntil: 'evaluering',
      basis: assumption('En økt hver 14. dag fra oppstartssamtalen til evalueringen.'),
    },
    {
      id: 'evaluering',
      title: 'Evaluering på avtalt dato',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'evaluation-date' },
      days: 0,
      dayKind: 'calendar',
      basis: assumption('Evalueringen holdes på datoen som ble avtalt i oppstartssamtalen.'),
    },
    {
      id: 'rapport',
      title: 'Rapport til barneverntjenesten som bestilte',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'step-completion', stepId: 'evaluering' },
      days: 10,
      dayKind: 'working',
      basis: assumption('K = 10 virkedager etter evalueringen.'),
    },
    {
      id: 'avslutning',
      title: 'Avslutning (eventuelt med familieråd)',
      role: 'kompetansebase-veileder',
      anchor: { kind: 'step-completion', stepId: 'rapport' },
      days: 14,
      dayKind: 'calendar',
      basis: assumption('14 dager etter rapporten.'),
    },
  ],
};

/** The built-in assignment catalogs by version. */
export const ASSIGNMENT_CATALOGS: Readonly<Record<string, AssignmentCatalog>> = {
  [KOMPETANSEBASE_CATALOG.version]: KOMPETANSEBASE_CATALOG,
};

export function assignmentStep(catalog: AssignmentCatalog, id: AssignmentStepId): AssignmentStepDefinition {
  const step = catalog.steps.find((s) => s.id === id);
  if (!step) throw new RangeError(`Catalog ${catalog.version} has no step ${id}`);
  return step;
}

/** A step's title in the catalog version an assignment was ordered under (its id if the version is unknown). */
export function assignmentStepTitle(catalogVersion: string, id: AssignmentStepId): string {
  const catalog = ASSIGNMENT_CATALOGS[catalogVersion];
  return catalog ? assignmentStep(catalog, id).title : id;
}
