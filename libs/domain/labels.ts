import type {
  EndReason,
  LegalBasis,
  PauseReason,
  PlacementType,
  Role,
  StatutoryKind,
  TaskOutcome,
  TaskStatus,
  Track,
  WaiverReason,
} from './vocabulary.js';

/*
 * The words people read for the codes of the vocabulary (vocabulary.ts), in bokmål: one declaration for
 * the web app's screens and the API's reports and CSV files alike. The web app imports this file and
 * vocabulary.ts, the only code outside web/ it may import (.dependency-cruiser.cjs), so both stay what
 * they are: constants and types, importing nothing but each other.
 *
 * Maps the screens index with any string (codes read from the API) are typed by string, each checked
 * with `satisfies` to name every code of its vocabulary and no other.
 */

export const ROLE_LABEL: Record<Role, string> = {
  fosterhjemsressurs: 'Fosterhjemsressurs',
  kontaktperson: 'Kontaktperson',
  leder: 'Leder',
  tilsynsforer: 'Tilsynsfører',
  bufetat: 'Bufetat-rådgiver',
  laeringsnettverksleder: 'Læringsnettverksleder',
  admin: 'Administrator',
  'kompetansebase-veileder': 'Veileder i kompetansebasen',
  'kompetansebase-leder': 'Leder for kompetansebasen',
};

export const TRACK_LABEL: Record<Track, string> = {
  barnet: 'Barnet',
  foreldrene: 'Foreldrene',
  fosterfamilien: 'Fosterfamilien',
  administrativt: 'Administrative steg',
};

/** A task's status as the inbox shows it: its status in the package, or due soon, or overdue. */
export const STATUS_LABEL: Record<TaskStatus | 'due-soon' | 'overdue', string> = {
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

export const LEGAL_BASIS_LABEL: Record<LegalBasis, string> = {
  omsorgsovertakelse: 'Omsorgsovertakelse (vedtak i nemnda)',
  frivillig: 'Frivillig tiltak',
};

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
} satisfies Record<TaskOutcome, string>;

export const WAIVE_REASON_LABEL: Record<string, string> = {
  'ikke-relevant': 'Ikke relevant for dette barnet',
  'gjennomfort-annet-sted': 'Gjennomført et annet sted',
  'barnet-onsker-ikke': 'Barnet ønsker ikke',
  'foreldre-onsker-ikke': 'Foreldrene ønsker ikke',
  'erstattet-av-annet-tiltak': 'Erstattet av et annet tiltak',
  annet: 'Annet',
} satisfies Record<WaiverReason, string>;

export const PAUSE_REASON_LABEL: Record<string, string> = {
  'barnet-midlertidig-annet-sted': 'Barnet bor midlertidig et annet sted',
  sykehusopphold: 'Sykehusopphold',
  annet: 'Annet',
} satisfies Record<PauseReason, string>;

export const END_REASON_LABEL: Record<string, string> = {
  planlagt: 'Planlagt avslutning',
  brudd: 'Brudd (utilsiktet flytting)',
  'flytting-nytt-fosterhjem': 'Flytting til nytt fosterhjem',
} satisfies Record<EndReason, string>;

/** How an annulled placement (registered by mistake) is shown where its end reason would be. */
export const ANNULLED_LABEL = 'Annullert (registrert ved feil)';

/** The statutory visits with a yearly minimum. */
export const LEDGER_KIND_LABEL: Record<string, string> = {
  oppfolgingsbesok: 'Oppfølgingsbesøk',
  tilsynsbesok: 'Tilsynsbesøk',
} satisfies Record<StatutoryKind, string>;

/** How far a placement's statutory visits for the year are behind (statutory/risk.ts). */
export const RISK_LEVEL_LABEL: Record<string, string> = {
  brutt: 'Brutt',
  kritisk: 'Kritisk',
  risiko: 'Risiko',
};

/**
 * What a service may order from a kompetansebase (issue 17), by request type code
 * (libs/domain/kompetansebase/vocabulary.ts REQUEST_TYPES): shown in the inbox, the calendar feed and the
 * e-mail digest beside an assignment's task, in the base's adherence figures and on the web app's order
 * form and assignment pages.
 */
export const REQUEST_TYPE_LABEL: Record<string, string> = {
  'hjemmebasert-foreldreveiledning': 'Hjemmebasert foreldreveiledning',
  'veiledning-fosterforeldre': 'Veiledning av fosterforeldre',
  'oppfolging-foreldre-mistet-omsorgen': 'Oppfølging av foreldre som har mistet omsorgen',
  'gruppeveiledning-fosterforeldre': 'Gruppeveiledning for fosterforeldre',
  'annet-konsultasjon': 'Annen konsultasjon',
};
