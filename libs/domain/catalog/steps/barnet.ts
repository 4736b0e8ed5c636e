import type { StepDefinition } from '../types.js';
import { PLACEMENT } from './conventions.js';

/*
 * The child's track: moving in, school or kindergarten, the visits (first-week, statutory follow-up and
 * supervision) and the talk with the child alone after them, health services.
 * Steps of catalog 2026.1, in the order of the research table; see ../default-catalog.ts.
 */

export const planInnflytting: StepDefinition = {
  id: 'plan-innflytting',
  title: 'Plan for innflytting',
  purpose: 'En god plan for selve flyttingen gjør overgangen tryggere og mer forutsigbar for barnet.',
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
};

export const skoleBarnehage: StepDefinition = {
  id: 'skole-barnehage',
  title: 'Overføringsmøte barnehage/skole',
  purpose: 'Barnehage eller skole får det de trenger for å ta imot barnet og støtte det i en ny hverdag.',
  track: 'barnet',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 7,
  conditions: { requires: ['inSchoolOrKindergarten'] },
  basis: { kind: 'REC', source: 'Bufdir samhandlingsforløp fase 2', timingKind: 'ASSUMPTION' },
};

export const besokUke1: StepDefinition = {
  id: 'besok-uke1',
  title: 'Første besøk i hjemmet',
  purpose:
    'Et tidlig besøk viser hvordan barnet har det i hjemmet den første uken og fanger opp behov raskt.',
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
};

export const barnesamtale: StepDefinition = {
  id: 'barnesamtale',
  title: 'Samtale med barnet alene',
  purpose:
    'Barnet skal få si sin mening alene, uten fosterforeldrene til stede (barnets rett til medvirkning).',
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
};

export const oppfolgingsbesok: StepDefinition = {
  id: 'oppfolgingsbesok',
  title: 'Lovpålagt oppfølgingsbesøk',
  purpose:
    'Barneverntjenesten skal besøke barnet i fosterhjemmet jevnlig for å følge med på barnets situasjon.',
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
};

export const tilsynsbesok: StepDefinition = {
  id: 'tilsynsbesok',
  title: 'Tilsynsbesøk med rapport',
  purpose:
    'Tilsynsføreren besøker barnet for å kontrollere at det får forsvarlig omsorg, uavhengig av barneverntjenesten.',
  track: 'barnet',
  role: 'tilsynsforer',
  anchor: PLACEMENT,
  offsetDays: 30,
  windowDays: 14,
  recurrence: { intervalDays: 91 },
  conditions: { childMaxAge: 17 },
  statutory: 'tilsynsbesok',
  basis: { kind: 'LAW', source: 'Forskrift om fosterhjem (tilsyn, minst 4 per år)', timingKind: 'LAW' },
};

export const helse: StepDefinition = {
  id: 'helse',
  title: 'Fastlege, tannhelse, helsestasjon etablert',
  purpose:
    'Barnet skal ha fastlege, tannhelsetjeneste og helsestasjon eller skolehelsetjeneste der det nå bor.',
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
};
