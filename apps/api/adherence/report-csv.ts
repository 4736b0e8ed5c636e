import { stringify } from 'csv-stringify/sync';
import { LEDGER_KIND_LABEL, RISK_LEVEL_LABEL } from '../../../libs/domain/labels.js';
import type { Breakdown, StatutoryRiskDto } from './adherence.dto.js';

/*
 * The reports as CSV for Norwegian spreadsheets (Excel and LibreOffice set to nb-NO open them as they
 * are): bokmål headers, semicolons between fields, decimal commas, UTF-8 with a byte-order mark (without
 * it Excel reads the file as Windows-1252 and garbles æ, ø and å), and file names that say what and when.
 */

/** Every column a report's CSV can have, in bokmål. A column missing here is a test failure. */
export const CSV_HEADERS: Readonly<Record<string, string>> = {
  key: 'Nøkkel',
  label: 'Gruppe',
  suppressed: 'Skjult (små tall)',
  placements: 'Plasseringer',
  // The package's tasks
  due: 'Forfalt i perioden',
  waived: 'Frafalt',
  completed: 'Utført',
  onTime: 'Utført i tide',
  onTimeRate: 'Andel i tide',
  completionRate: 'Andel utført',
  overdue: 'Forsinket',
  overdue1to7: 'Forsinket 1–7 dager',
  overdue8to30: 'Forsinket 8–30 dager',
  overdueOver30: 'Forsinket over 30 dager',
  latenessMedianDays: 'Forsinkelse, median (dager)',
  latenessP90Days: 'Forsinkelse, 90-persentil (dager)',
  waiverRate: 'Andel frafalt',
  // Milestones
  reached90: 'Nådd dag 90',
  completeRate90: 'Andel fullført ved dag 90',
  reached182: 'Nådd dag 182',
  completeRate182: 'Andel fullført ved dag 182',
  reached365: 'Nådd dag 365',
  completeRate365: 'Andel fullført ved dag 365',
  firstContactMedianDays: 'Dager til første kontakt, median',
  firstVisitMedianDays: 'Dager til første besøk, median',
  firstVisitWithin7Rate: 'Andel første besøk innen 7 dager',
  // Statutory compliance
  followUpCompliant: 'Nok oppfølgingsbesøk',
  followUpRate: 'Andel nok oppfølgingsbesøk',
  supervisionCompliant: 'Nok tilsynsbesøk',
  supervisionRate: 'Andel nok tilsynsbesøk',
  // Follow-up
  childVoiceVisits: 'Besøk med samtale med barnet',
  childVoiceTalks: 'Samtaler med barnet',
  childVoiceWaived: 'Samtaler med barnet frafalt',
  childVoiceRate: 'Andel besøk med samtale',
  carePlanDue: 'Omsorgsplan forfalt',
  carePlanMet: 'Omsorgsplan i tide',
  carePlanWaived: 'Omsorgsplan frafalt',
  carePlanRate: 'Andel omsorgsplan i tide',
  fosterFamilyPlanDue: 'Oppfølgingsplan fosterfamilie forfalt',
  fosterFamilyPlanMet: 'Oppfølgingsplan fosterfamilie i tide',
  fosterFamilyPlanWaived: 'Oppfølgingsplan fosterfamilie frafalt',
  fosterFamilyPlanRate: 'Andel oppfølgingsplan fosterfamilie i tide',
  agreementDue: 'Fosterhjemsavtale forfalt',
  agreementMet: 'Fosterhjemsavtale i tide',
  agreementWaived: 'Fosterhjemsavtale frafalt',
  agreementRate: 'Andel fosterhjemsavtale i tide',
  parentOfferDue: 'Tilbud til foreldrene forfalt',
  parentOfferMet: 'Tilbud til foreldrene i tide',
  parentOfferWaived: 'Tilbud til foreldrene frafalt',
  parentOfferRate: 'Andel tilbud til foreldrene i tide',
  parentPlanDue: 'Plan for foreldrene forfalt',
  parentPlanMet: 'Plan for foreldrene i tide',
  parentPlanWaived: 'Plan for foreldrene frafalt',
  parentPlanRate: 'Andel plan for foreldrene i tide',
  supervisorDue: 'Tilsynsfører oppnevnt forfalt',
  supervisorMet: 'Tilsynsfører oppnevnt i tide',
  supervisorWaived: 'Tilsynsfører oppnevnt frafalt',
  supervisorRate: 'Andel tilsynsfører oppnevnt i tide',
  supervisionReportsDue: 'Tilsynsrapporter forfalt',
  supervisionReportsMet: 'Tilsynsrapporter vurdert i tide',
  supervisionReportsWaived: 'Tilsynsrapporter frafalt',
  supervisionReportsRate: 'Andel tilsynsrapporter vurdert i tide',
  guidance90Scheduled: 'Veiledning planlagt til dag 90',
  guidance90Held: 'Veiledning holdt til dag 90',
  guidance90Waived: 'Veiledning frafalt til dag 90',
  guidance90Dose: 'Andel veiledning holdt til dag 90',
  guidance365Scheduled: 'Veiledning planlagt første år',
  guidance365Held: 'Veiledning holdt første år',
  guidance365Waived: 'Veiledning frafalt første år',
  guidance365Dose: 'Andel veiledning holdt første år',
  breakdowns: 'Brudd innen 12 måneder',
  breakdownRate: 'Andel brudd',
  caseworkerChanged: 'Plasseringer med byttet saksbehandler',
  caseworkerChanges: 'Saksbehandlerbytter',
  caseworkerChangeRate: 'Andel med byttet saksbehandler',
  // The statutory risk list
  placementId: 'Plassering',
  caseNumber: 'Saksnummer',
  year: 'År',
  kind: 'Besøk',
  required: 'Påkrevd',
  remaining: 'Gjenstår',
  plannedAhead: 'Planlagt resten av året',
  saveBy: 'Siste frist for å rekke det',
  level: 'Nivå',
  // The council report (apps/api/council-reports)
  municipalityNumber: 'Kommunenummer',
  section: 'Del',
  measure: 'Tall',
  current: 'Rapportåret',
  previous: 'Året før',
  change: 'Endring',
  suppressedPrevious: 'Skjult året før (små tall)',
  // The statutory status of every placement (GET /api/statutory-status)
  municipality: 'Kommune',
  phase: 'Fase',
  endedOn: 'Avsluttet',
  status: 'Status',
  planned: 'Planlagt i året',
  nextDue: 'Neste besøk',
};

