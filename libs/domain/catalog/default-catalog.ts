import { publishCatalog } from './publish.js';
import type { Catalog, OrdinaryFollowUp, StepDefinition } from './types.js';
import {
  avslutning,
  evaluering3mnd,
  evalueringPlaner,
  fosterhjemsavtale,
  godkjenning,
  lederAvvik,
  omsorgsplan,
  tilsynOrganisert,
  tilsynsrapport,
  tiltaksplan,
} from './steps/administrativt.js';
import {
  barnesamtale,
  besokUke1,
  helse,
  oppfolgingsbesok,
  planInnflytting,
  skoleBarnehage,
  tilsynsbesok,
} from './steps/barnet.js';
import {
  arligEvalueringOmsorgsplan,
  arligEvalueringTiltaksplan,
  ordinaerBarnesamtale,
  ordinaerOppfolgingsbesok,
  ordinaerTilsynsbesok,
  ordinaerTilsynsrapport,
} from './steps/ordinaer.js';
import { foreldrePlan, foreldreTilbud, samvaerEvaluering, samvaerForste } from './steps/foreldrene.js';
import {
  bufetatAvklaring,
  forventningssamtale,
  gjennomgangPlaner,
  grunnopplaering,
  kartlegging,
  kontaktDag1,
  planFosterfamilien,
  veiledning,
} from './steps/fosterfamilien.js';

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
 *
 * The steps are written per track in steps/ (barnet, fosterfamilien, foreldrene, administrativt); the
 * list below puts them in the order of the research table, which is the catalog's order.
 */
const steps: readonly StepDefinition[] = [
  forventningssamtale,
  fosterhjemsavtale,
  godkjenning,
  grunnopplaering,
  planInnflytting,
  omsorgsplan,
  tiltaksplan,
  gjennomgangPlaner,
  skoleBarnehage,
  tilsynOrganisert,
  kontaktDag1,
  besokUke1,
  barnesamtale,
  foreldreTilbud,
  foreldrePlan,
  samvaerForste,
  samvaerEvaluering,
  kartlegging,
  planFosterfamilien,
  veiledning,
  oppfolgingsbesok,
  tilsynsbesok,
  tilsynsrapport,
  helse,
  bufetatAvklaring,
  evaluering3mnd,
  evalueringPlaner,
  lederAvvik,
  avslutning,
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

/**
 * The built-in ordinary follow-up (issue 16): the yearly statutory visits, a private talk after each
 * follow-up visit, the supervision report after each supervision visit, and the yearly evaluation of the
 * care or measures plan. Catalog versions published before the part existed (2026.1, 2026.2) carry none:
 * their placements follow this one (`ordinaryFollowUpOf`), since a published version is never edited.
 */
export const DEFAULT_ORDINARY_FOLLOW_UP: OrdinaryFollowUp = publishCatalog({
  version: '2026.2',
  steps,
  ordinaryFollowUp: {
    steps: [
      ordinaerOppfolgingsbesok,
      ordinaerBarnesamtale,
      ordinaerTilsynsbesok,
      ordinaerTilsynsrapport,
      arligEvalueringOmsorgsplan,
      arligEvalueringTiltaksplan,
    ],
  },
}).ordinaryFollowUp!;

/** The catalog's own ordinary follow-up, or the built-in one for versions without it. */
export function ordinaryFollowUpOf(catalog: Catalog): OrdinaryFollowUp {
  return catalog.ordinaryFollowUp ?? DEFAULT_ORDINARY_FOLLOW_UP;
}
