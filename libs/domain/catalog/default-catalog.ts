import { publishCatalog } from './publish.js';
import type { Catalog, StepAnchor, StepDefinition } from './types.js';

/**
 * The default Omsorgspakken catalog: the 29 steps proposed in the domain research (§6 of
 * shared/domain/omsorgspakken.md). The Omsorgspakken guide itself was not available, so offsets,
 * windows and cadences are ASSUMPTIONS unless `basis.timingKind` says LAW or REC; reconcile them with
 * the guide in a new catalog version, never by editing this one.
 *
 * Conventions: day 0 = move-in; "6 months" = 182 days and "3 months" = 91 days; E = `akutt`,
 * K = `slekt-nettverk`; "care order" = `omsorgsovertakelse`, "voluntary" = `frivillig`. Where the table
 * names foster parents as co-owners (helse) only the service's role is recorded: foster parents have no
 * task role.
 */
const PLACEMENT: StepAnchor = { kind: 'placement' };
const SIX_MONTHS = 182;
const THREE_MONTHS = 91;

const steps: readonly StepDefinition[] = [
  {
    id: 'forventningssamtale',
    title: 'Forventningssamtale med fosterforeldrene',
    track: 'fosterfamilien',
    role: 'kontaktperson',
    coRoles: ['fosterhjemsressurs'],
    anchor: PLACEMENT,
    offsetDays: -7,
    windowDays: 14,
    overrides: { akutt: { offsetDays: 7 } },
    conditions: { excludes: ['beredskapshjem'] },
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp fase 1',
      timingKind: 'REC',
      note: 'Før innflytting.',
    },
  },
  {
    id: 'fosterhjemsavtale',
    title: 'Fosterhjemsavtale inngått',
    track: 'administrativt',
    role: 'kontaktperson',
    coRoles: ['leder'],
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 14,
    overrides: { akutt: { offsetDays: 14 } },
    basis: {
      kind: 'LAW',
      source: 'Forskrift om fosterhjem § 7; Bufdirs mal',
      timingKind: 'REC',
      note: 'Signeres før innflytting om mulig; leder signerer.',
    },
  },
  {
    id: 'godkjenning',
    title: 'Fosterhjemmet godkjent',
    track: 'administrativt',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 21,
    overrides: { akutt: { offsetDays: 42 }, 'slekt-nettverk': { offsetDays: 42 } },
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp fase 1 (godkjenning)',
      timingKind: 'REC',
      note: 'Godkjennes av fosterhjemskommunen.',
    },
  },
  {
    id: 'grunnopplaering',
    title: 'Grunnleggende opplæring bekreftet',
    track: 'fosterfamilien',
    role: 'bufetat',
    coRoles: ['fosterhjemsressurs'],
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 30,
    overrides: { akutt: { offsetDays: 90 }, 'slekt-nettverk': { offsetDays: 90 } },
    basis: { kind: 'LAW', source: 'Barnevernsreformen 2022: opplæring før innflytting', timingKind: 'LAW' },
  },
  {
    id: 'plan-innflytting',
    title: 'Plan for innflytting',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: -3,
    windowDays: 7,
    overrides: { akutt: { skip: true } },
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp fase 1',
      timingKind: 'ASSUMPTION',
      note: 'Bare ved planlagt flytting (hoppes over ved akuttplassering).',
    },
  },
  {
    id: 'omsorgsplan',
    title: 'Plan for barnets omsorgssituasjon',
    track: 'administrativt',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 14,
    overrides: { akutt: { offsetDays: 42 } },
    recurrence: { intervalDays: SIX_MONTHS },
    conditions: { legalBases: ['omsorgsovertakelse'] },
    basis: {
      kind: 'LAW',
      source: 'Barnevernsloven § 8-3',
      timingKind: 'REC',
      note: 'Før innflytting; revideres hver 6. måned.',
    },
  },
  {
    id: 'tiltaksplan',
    title: 'Tiltaksplan',
    track: 'administrativt',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 14,
    overrides: { akutt: { offsetDays: 42 } },
    recurrence: { intervalDays: SIX_MONTHS },
    conditions: { legalBases: ['frivillig'] },
    basis: {
      kind: 'LAW',
      source: 'Barnevernsloven kap. 8',
      timingKind: 'REC',
      note: 'Før innflytting; revideres hver 6. måned.',
    },
  },
  {
    id: 'gjennomgang-planer',
    title: 'Planene gjennomgått med fosterhjemmet',
    track: 'fosterfamilien',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 7,
    overrides: { akutt: { offsetDays: 14 } },
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp fase 2',
      timingKind: 'REC',
      note: 'Før innflytting.',
    },
  },
  {
    id: 'skole-barnehage',
    title: 'Overføringsmøte barnehage/skole',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 0,
    windowDays: 7,
    conditions: { requires: ['inSchoolOrKindergarten'] },
    basis: { kind: 'REC', source: 'Bufdir samhandlingsforløp fase 2', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'tilsyn-organisert',
    title: 'Tilsynsfører oppnevnt',
    track: 'administrativt',
    role: 'leder',
    anchor: PLACEMENT,
    offsetDays: 14,
    windowDays: 14,
    basis: {
      kind: 'LAW',
      source: 'Tilsyn fra plasseringen (forskrift om fosterhjem)',
      timingKind: 'ASSUMPTION',
    },
  },
  {
    id: 'kontakt-dag1',
    title: 'Telefonkontakt med fosterforeldrene',
    track: 'fosterfamilien',
    role: 'fosterhjemsressurs',
    anchor: PLACEMENT,
    offsetDays: 1,
    windowDays: 1,
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'besok-uke1',
    title: 'Første besøk i hjemmet',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 7,
    windowDays: 7,
    statutory: 'oppfolgingsbesok',
    basis: {
      kind: 'ASSUMPTION',
      source: 'Forslag (Omsorgspakken)',
      timingKind: 'ASSUMPTION',
      note: 'Teller som ett av de lovpålagte oppfølgingsbesøkene.',
    },
  },
  {
    id: 'barnesamtale',
    title: 'Samtale med barnet alene',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: { kind: 'step-completion', stepId: 'oppfolgingsbesok' },
    offsetDays: 14,
    windowDays: 14,
    conditions: { childMinAge: 7 },
    basis: {
      kind: 'LAW',
      source: 'Forskrift om fosterhjem § 10',
      timingKind: 'ASSUMPTION',
      note:
        'Én per gjennomført oppfølgingsbesøk: åpner dagen besøket er gjennomført, frist 14 dager etter. ' +
        'Aldersgrense 7 år er en konfigurerbar antakelse.',
    },
  },
  {
    id: 'foreldre-tilbud',
    title: 'Tilbud om oppfølging til foreldrene',
    track: 'foreldrene',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 7,
    windowDays: 7,
    conditions: { legalBases: ['omsorgsovertakelse'] },
    basis: {
      kind: 'LAW',
      source: 'Barnevernsloven kap. 8 («kort tid etter»)',
      timingKind: 'ASSUMPTION',
      note: 'Ved frivillig plassering valgfritt (legges til manuelt).',
    },
  },
  {
    id: 'foreldre-plan',
    title: 'Samtale og plan for foreldreoppfølging',
    track: 'foreldrene',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 30,
    windowDays: 14,
    recurrence: { intervalDays: THREE_MONTHS },
    conditions: { requires: ['parentsReachable'] },
    basis: { kind: 'REC', source: 'Bufdirs veileder for oppfølging av foreldre', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'samvaer-forste',
    title: 'Første samvær gjennomført og evaluert',
    track: 'foreldrene',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 14,
    windowDays: 14,
    conditions: { requires: ['samvaer'] },
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'samvaer-evaluering',
    title: 'Evaluering av samværsordningen',
    track: 'foreldrene',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 90,
    windowDays: 14,
    recurrence: { intervalDays: SIX_MONTHS },
    conditions: { requires: ['samvaer'] },
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'kartlegging',
    title: 'Kartlegging av fosterfamiliens behov',
    track: 'fosterfamilien',
    role: 'fosterhjemsressurs',
    anchor: PLACEMENT,
    offsetDays: 14,
    windowDays: 14,
    basis: { kind: 'REC', source: 'Bufdir samhandlingsforløp fase 4', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'plan-fosterfamilien',
    title: 'Plan for oppfølging av fosterfamilien',
    track: 'fosterfamilien',
    role: 'fosterhjemsressurs',
    coRoles: ['kontaktperson'],
    anchor: PLACEMENT,
    offsetDays: 42,
    windowDays: 21,
    recurrence: { intervalDays: SIX_MONTHS },
    basis: {
      kind: 'LAW',
      source: 'Plan for oppfølging av fosterfamilien (Bufdir: oppfølging av fosterhjem)',
      timingKind: 'ASSUMPTION',
      note: 'Lovens frist er ukjent; 42 dager er en antakelse.',
    },
  },
  {
    id: 'veiledning',
    title: 'Veiledningssamtale',
    track: 'fosterfamilien',
    role: 'fosterhjemsressurs',
    anchor: PLACEMENT,
    offsetDays: 14,
    windowDays: 7,
    recurrence: { intervalDays: 14, untilDay: 90, phases: [{ intervalDays: 30, untilDay: 365 }] },
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp fase 4 (veiledning første år)',
      timingKind: 'ASSUMPTION',
      note: 'Hver 14. dag til dag 90, deretter hver 30. dag til dag 365.',
    },
  },
  {
    id: 'oppfolgingsbesok',
    title: 'Lovpålagt oppfølgingsbesøk',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 91,
    windowDays: 30,
    recurrence: { intervalDays: 91 },
    statutory: 'oppfolgingsbesok',
    basis: {
      kind: 'LAW',
      source: 'Forskrift om fosterhjem § 10 (minst 4 per år)',
      timingKind: 'LAW',
      note: 'Færre bare etter et registrert reduksjonsvedtak.',
    },
  },
  {
    id: 'tilsynsbesok',
    title: 'Tilsynsbesøk med rapport',
    track: 'barnet',
    role: 'tilsynsforer',
    anchor: PLACEMENT,
    offsetDays: 30,
    windowDays: 14,
    recurrence: { intervalDays: 91 },
    conditions: { childMaxAge: 17 },
    statutory: 'tilsynsbesok',
    basis: { kind: 'LAW', source: 'Forskrift om fosterhjem (tilsyn, minst 4 per år)', timingKind: 'LAW' },
  },
  {
    id: 'tilsynsrapport',
    title: 'Tilsynsrapport mottatt og vurdert',
    track: 'administrativt',
    role: 'kontaktperson',
    anchor: { kind: 'step-completion', stepId: 'tilsynsbesok' },
    offsetDays: 14,
    windowDays: 14,
    basis: {
      kind: 'LAW',
      source: 'Forskrift om fosterhjem (skriftlig rapport etter hvert tilsynsbesøk)',
      timingKind: 'ASSUMPTION',
      note: 'Én per gjennomført tilsynsbesøk; 14 dager er en antakelse.',
    },
  },
  {
    id: 'helse',
    title: 'Fastlege, tannhelse, helsestasjon etablert',
    track: 'barnet',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: 30,
    windowDays: 21,
    basis: {
      kind: 'REC',
      source: 'Bufdir samhandlingsforløp (slutt)',
      timingKind: 'ASSUMPTION',
      note: 'Sammen med fosterforeldrene.',
    },
  },
  {
    id: 'bufetat-avklaring',
    title: 'Avklaring av Bufetat-bistand',
    track: 'fosterfamilien',
    role: 'bufetat',
    anchor: PLACEMENT,
    offsetDays: 21,
    windowDays: 14,
    conditions: { requires: ['bufetatHelp'] },
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'evaluering-3mnd',
    title: 'Evalueringsmøte etter 3 måneder',
    track: 'administrativt',
    role: 'kontaktperson',
    coRoles: ['fosterhjemsressurs'],
    anchor: PLACEMENT,
    offsetDays: 90,
    windowDays: 14,
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'evaluering-planer',
    title: 'Evaluering av planene',
    track: 'administrativt',
    role: 'kontaktperson',
    anchor: PLACEMENT,
    offsetDays: SIX_MONTHS,
    windowDays: 14,
    recurrence: { intervalDays: SIX_MONTHS },
    basis: { kind: 'LAW', source: 'Barnevernsloven § 8-3 (evaluering)', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'leder-avvik',
    title: 'Ledergjennomgang av forsinkede steg',
    track: 'administrativt',
    role: 'leder',
    anchor: PLACEMENT,
    offsetDays: 30,
    windowDays: 7,
    recurrence: { intervalDays: 30 },
    basis: { kind: 'REC', source: 'Internkontroll', timingKind: 'ASSUMPTION' },
  },
  {
    id: 'avslutning',
    title: 'Avslutning og overgang til ordinær oppfølging',
    track: 'administrativt',
    role: 'kontaktperson',
    coRoles: ['fosterhjemsressurs'],
    anchor: PLACEMENT,
    offsetDays: 365,
    windowDays: 14,
    basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
  },
];

/** Version 2026.1, the first built-in catalog: placements registered on it keep it. */
export const CATALOG_2026_1: Catalog = publishCatalog({
  version: '2026.1',
  description:
    'Standardkatalog for Omsorgspakken: forslag basert på lov, forskrift og Bufdirs anbefalinger. ' +
    'Frister og intervaller er antakelser der ikke annet er oppgitt.',
  steps,
});

/** Steps of 2026.1 with a change: the rest are the same objects. */
const changed = (changes: Readonly<Record<string, (step: StepDefinition) => StepDefinition>>) =>
  steps.map((step) => changes[step.id]?.(step) ?? step);

/**
 * Version 2026.2 (2026-12-05), the default for new placements. Three changes to 2026.1:
 * - `barnesamtale` follows the first-week visit (`besok-uke1`) as well as every `oppfolgingsbesok`:
 *   the first statutory visit gets its talk with the child alone too (forskrift om fosterhjem § 10);
 * - `skole-barnehage` is due a week after an emergency placement (not the day before it);
 * - `tilsynsbesok` is never due before `tilsyn-organisert` (no supervision before a supervisor).
 */
export const CATALOG_2026_2: Catalog = publishCatalog({
  version: '2026.2',
  publishedOn: '2026-12-05',
  description:
    'Standardkatalog for Omsorgspakken, versjon 2: samtale med barnet alene også etter første besøk, ' +
    'overføringsmøte med barnehage/skole en uke etter en akuttplassering, og tilsynsbesøk først etter ' +
    'at tilsynsfører er oppnevnt.',
  steps: changed({
    barnesamtale: (step) => ({
      ...step,
      anchor: { kind: 'step-completion', stepId: 'oppfolgingsbesok', alsoAfter: ['besok-uke1'] },
      basis: {
        ...step.basis,
        note:
          'Én per gjennomført lovpålagt oppfølgingsbesøk, også det første besøket i hjemmet: åpner dagen ' +
          'besøket er gjennomført, frist 14 dager etter. Aldersgrense 7 år er en konfigurerbar antakelse.',
      },
    }),
    'skole-barnehage': (step) => ({
      ...step,
      overrides: { akutt: { offsetDays: 7 } },
      basis: {
        ...step.basis,
        note: 'Ved akuttplassering innen en uke etter innflytting (antakelse).',
      },
    }),
    tilsynsbesok: (step) => ({ ...step, dueAfterStep: 'tilsyn-organisert' }),
  }),
});

/** The built-in catalog versions, oldest first. */
export const BUILT_IN_CATALOGS: readonly Catalog[] = [CATALOG_2026_1, CATALOG_2026_2];

/** The catalog new placements get unless another version is chosen: the newest built-in one. */
export const DEFAULT_CATALOG: Catalog = CATALOG_2026_2;