/** A placement's phase and a duty's status in the status list, in bokmål. */
export const PHASE_LABEL: Readonly<Record<string, string>> = {
  pakke: 'Omsorgspakken',
  ordinaer: 'Ordinær oppfølging',
};
export const STANDING_LABEL: Readonly<Record<string, string>> = {
  bak: 'Bak',
  'i-fare': 'I fare',
  'i-rute': 'I rute',
  fullfort: 'Fullført',
};

/** A breakdown in a file name. */
const BREAKDOWN_IN_NAME: Readonly<Record<Breakdown, string>> = {
  total: 'totalt',
  network: 'etter-nettverk',
  service: 'etter-tjeneste',
  municipality: 'etter-kommune',
  track: 'etter-spor',
  step: 'etter-steg',
  placementType: 'etter-plasseringstype',
  month: 'etter-maaned',
};

/** A field as a Norwegian spreadsheet reads it: decimal comma, ja/nei. */
function nbValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  if (typeof value === 'boolean') return value ? 'ja' : 'nei';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Lines as CSV for nb-NO spreadsheets, with the bokmål header of each column. */
export function nbCsv(lines: readonly object[], columns: readonly string[]): string {
  const header = (key: string) => {
    const text = CSV_HEADERS[key];
    if (text === undefined) throw new Error(`CSV column ${key} has no bokmål header`);
    return text;
  };
  const records = lines.map((line) =>
    Object.fromEntries(columns.map((c, i) => [`c${i}`, nbValue((line as Record<string, unknown>)[c])])),
  );
  return stringify(records, {
    bom: true,
    delimiter: ';',
    record_delimiter: 'windows',
    header: true,
    columns: columns.map((c, i) => ({ key: `c${i}`, header: header(c) })),
  });
}

const CELL = ['key', 'label', 'suppressed', 'placements'] as const;

/**
 * Each report's columns, in the order of its cell in the OpenAPI document (a test holds them equal): a
 * report whose every cell is hidden still has its figures' columns, empty.
 */
