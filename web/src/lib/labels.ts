import type { LegalBasis, Role, TaskStatus, Track, PlacementType } from './types.js';

/** Norwegian words for the API's codes. */

export const ROLE_LABEL: Record<Role, string> = {
  fosterhjemsressurs: 'Fosterhjemsressurs',
  kontaktperson: 'Kontaktperson',
  leder: 'Leder',
  tilsynsforer: 'Tilsynsfører',
  bufetat: 'Bufetat-rådgiver',
  laeringsnettverksleder: 'Læringsnettverksleder',
  admin: 'Administrator',
};

export const TRACK_LABEL: Record<Track, string> = {
  barnet: 'Barnet',
  foreldrene: 'Foreldrene',
  fosterfamilien: 'Fosterfamilien',
  administrativt: 'Administrative steg',
};
export const TRACKS: readonly Track[] = ['barnet', 'foreldrene', 'fosterfamilien', 'administrativt'];

export const STATUS_LABEL: Record<TaskStatus, string> = {
  planned: 'Planlagt',
  open: 'Åpen',
  'due-soon': 'Snart frist',
  overdue: 'Forsinket',
  completed: 'Utført',
  waived: 'Frafalt',
  cancelled: 'Bortfalt',
};

export const PLACEMENT_TYPE_LABEL: Record<PlacementType, string> = {
  omsorgsovertakelse: 'Omsorgsovertakelse',
  frivillig: 'Frivillig plassering',
  akutt: 'Akuttplassering',
  'slekt-nettverk': 'Slekts- eller nettverksfosterhjem',
};
export const PLACEMENT_TYPES = Object.keys(PLACEMENT_TYPE_LABEL) as PlacementType[];

export const LEGAL_BASIS_LABEL: Record<LegalBasis, string> = {
  omsorgsovertakelse: 'Omsorgsovertakelse (vedtak i nemnda)',
  frivillig: 'Frivillig tiltak',
};
export const LEGAL_BASES = Object.keys(LEGAL_BASIS_LABEL) as LegalBasis[];

/** The legal basis a placement type dictates (care order, voluntary), or null when it may be either. */
export const legalBasisOf = (type: string): LegalBasis | null =>
  type === 'omsorgsovertakelse' || type === 'frivillig' ? type : null;

export const PLACEMENT_STATUS_LABEL: Record<string, string> = {
  active: 'Aktiv',
  paused: 'Pauset',
  ended: 'Avsluttet',
  completed: 'Fullført',
};

export const OUTCOME_LABEL: Record<string, string> = {
  gjennomfort: 'Gjennomført',
  'delvis-gjennomfort': 'Delvis gjennomført',
  'forsokt-ikke-oppnadd': 'Forsøkt, ikke oppnådd',
};

export const WAIVE_REASON_LABEL: Record<string, string> = {
  'ikke-relevant': 'Ikke relevant for dette barnet',
  'gjennomfort-annet-sted': 'Gjennomført et annet sted',
  'barnet-onsker-ikke': 'Barnet ønsker ikke',
  'foreldre-onsker-ikke': 'Foreldrene ønsker ikke',
  'erstattet-av-annet-tiltak': 'Erstattet av et annet tiltak',
  annet: 'Annet',
};

export const PAUSE_REASON_LABEL: Record<string, string> = {
  'barnet-midlertidig-annet-sted': 'Barnet bor midlertidig et annet sted',
  sykehusopphold: 'Sykehusopphold',
  annet: 'Annet',
};

export const END_REASON_LABEL: Record<string, string> = {
  planlagt: 'Planlagt avslutning',
  brudd: 'Brudd (utilsiktet flytting)',
  'flytting-nytt-fosterhjem': 'Flytting til nytt fosterhjem',
};

export const LEDGER_KIND_LABEL: Record<string, string> = {
  oppfolgingsbesok: 'Oppfølgingsbesøk',
  tilsynsbesok: 'Tilsynsbesøk',
};

export const RISK_LEVEL_LABEL: Record<string, string> = {
  brutt: 'Brutt',
  kritisk: 'Kritisk',
  risiko: 'Risiko',
};

export const ACCESS_OUTCOME_LABEL: Record<string, string> = {
  allowed: 'Tillatt',
  forbidden: 'Avvist',
  hidden: 'Skjult (ikke tilgang)',
  unauthenticated: 'Ikke innlogget',
};

/** A short, non-identifying name for a placement (its id's first characters). */
/** Who a task is assigned to, as the list shows it: you are "Deg"; nobody means the role's pool. */
/** Who a task is with: the role's pool, you, or the assignee by name (by id when no name is known). */
export const assigneeLabel = (
  task: { assigneeId: string | null; assigneeName?: string },
  me: { userId: string },
) =>
  task.assigneeId === null
    ? 'Felles kø'
    : task.assigneeId === me.userId
      ? 'Deg'
      : (task.assigneeName ?? task.assigneeId);

export const placementName = (placementId: string) => `Plassering ${placementId.slice(0, 8)}`;

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat('nb-NO', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso));
}

export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  return `${(rate * 100).toLocaleString('nb-NO', { maximumFractionDigits: 1 })} %`;
}
