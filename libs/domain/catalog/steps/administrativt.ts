import type { StepDefinition } from '../types.js';
import { PLACEMENT, SIX_MONTHS } from './conventions.js';

/*
 * The administrative track: agreement and approval of the foster home, the statutory plans and their
 * evaluation, supervision arranged and its reports, the leader's review and the closing of the package.
 * Steps of catalog 2026.1, in the order of the research table; see ../default-catalog.ts.
 */

export const fosterhjemsavtale: StepDefinition = {
  id: 'fosterhjemsavtale',
  title: 'Fosterhjemsavtale inngått',
  purpose:
    'Avtalen gir fosterforeldrene og barneverntjenesten felles, skriftlige rammer for oppdraget: ansvar, oppfølging, økonomi og samarbeid.',
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
};

export const godkjenning: StepDefinition = {
  id: 'godkjenning',
  title: 'Fosterhjemmet godkjent',
  purpose:
    'Fosterhjemmet skal være vurdert som egnet før barnet bor der over tid, slik at barnet får trygg omsorg.',
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
};

export const omsorgsplan: StepDefinition = {
  id: 'omsorgsplan',
  title: 'Plan for barnets omsorgssituasjon',
  purpose:
    'Planen sier hvordan barnets omsorg skal ivaretas over tid og er grunnlaget for å følge opp at plasseringen er til barnets beste.',
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
};

export const tiltaksplan: StepDefinition = {
  id: 'tiltaksplan',
  title: 'Tiltaksplan',
  purpose:
    'Planen beskriver målene med den frivillige plasseringen og hvordan de skal nås, slik at tiltaket kan evalueres.',
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
};

export const tilsynOrganisert: StepDefinition = {
  id: 'tilsyn-organisert',
  title: 'Tilsynsfører oppnevnt',
  purpose:
    'Tilsynsføreren skal kontrollere at barnet får forsvarlig omsorg; tilsynet gjelder fra første dag.',
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
};

export const tilsynsrapport: StepDefinition = {
  id: 'tilsynsrapport',
  title: 'Tilsynsrapport mottatt og vurdert',
  purpose: 'Rapporten fra tilsynsbesøket må leses og vurderes, slik at bekymringer blir fulgt opp.',
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
};

export const evaluering3mnd: StepDefinition = {
  id: 'evaluering-3mnd',
  title: 'Evalueringsmøte etter 3 måneder',
  purpose:
    'Et felles møte etter tre måneder fanger opp hva som fungerer og hva som må justeres mens plasseringen er ny.',
  track: 'administrativt',
  role: 'kontaktperson',
  coRoles: ['fosterhjemsressurs'],
  anchor: PLACEMENT,
  offsetDays: 90,
  windowDays: 14,
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};

export const evalueringPlaner: StepDefinition = {
  id: 'evaluering-planer',
  title: 'Evaluering av planene',
  purpose: 'Planene skal evalueres jevnlig, slik at tiltakene fortsatt svarer på barnets behov.',
  track: 'administrativt',
  role: 'kontaktperson',
  anchor: PLACEMENT,
  offsetDays: SIX_MONTHS,
  windowDays: 14,
  recurrence: { intervalDays: SIX_MONTHS },
  basis: { kind: 'LAW', source: 'Barnevernsloven § 8-3 (evaluering)', timingKind: 'ASSUMPTION' },
};

export const lederAvvik: StepDefinition = {
  id: 'leder-avvik',
  title: 'Ledergjennomgang av forsinkede steg',
  purpose: 'Leder får oversikt over forsinkede steg og kan sette inn tiltak før fristbrudd blir alvorlige.',
  track: 'administrativt',
  role: 'leder',
  anchor: PLACEMENT,
  offsetDays: 30,
  windowDays: 7,
  recurrence: { intervalDays: 30 },
  basis: { kind: 'REC', source: 'Internkontroll', timingKind: 'ASSUMPTION' },
};

export const avslutning: StepDefinition = {
  id: 'avslutning',
  title: 'Avslutning og overgang til ordinær oppfølging',
  purpose: 'Den tette oppfølgingen det første året avsluttes ordnet og går over i ordinær oppfølging.',
  track: 'administrativt',
  role: 'kontaktperson',
  coRoles: ['fosterhjemsressurs'],
  anchor: PLACEMENT,
  offsetDays: 365,
  windowDays: 14,
  basis: { kind: 'ASSUMPTION', source: 'Forslag (Omsorgspakken)', timingKind: 'ASSUMPTION' },
};
