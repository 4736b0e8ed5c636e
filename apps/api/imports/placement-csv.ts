import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { isIsoDate } from '../../../libs/domain/calendar/dates.js';
import { legalBasisOf, PLACEMENT_TYPES } from '../../../libs/domain/vocabulary.js';
import { textProblem } from '../common/input-text.js';
import { ProblemException, type FieldError } from '../common/problem.js';

/*
 * The bulk import's file: a CSV of a service's existing placements, one row a registration. No names and
 * no national id numbers: the child is identified by the service's own case number, as in the
 * registration form. Parsing and the row → registration mapping are pure (placement-csv.spec.ts); the
 * registration itself is PlacementCommandsService's, as for POST /api/placements.
 */

/** At most this many rows a file (a service's whole caseload fits; a bigger one is split). */
export const MAX_ROWS = 5_000;
/** At most this many bytes a file (5,000 rows of some 200 bytes, with room). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The columns, in the order of the sample file. `required`: the column must be in the header. */
export const COLUMNS = [
  { name: 'radnøkkel', required: true, field: 'radnøkkel' },
  { name: 'kommunenummer', required: true, field: 'municipalityId' },
  { name: 'saksnummer', required: true, field: 'caseNumber' },
  { name: 'plasseringsdato', required: true, field: 'facts.placementDate' },
  { name: 'plasseringstype', required: true, field: 'facts.placementType' },
  { name: 'hjemmel', required: false, field: 'facts.legalBasis' },
  { name: 'barnets_alder', required: true, field: 'facts.childAgeYears' },
  { name: 'samvær', required: true, field: 'facts.samvaer' },
  { name: 'foreldre_kan_nås', required: true, field: 'facts.parentsReachable' },
  { name: 'i_skole_eller_barnehage', required: true, field: 'facts.inSchoolOrKindergarten' },
  { name: 'hjelp_fra_bufetat', required: true, field: 'facts.bufetatHelp' },
  { name: 'beredskapshjem', required: true, field: 'facts.beredskapshjem' },
  { name: 'katalogversjon', required: false, field: 'catalogVersion' },
  { name: 'oppfølging', required: false, field: 'followUp' },
  { name: 'oppfølgingsbesøk_i_år', required: false, field: 'oppfolgingsbesok' },
  { name: 'tilsynsbesøk_i_år', required: false, field: 'tilsynsbesok' },
] as const;

export type ColumnName = (typeof COLUMNS)[number]['name'];

/** The report's own columns (REPORT_COLUMNS): ignored when a report is uploaded again. */
export const REPORT_COLUMNS = ['resultat', 'plassering', 'feil'] as const;

const COLUMN_NAMES = new Set<string>(COLUMNS.map((c) => c.name));
const IGNORED = new Set<string>(REPORT_COLUMNS);

/** The registration body's field (as its problem+json names it) → the column that gave it. */
const COLUMN_OF_FIELD: ReadonlyMap<string, ColumnName> = new Map(COLUMNS.map((c) => [c.field, c.name]));

export interface CsvRow {
  /** The line in the file where the row starts (the header is line 1). */
  readonly line: number;
  /** The row's cells by column name (only the columns of COLUMNS; trimmed). */
  readonly cells: Readonly<Partial<Record<ColumnName, string>>>;
  /** Every cell as it came, in the header's order (for the report CSV). */
  readonly raw: readonly string[];
  /** A row with another number of cells than the header: refused as it is. */
  readonly cellCountError?: FieldError;
}

export interface ParsedFile {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

const fileFault = (status: number, detail: string, errors?: FieldError[]) =>
  new ProblemException(status, detail, errors);

/** A column name of the file as a problem names it: cut short, and never with control characters. */
const echoed = (name: string) =>
  name === '' ? '(tom)' : textProblem(name, false) ? '(ukjent kolonne)' : name.slice(0, 60);

/** `;` (Norwegian Excel) or `,`: whichever the header line has more of, outside quotes. */
export function delimiterOf(text: string): ';' | ',' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  return count(',') > count(';') ? ',' : ';';
}

/**
 * Parses the file: 422 for what makes the whole file unusable (not UTF-8, not CSV, an unknown or missing
 * column, no rows), 413 for too many rows. A row's own faults are the row's (see `toRegistration`).
 */
