import type { StepDefinition } from '../types.js';
import { PLACEMENT, THREE_MONTHS } from './conventions.js';

/*
 * Ordinary follow-up after the package (shared/domain/omsorgspakken.md §2 and §8): the yearly statutory
 * visits, a private talk with the child after each follow-up visit, the supervision report assessed after
 * each supervision visit, and a yearly evaluation of the plans. Planned one calendar year at a time by
 * `planOrdinaryYear`.
 */

export const ordinaerOppfolgingsbesok: StepDefinition = {
  id: 'ordinaer-oppfolgingsbesok',
  title: 'Lovpålagt oppfølgingsbesøk (ordinær oppfølging)',
  purpose:
    'Barneverntjenesten skal besøke barnet i fosterhjemmet minst fire ganger i året så lenge plasseringen varer.',
  track: 'barnet',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 30,
  recurrence: { intervalDays: THREE_MONTHS },
  statutory: 'oppfolgingsbesok',
  basis: {
    kind: 'LAW',
    source: 'Forskrift om fosterhjem § 10 (minst 4 per år)',
    timingKind: 'ASSUMPTION',
    note: 'Antall per kalenderår etter den lovpålagte regelen; hver tredje måned er en antakelse. Færre bare etter et registrert reduksjonsvedtak.',
  },
};

export const ordinaerTilsynsbesok: StepDefinition = {
  id: 'ordinaer-tilsynsbesok',
  title: 'Tilsynsbesøk med rapport (ordinær oppfølging)',
  purpose:
    'Tilsynsføreren besøker barnet minst fire ganger i året til barnet fyller 18 år, uavhengig av barneverntjenesten.',
  track: 'barnet',
  role: 'tilsynsforer',
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 14,
  recurrence: { intervalDays: THREE_MONTHS },
  statutory: 'tilsynsbesok',
  basis: {
    kind: 'LAW',
    source: 'Forskrift om fosterhjem (tilsyn, minst 4 per år til 18 år)',
    timingKind: 'ASSUMPTION',
    note: 'Slutter med måneden barnet fyller 18 år.',
  },
};

export const ordinaerBarnesamtale: StepDefinition = {
  id: 'ordinaer-barnesamtale',
  title: 'Samtale med barnet alene',
  purpose: 'Barnet skal få si sin mening alene, uten fosterforeldrene til stede, ved hvert oppfølgingsbesøk.',
  track: 'barnet',
  role: 'kontaktperson',
  anchor: { kind: 'step-completion', stepId: 'ordinaer-oppfolgingsbesok' },
  offsetDays: 14,
  windowDays: 14,
  conditions: { childMinAge: 7 },
  basis: {
    kind: 'LAW',
    source: 'Forskrift om fosterhjem § 10',
    timingKind: 'ASSUMPTION',
    note: 'Én per gjennomført oppfølgingsbesøk, frist 14 dager etter. Aldersgrense 7 år er en konfigurerbar antakelse.',
  },
};

export const ordinaerTilsynsrapport: StepDefinition = {
  id: 'ordinaer-tilsynsrapport',
  title: 'Tilsynsrapport mottatt og vurdert',
  purpose: 'Rapporten fra tilsynsbesøket må leses og vurderes, slik at bekymringer blir fulgt opp.',
  track: 'administrativt',
  role: 'kontaktperson',
  anchor: { kind: 'step-completion', stepId: 'ordinaer-tilsynsbesok' },
  offsetDays: 14,
  windowDays: 14,
  basis: {
    kind: 'LAW',
    source: 'Forskrift om fosterhjem (skriftlig rapport etter hvert tilsynsbesøk)',
    timingKind: 'ASSUMPTION',
    note: 'Én per gjennomført tilsynsbesøk; 14 dager er en antakelse.',
  },
};

export const arligEvalueringOmsorgsplan: StepDefinition = {
  id: 'arlig-evaluering-omsorgsplan',
  title: 'Årlig evaluering av omsorgsplanen',
  purpose: 'Omsorgsplanen skal evalueres jevnlig, slik at den fortsatt svarer på barnets behov.',
  track: 'administrativt',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 30,
  conditions: { legalBases: ['omsorgsovertakelse'] },
  basis: {
    kind: 'LAW',
    source: 'Barnevernsloven § 8-3 (evaluering av omsorgsplanen)',
    timingKind: 'ASSUMPTION',
    note: 'Én gang i året, på plasseringens årsdag (antakelse).',
  },
};

export const arligEvalueringTiltaksplan: StepDefinition = {
  id: 'arlig-evaluering-tiltaksplan',
  title: 'Årlig evaluering av tiltaksplanen',
  purpose: 'Tiltaksplanen skal evalueres jevnlig, slik at tiltakene fortsatt svarer på barnets behov.',
  track: 'administrativt',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 30,
  conditions: { legalBases: ['frivillig'] },
  basis: {
    kind: 'LAW',
    source: 'Barnevernsloven (tiltaksplan, evaluering)',
    timingKind: 'ASSUMPTION',
    note: 'Én gang i året, på plasseringens årsdag (antakelse).',
  },
};
