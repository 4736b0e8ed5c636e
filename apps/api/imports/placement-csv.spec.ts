import { parse } from 'csv-parse/sync';
import { ProblemException } from '../common/problem.js';
import {
  columnOf,
  COLUMNS,
  followUpFields,
  MAX_ROWS,
  neutralised,
  parsePlacementCsv,
  reportCsv,
  toRegistration,
} from './placement-csv.js';

const HEADER = COLUMNS.map((c) => c.name);
const MUNICIPALITIES = new Map([['9901', 'm-nordby']]);
const row = (over: Partial<Record<(typeof HEADER)[number], string>> = {}) => {
  const base: Record<string, string> = {
    radnøkkel: 'r1',
    kommunenummer: '9901',
    saksnummer: '2026/1',
    plasseringsdato: '2026-06-01',
    plasseringstype: 'omsorgsovertakelse',
    hjemmel: '',
    barnets_alder: '7',
    samvær: 'ja',
    foreldre_kan_nås: 'ja',
    i_skole_eller_barnehage: 'nei',
    hjelp_fra_bufetat: 'nei',
    beredskapshjem: 'nei',
    katalogversjon: '',
    oppfølging: '',
    oppfølgingsbesøk_i_år: '',
    tilsynsbesøk_i_år: '',
    ...over,
  };
  return HEADER.map((h) => base[h] ?? '');
};
const file = (rows: string[][], delimiter = ';') =>
  [HEADER, ...rows].map((r) => r.map((c) => (/[;,"\n]/.test(c) ? `"${c}"` : c)).join(delimiter)).join('\r\n');

function problemOf(fn: () => unknown): ProblemException {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('no problem thrown');
}

describe('the placement import file', () => {
  it('reads `;` and `,` files, with or without a byte-order mark, Norwegian letters intact', () => {
    for (const text of [file([row()]), `\uFEFF${file([row()])}`, file([row()], ',')]) {
      const parsed = parsePlacementCsv(text);
      expect(parsed.header).toEqual(HEADER);
      expect(parsed.rows).toHaveLength(1);
      expect(parsed.rows[0].cells['foreldre_kan_nås']).toBe('ja');
      expect(parsed.rows[0].line).toBe(2);
    }
  });

  it('refuses the whole file for file-level faults, naming them', () => {
    const unknown = problemOf(() => parsePlacementCsv(`${HEADER.join(';')};navn\r\n${row().join(';')};x`));
    expect(unknown.getStatus()).toBe(422);
    expect(unknown.errors).toEqual([{ field: 'navn', reason: 'er ikke en kolonne i importen' }]);
    const missing = problemOf(() => parsePlacementCsv('radnøkkel;kommunenummer\r\nr1;9901'));
    expect(missing.errors).toContainEqual({ field: 'saksnummer', reason: 'mangler i overskriften' });
    expect(problemOf(() => parsePlacementCsv('')).getStatus()).toBe(422);
    expect(problemOf(() => parsePlacementCsv(HEADER.join(';'))).message).toBe('Filen har ingen rader.');
    expect(problemOf(() => parsePlacementCsv(`${HEADER.join(';')}\r\n"r1;9901`)).getStatus()).toBe(422);
    expect(problemOf(() => parsePlacementCsv(`${HEADER.join(';')}\r\nr\uFFFDd`)).message).toContain('UTF-8');
    const many = problemOf(() => parsePlacementCsv(file(Array.from({ length: MAX_ROWS + 1 }, () => row()))));
    expect(many.getStatus()).toBe(413);
  });

  it('keeps a row with another number of cells as the row’s own fault', () => {
    const parsed = parsePlacementCsv(`${HEADER.join(';')}\r\n${row().join(';')}\r\nr2;9901`);
    expect(parsed.rows[0].cellCountError).toBeUndefined();
    expect(parsed.rows[1].cellCountError).toEqual({
      field: 'rad',
      reason: 'har 2 celler, overskriften har 16',
    });
    expect(parsed.rows[1].line).toBe(3);
  });

  it('maps a row to the registration body; dd.mm.yyyy, ja/nei and the dictated legal basis', () => {
    const [r] = parsePlacementCsv(file([row({ plasseringsdato: '01.06.2026', samvær: 'Ja' })])).rows;
    const mapped = toRegistration(r.cells, MUNICIPALITIES, '2026.1');
    expect(mapped.errors).toEqual([]);
    expect(mapped.body).toEqual({
      municipalityId: 'm-nordby',
      caseNumber: '2026/1',
      catalogVersion: '2026.1',
      facts: {
        placementType: 'omsorgsovertakelse',
        legalBasis: 'omsorgsovertakelse',
        placementDate: '2026-06-01',
        childAgeYears: 7,
        samvaer: true,
        parentsReachable: true,
        inSchoolOrKindergarten: false,
        bufetatHelp: false,
        beredskapshjem: false,
      },
    });
  });

  it('names the column of what it cannot read, and of what the registration refuses', () => {
    const [r] = parsePlacementCsv(
      file([row({ kommunenummer: '1234', samvær: 'kanskje', oppfølging: 'annen', saksnummer: '' })]),
    ).rows;
    const mapped = toRegistration(r.cells, MUNICIPALITIES, '2026.1');
    expect(mapped.errors).toEqual([
      { field: 'kommunenummer', reason: 'er ikke et kjent kommunenummer (fire sifre)' },
      { field: 'samvær', reason: 'må være ja eller nei' },
      { field: 'oppfølging', reason: 'må være pakke eller ordinær' },
      { field: 'saksnummer', reason: 'mangler' },
    ]);
    expect(columnOf('facts.placementDate', [])).toBe('plasseringsdato');
    expect(columnOf('completedBefore.1.completedOn', ['oppfølgingsbesøk_i_år', 'tilsynsbesøk_i_år'])).toBe(
      'tilsynsbesøk_i_år',
    );
    expect(columnOf('followUp', [])).toBe('oppfølging');
    expect(columnOf('Idempotency-Key', [])).toBe('radnøkkel');
  });

  it('sends ordinary follow-up with this year’s visits (the contract with the ordinary branch)', () => {
    const [r] = parsePlacementCsv(
      file([
        row({
          plasseringsdato: '2019-03-01',
          oppfølging: 'ordinær',
          oppfølgingsbesøk_i_år: '2026-02-01|15.05.2026',
          tilsynsbesøk_i_år: '2026-03-01',
        }),
      ]),
    ).rows;
    const mapped = toRegistration(r.cells, MUNICIPALITIES, '2026.1');
    expect(mapped.errors).toEqual([]);
    expect(mapped.body).toMatchObject({
      followUp: 'ordinary',
      doneThisYear: [
        { kind: 'oppfolgingsbesok', on: '2026-02-01' },
        { kind: 'oppfolgingsbesok', on: '2026-05-15' },
        { kind: 'tilsynsbesok', on: '2026-03-01' },
      ],
    });
    expect(mapped.body).not.toHaveProperty('completedBefore');
    expect(mapped.visitSources).toEqual([
      'oppfølgingsbesøk_i_år',
      'oppfølgingsbesøk_i_år',
      'tilsynsbesøk_i_år',
    ]);
    // A package (the default) sends neither field: its visits are the package's completed steps.
    expect(followUpFields('package', { oppfolgingsbesok: ['2026-02-01'], tilsynsbesok: [] }).body).toEqual({
      completedBefore: [{ stepId: 'oppfolgingsbesok', completedOn: '2026-02-01' }],
    });
    expect(followUpFields('package', { oppfolgingsbesok: [], tilsynsbesok: [] }).body).toEqual({});
    expect(followUpFields('ordinary', { oppfolgingsbesok: [], tilsynsbesok: [] }).body).toEqual({
      followUp: 'ordinary',
      doneThisYear: [],
    });
  });

  it('writes the report for nb-NO spreadsheets, a formula in a cell neutralised', () => {
    expect(['=1+1', '+47', '-2', '@SUM(A1)', '\tx', 'ok', 'Øst'].map(neutralised)).toEqual([
      "'=1+1",
      "'+47",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      'ok',
      'Øst',
    ]);
    const text = reportCsv(
      ['radnøkkel', 'saksnummer', 'feil'],
      [
        {
          raw: ['=HYPERLINK("x")', 'Ærlig/1', 'gammel'],
          outcome: 'avvist',
          errors: [{ field: 'saksnummer', reason: 'har ugyldig format' }],
        },
      ],
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parse(text.slice(1), { delimiter: ';' });
    expect(records).toEqual([
      ['radnøkkel', 'saksnummer', 'resultat', 'plassering', 'feil'],
      ['\'=HYPERLINK("x")', 'Ærlig/1', 'avvist', '', 'saksnummer: har ugyldig format'],
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
  });
});