export function parsePlacementCsv(input: string): ParsedFile {
  const text = input.replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD'))
    throw fileFault(422, 'Filen er ikke UTF-8. Lagre den som «CSV UTF-8» og last den opp på nytt.', [
      { field: 'fil', reason: 'må være UTF-8' },
    ]);
  if (text.trim() === '')
    throw fileFault(422, 'Filen er tom.', [{ field: 'fil', reason: 'har ingen overskrift og ingen rader' }]);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw fileFault(
      422,
      `Filen er ikke gyldig CSV${typeof line === 'number' ? ` (linje ${line})` : ''}: sjekk anførselstegnene.`,
      [{ field: 'fil', reason: 'er ikke gyldig CSV' }],
    );
  }
  const [head, ...body] = records;
  const header = (head?.record ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !COLUMN_NAMES.has(h) && !IGNORED.has(h));
  const missing = COLUMNS.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0 || missing.length > 0 || twice.length > 0)
    throw fileFault(422, 'Kolonnene i filen stemmer ikke med importformatet.', [
      ...unknown.map((h) => ({ field: echoed(h), reason: 'er ikke en kolonne i importen' })),
      ...missing.map((h) => ({ field: h, reason: 'mangler i overskriften' })),
      ...twice.map((h) => ({ field: h, reason: 'står to ganger i overskriften' })),
    ]);
  const rows = body.filter((r) => r.record.some((cell) => cell !== ''));
  if (rows.length === 0)
    throw fileFault(422, 'Filen har ingen rader.', [{ field: 'fil', reason: 'har bare overskriften' }]);
  if (rows.length > MAX_ROWS)
    throw fileFault(413, `Filen har ${rows.length} rader; høyst ${MAX_ROWS} kan importeres om gangen.`, [
      { field: 'fil', reason: `har flere enn ${MAX_ROWS} rader: del den opp` },
    ]);
  let previousEnd = head?.info.lines ?? 1;
  return {
    header,
    rows: rows.map(({ record, info }) => {
      const line = previousEnd + 1;
      previousEnd = info.lines;
      const cells: Partial<Record<ColumnName, string>> = {};
      header.forEach((h, i) => {
        if (COLUMN_NAMES.has(h)) cells[h as ColumnName] = record[i] ?? '';
      });
      return {
        line,
        cells,
        raw: record,
        ...(record.length !== header.length
          ? {
              cellCountError: {
                field: 'rad',
                reason: `har ${record.length} celler, overskriften har ${header.length}`,
              },
            }
          : {}),
      };
    }),
  };
}

// --- One row → one registration -------------------------------------------------------------------

const YES = new Set(['ja', 'j', 'true', '1', 'x']);
const NO = new Set(['nei', 'n', 'false', '0', '']);

/** ja/nei (also true/false, 1/0); an empty cell is nei. */
function yesNo(value: string | undefined): boolean | string {
  const v = (value ?? '').toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return v;
}

/** YYYY-MM-DD, or DD.MM.YYYY as Norwegian spreadsheets write it; anything else stays as it is. */
export function isoDateOf(value: string): string {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
}

/** Dates in one cell, separated by `|`, `;` or `,` (a `;` inside a `;`-file must be quoted). */
function datesOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[|;,]/)
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map(isoDateOf);
}

const FOLLOW_UPS: Readonly<Record<string, 'package' | 'ordinary'>> = {
  '': 'package',
  pakke: 'package',
  ordinær: 'ordinary',
  ordinaer: 'ordinary',
};

export interface VisitsDone {
  readonly oppfolgingsbesok: readonly string[];
  readonly tilsynsbesok: readonly string[];
}

/**
 * THE CONTRACT WITH THE ORDINARY-FOLLOW-UP BRANCH (i16-ordinary), kept in this one function.
 *
 * The registration body gets `followUp: 'package' | 'ordinary'` (default 'package') and, for 'ordinary',
 * `doneThisYear: [{ kind: 'oppfolgingsbesok' | 'tilsynsbesok', on: 'YYYY-MM-DD' }]`. A row in ordinary
 * follow-up sends both; a package row sends neither (the default) and records the visits done as the
 * package's own completed steps (`completedBefore`, validated against its plan like the form's).
 * Until that branch is merged RegisterPlacementDto has no `followUp`: an ordinary row is refused by
 * the registration's own validation (the column «oppfølging», «ukjent felt»). After the merge nothing
 * here changes: the fields pass through.
 *
 * `sources` names, for each entry of the list it returns, the column it came from (for error messages).
 */
