import type { StepDefinition } from '../types.js';
import { PLACEMENT, SIX_MONTHS, THREE_MONTHS } from './conventions.js';

/*
 * The parents' track: the offer of follow-up after a care order, the follow-up plan and contact
 * (samvær): the first one and its evaluations.
 * Steps of catalog 2026.1, in the order of the research table; see ../default-catalog.ts.
 */

export const foreldreTilbud: StepDefinition = {
  id: 'foreldre-tilbud',
  title: 'Tilbud om oppfølging til foreldrene',
  purpose: 'Foreldrene skal få tilbud om oppfølging kort tid etter at barnet har flyttet.',
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
};

export const foreldrePlan: StepDefinition = {
  id: 'foreldre-plan',
  title: 'Samtale og plan for foreldreoppfølging',
  purpose: 'En plan for oppfølgingen gir foreldrene forutsigbarhet og støtte i en vanskelig tid.',
  track: 'foreldrene',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 30,
  windowDays: 14,
  recurrence: { intervalDays: THREE_MONTHS },
  conditions: { requires: ['parentsReachable'] },
  basis: { kind: 'REC', source: 'Bufdirs veileder for oppfølging av foreldre', timingKind: 'ASSUMPTION' },
};

export const samvaerForste: StepDefinition = {
  id: 'samvaer-forste',
  title: 'Første samvær gjennomført og evaluert',
  purpose: 'Det første samværet vurderes for å se at ordningen er god og trygg for barnet.',
  track: 'foreldrene',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 14,
  windowDays: 14,
  conditions: { requires: ['samvaer'] },
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};

export const samvaerEvaluering: StepDefinition = {
  id: 'samvaer-evaluering',
  title: 'Evaluering av samværsordningen',
  purpose: 'Samværsordningen vurderes jevnlig, slik at den fortsatt passer for barnet.',
  track: 'foreldrene',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: 90,
  windowDays: 14,
  recurrence: { intervalDays: SIX_MONTHS },
  conditions: { requires: ['samvaer'] },
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};