export const REPORT_COLUMNS = {
  adherence: [
    ...CELL,
    ...['due', 'waived', 'completed', 'onTime', 'onTimeRate', 'completionRate', 'overdue', 'overdue1to7'],
    ...['overdue8to30', 'overdueOver30', 'latenessMedianDays', 'latenessP90Days', 'waiverRate'],
  ],
  milestones: [
    ...CELL,
    ...['reached90', 'completeRate90', 'reached182', 'completeRate182', 'reached365', 'completeRate365'],
    ...['firstContactMedianDays', 'firstVisitMedianDays', 'firstVisitWithin7Rate'],
  ],
  statutoryCompliance: [
    ...CELL,
    'followUpCompliant',
    'followUpRate',
    'supervisionCompliant',
    'supervisionRate',
  ],
  followup: [
    ...CELL,
    ...['childVoiceVisits', 'childVoiceTalks', 'childVoiceWaived', 'childVoiceRate'],
    ...['carePlanDue', 'carePlanMet', 'carePlanWaived', 'carePlanRate'],
    ...['fosterFamilyPlanDue', 'fosterFamilyPlanMet', 'fosterFamilyPlanWaived', 'fosterFamilyPlanRate'],
    ...['agreementDue', 'agreementMet', 'agreementWaived', 'agreementRate'],
    ...['parentOfferDue', 'parentOfferMet', 'parentOfferWaived', 'parentOfferRate'],
    ...['parentPlanDue', 'parentPlanMet', 'parentPlanWaived', 'parentPlanRate'],
    ...['supervisorDue', 'supervisorMet', 'supervisorWaived', 'supervisorRate'],
    ...[
      'supervisionReportsDue',
      'supervisionReportsMet',
      'supervisionReportsWaived',
      'supervisionReportsRate',
    ],
    ...['guidance90Scheduled', 'guidance90Held', 'guidance90Waived', 'guidance90Dose'],
    ...['guidance365Scheduled', 'guidance365Held', 'guidance365Waived', 'guidance365Dose'],
    ...['reached365', 'breakdowns', 'breakdownRate', 'reached182', 'caseworkerChanged', 'caseworkerChanges'],
    'caseworkerChangeRate',
  ],
} as const satisfies Record<string, readonly string[]>;

/** A report as CSV: one line per cell, the total last; hidden cells have empty figures. */
export function reportCsv(
  report: { rows: readonly object[]; total: object },
  columns: readonly string[],
): string {
  return nbCsv([...report.rows, report.total], columns);
}

/** The risk list's columns in CSV. */
const RISK_COLUMNS: (keyof StatutoryRiskDto)[] = [
  'placementId',
  'year',
  'kind',
  'required',
  'completed',
  'waived',
  'remaining',
  'plannedAhead',
  'overdue',
  'saveBy',
  'level',
];

/** The statutory risk list as CSV: one line per placement and kind of visit, a header when empty too. */
export function riskCsv(risks: readonly StatutoryRiskDto[]): string {
  const lines = risks.map((r) => ({
    ...r,
    kind: LEDGER_KIND_LABEL[r.kind] ?? r.kind,
    level: RISK_LEVEL_LABEL[r.level] ?? r.level,
  }));
  return nbCsv(lines, RISK_COLUMNS);
}

/** The status list's columns in CSV (no case number: the CSV carries no personal data). */
const STATUS_COLUMNS = [
  'placementId',
  'municipality',
  'phase',
  'endedOn',
  'year',
  'kind',
  'status',
  'required',
  'completed',
  'planned',
  'waived',
  'remaining',
  'plannedAhead',
  'overdue',
  'nextDue',
  'saveBy',
  'level',
] as const;

/** The statutory status list as CSV: one line per placement and duty, a header when empty too. */
export function statusCsv(
  year: number,
  rows: readonly {
    placementId: string;
    municipality: string | null;
    phase: string;
    endedOn: string | null;
    duties: readonly { kind: string; status: string; level?: string }[];
  }[],
): string {
  const lines = rows.flatMap(({ duties, ...placement }) =>
    duties.map((d) => ({
      ...placement,
      ...d,
      year,
      phase: PHASE_LABEL[placement.phase] ?? placement.phase,
      kind: LEDGER_KIND_LABEL[d.kind] ?? d.kind,
      status: STANDING_LABEL[d.status] ?? d.status,
      level: d.level ? (RISK_LEVEL_LABEL[d.level] ?? d.level) : '',
    })),
  );
  return nbCsv(lines, STATUS_COLUMNS);
}

/** A breakdown as a file name says it (etter-tjeneste). */
export const breakdownInName = (by: string): string =>
  (BREAKDOWN_IN_NAME as Readonly<Record<string, string>>)[by] ?? `etter-${by}`;

/** `<what>-<breakdown>-<from>-til-<to>-per-<report date>.csv`: what, over which period, counted when. */
export function periodFileName(
  what: string,
  report: { by: string; from: string; to: string; reportDate: string },
): string {
  return `${what}-${breakdownInName(report.by)}-${report.from}-til-${report.to}-per-${report.reportDate}.csv`;
}