export function followUpFields(
  followUp: 'package' | 'ordinary',
  visits: VisitsDone,
): {
  readonly body:
    | { followUp: 'ordinary'; doneThisYear: { kind: 'oppfolgingsbesok' | 'tilsynsbesok'; on: string }[] }
    | { completedBefore: { stepId: string; completedOn: string }[] }
    | Record<string, never>;
  readonly sources: readonly ColumnName[];
} {
  const entries = [
    ...visits.oppfolgingsbesok.map((on) => ({ kind: 'oppfolgingsbesok' as const, on })),
    ...visits.tilsynsbesok.map((on) => ({ kind: 'tilsynsbesok' as const, on })),
  ];
  const sources = entries.map((e) =>
    e.kind === 'oppfolgingsbesok' ? 'oppfølgingsbesøk_i_år' : 'tilsynsbesøk_i_år',
  ) as ColumnName[];
  if (followUp === 'ordinary') return { body: { followUp: 'ordinary', doneThisYear: entries }, sources };
  if (entries.length === 0) return { body: {}, sources };
  return {
    body: { completedBefore: entries.map((e) => ({ stepId: e.kind, completedOn: e.on })) },
    sources,
  };
}

export interface RowMapping {
  /** The registration body, as POST /api/placements takes it (validated there, not here). */
  readonly body: Record<string, unknown>;
  /** What this mapping found wrong itself (a cell the body cannot carry), by column. */
  readonly errors: readonly FieldError[];
  /** The column of each entry of the body's visit list (completedBefore or doneThisYear). */
  readonly visitSources: readonly ColumnName[];
}

/**
 * One row as a registration body. `municipalities` maps kommunenummer → municipality id (every
 * municipality: whether the caller's service acts for it is the registration's to decide);
 * `defaultCatalog` is the newest catalog version.
 */
export function toRegistration(
  cells: CsvRow['cells'],
  municipalities: ReadonlyMap<string, string>,
  defaultCatalog: string,
): RowMapping {
  const errors: FieldError[] = [];
  for (const [column, value] of Object.entries(cells)) {
    const reason = textProblem(value, false);
    if (reason) errors.push({ field: column, reason });
  }
  const cell = (c: ColumnName) => (cells[c] ?? '').trim();

  const number = cell('kommunenummer');
  const municipalityId = /^\d{4}$/.test(number) ? municipalities.get(number) : undefined;
  if (municipalityId === undefined)
    errors.push({
      field: 'kommunenummer',
      reason: number === '' ? 'mangler' : 'er ikke et kjent kommunenummer (fire sifre)',
    });

  const type = cell('plasseringstype').toLowerCase();
  const basis = cell('hjemmel').toLowerCase();
  const dictated = (PLACEMENT_TYPES as readonly string[]).includes(type)
    ? legalBasisOf(type as (typeof PLACEMENT_TYPES)[number])
    : null;

  const age = cell('barnets_alder');
  const childAgeYears = /^-?\d+$/.test(age) ? Number(age) : age === '' ? undefined : age;

  const facts: Record<string, unknown> = {
    placementType: type === '' ? undefined : type,
    legalBasis: basis === '' ? (dictated ?? undefined) : basis,
    placementDate: cell('plasseringsdato') === '' ? undefined : isoDateOf(cell('plasseringsdato')),
    childAgeYears,
  };
  const booleans = [
    ['samvær', 'samvaer'],
    ['foreldre_kan_nås', 'parentsReachable'],
    ['i_skole_eller_barnehage', 'inSchoolOrKindergarten'],
    ['hjelp_fra_bufetat', 'bufetatHelp'],
    ['beredskapshjem', 'beredskapshjem'],
  ] as const;
  for (const [column, field] of booleans) {
    const value = yesNo(cells[column]);
    if (typeof value === 'string') errors.push({ field: column, reason: 'må være ja eller nei' });
    else facts[field] = value;
  }

  const followUp = FOLLOW_UPS[cell('oppfølging').toLowerCase()];
  if (followUp === undefined) errors.push({ field: 'oppfølging', reason: 'må være pakke eller ordinær' });
  const visits: VisitsDone = {
    oppfolgingsbesok: datesOf(cells['oppfølgingsbesøk_i_år']),
    tilsynsbesok: datesOf(cells['tilsynsbesøk_i_år']),
  };
  for (const [column, dates] of [
    ['oppfølgingsbesøk_i_år', visits.oppfolgingsbesok],
    ['tilsynsbesøk_i_år', visits.tilsynsbesok],
  ] as const)
    if (dates.some((d) => !isIsoDate(d)))
      errors.push({ field: column, reason: 'må være datoer (ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ) skilt med |' });
  const extra = followUpFields(followUp ?? 'package', visits);

  const caseNumber = cell('saksnummer');
  if (caseNumber === '') errors.push({ field: 'saksnummer', reason: 'mangler' });

  const body: Record<string, unknown> = {
    municipalityId: municipalityId ?? '00000000-0000-0000-0000-000000000000',
    facts: Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)),
    catalogVersion: cell('katalogversjon') || defaultCatalog,
    ...(caseNumber !== '' ? { caseNumber } : {}),
    ...extra.body,
  };
  return { body, errors, visitSources: extra.sources };
}

