import type { StepDefinition } from '../types.js';
import { PLACEMENT, SIX_MONTHS } from './conventions.js';

/*
 * The foster family's track: expectations, training and the plans gone through before move-in, the
 * first contacts, the mapping of their needs, their follow-up plan, guidance through the first year
 * and Bufetat's help.
 * Steps of catalog 2026.1, in the order of the research table; see ../default-catalog.ts.
 */

export const forventningssamtale: StepDefinition = {
  id: 'forventningssamtale',
  title: 'Forventningssamtale med fosterforeldrene',
  purpose:
    'Fosterforeldrene og barneverntjenesten avklarer forventninger til oppdraget før barnet flytter inn.',
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
};

export const grunnopplaering: StepDefinition = {
  id: 'grunnopplaering',
  title: 'Grunnleggende opplæring bekreftet',
  purpose:
    'Fosterforeldrene skal ha grunnleggende opplæring for å ivareta barnet og samarbeide med barneverntjenesten.',
  track: 'fosterfamilien',
  role: 'bufetat',
  coRoles: ['fosterhjemsressurs'],
  anchor: PLACEMENT,
  offsetDays: 0,
  windowDays: 30,
  overrides: { akutt: { offsetDays: 90 }, 'slekt-nettverk': { offsetDays: 90 } },
  basis: { kind: 'LAW', source: 'Barnevernsreformen 2022: opplæring før innflytting', timingKind: 'LAW' },
};

export const gjennomgangPlaner: StepDefinition = {
  id: 'gjennomgang-planer',
  title: 'Planene gjennomgått med fosterhjemmet',
  purpose: 'Fosterforeldrene skal kjenne planene for barnet, slik at de kan bidra til dem fra første dag.',
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
};

export const kontaktDag1: StepDefinition = {
  id: 'kontakt-dag1',
  title: 'Telefonkontakt med fosterforeldrene',
  purpose: 'En telefon dagen etter innflytting fanger opp praktiske behov og gir fosterforeldrene trygghet.',
  track: 'fosterfamilien',
  role: 'fosterhjemsressurs',
  anchor: PLACEMENT,
  offsetDays: 1,
  windowDays: 1,
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};

export const kartlegging: StepDefinition = {
  id: 'kartlegging',
  title: 'Kartlegging av fosterfamiliens behov',
  purpose: 'Fosterfamiliens behov for støtte og veiledning kartlegges tidlig, slik at oppfølgingen treffer.',
  track: 'fosterfamilien',
  role: 'fosterhjemsressurs',
  anchor: PLACEMENT,
  offsetDays: 14,
  windowDays: 14,
  basis: { kind: 'REC', source: 'Bufdir samhandlingsforløp fase 4', timingKind: 'ASSUMPTION' },
};

export const planFosterfamilien: StepDefinition = {
  id: 'plan-fosterfamilien',
  title: 'Plan for oppfølging av fosterfamilien',
  purpose: 'Planen sier hvilken veiledning og støtte fosterfamilien får, slik at oppdraget blir bærekraftig.',
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
};

export const veiledning: StepDefinition = {
  id: 'veiledning',
  title: 'Veiledningssamtale',
  purpose: 'Jevnlig veiledning det første året hjelper fosterforeldrene med utfordringene som kommer.',
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
};

export const bufetatAvklaring: StepDefinition = {
  id: 'bufetat-avklaring',
  title: 'Avklaring av Bufetat-bistand',
  purpose: 'Det avklares om fosterhjemmet skal få bistand eller forsterkning fra Bufetat.',
  track: 'fosterfamilien',
  role: 'bufetat',
  anchor: PLACEMENT,
  offsetDays: 21,
  windowDays: 14,
  conditions: { requires: ['bufetatHelp'] },
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};