/**
 * A field of the registration's problem+json (`facts.placementDate`, `completedBefore.2.completedOn`,
 * `followUp`) as the column of the file that gave it; a field no column gave stays as it is.
 */
export function columnOf(field: string, visitSources: readonly ColumnName[]): string {
  const direct = COLUMN_OF_FIELD.get(field);
  if (direct) return direct;
  // The row key stands for the route's Idempotency-Key (e.g. the key with another case number: 422).
  if (field === 'Idempotency-Key') return 'radnøkkel';
  const visit = /^(?:completedBefore|doneThisYear)\.(\d+)(?:\.|$)/.exec(field);
  if (visit) return visitSources[Number(visit[1])] ?? field;
  if (field.startsWith('facts.') || field === 'facts') return 'rad';
  return field;
}

/**
 * Merges the row's own errors with the registration's: one column named once by the mapping is not
 * named again by the registration (which saw only a stand-in value).
 */
export function rowErrors(
  own: readonly FieldError[],
  registration: readonly FieldError[],
  visitSources: readonly ColumnName[],
): FieldError[] {
  const named = new Set(own.map((e) => e.field));
  const theirs = registration
    .map((e) => ({ field: columnOf(e.field, visitSources), reason: e.reason }))
    .filter((e) => !named.has(e.field));
  const seen = new Set<string>();
  return [...own, ...theirs].filter((e) => {
    const key = `${e.field}|${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// --- The report as CSV ----------------------------------------------------------------------------

/**
 * A cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return first) is written
 * with an apostrophe before it (OWASP, CSV injection): the report repeats what the file said.
 */
export function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export interface ReportLine {
  readonly raw: readonly string[];
  readonly outcome: string;
  readonly placementId?: string;
  readonly errors: readonly FieldError[];
}

/**
 * The report as CSV for nb-NO spreadsheets (semicolons, UTF-8 with a byte-order mark, CRLF): the
 * file's own columns as they came, then resultat, plassering and feil. Uploaded again, the report's
 * columns are ignored and every row already registered answers «allerede registrert».
 */
export function reportCsv(header: readonly string[], lines: readonly ReportLine[]): string {
  const own = header.filter((h) => !IGNORED.has(h));
  const ownIndex = own.map((h) => header.indexOf(h));
  return stringify(
    [
      [...own, ...REPORT_COLUMNS],
      ...lines.map((l) => [
        ...ownIndex.map((i) => l.raw[i] ?? ''),
        l.outcome,
        l.placementId ?? '',
        l.errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
      ]),
    ].map((record) => record.map((c) => neutralised(c))),
    { bom: true, delimiter: ';', record_delimiter: 'windows' },
  );
}
