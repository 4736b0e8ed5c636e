import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { bodyOf, startTestApi, type TestApi } from '../support/api.js';
import { daysFromToday, importCsv, importRow } from '../support/import-csv.js';

/*
 * The bulk import of existing placements (POST /api/imports/placements) against real PostgreSQL, with
 * the engine unreachable: the file-level refusals, each row's refusal with its column and reason (the
 * registration's own checks, before any workflow), the report as JSON and CSV, and that a refused row
 * changes nothing. Rows that register (applied, repeated, a crash half-way) are in test/e2e/imports.spec.ts.
 */
type Report = {
  counts: Record<string, number>;
  rows: {
    line: number;
    key: string;
    status: string;
    placementId?: string;
    errors?: { field: string; reason: string }[];
  }[];
  rejectedCsv: string;
};
type Problem = { status: number; detail: string; errors?: { field: string; reason: string }[] };

describe('placement import (real PostgreSQL, engine unreachable)', () => {
  let api: TestApi;
  const upload = async (text: string, options: { userId?: string; accept?: string; type?: string } = {}) =>
    request(api.server)
      .post('/api/imports/placements')
      .set('Authorization', `Bearer ${await api.token(options.userId ?? 'demo-kontaktperson')}`)
      .set('Content-Type', options.type ?? 'text/csv; charset=utf-8')
      .set('Accept', options.accept ?? 'application/json')
      .send(text);
  /** What a refused row must not leave behind: events, case numbers, access log rows of the import. */
  const traces = async () => {
    const [row] = await api.db.dataSource.query<{ events: number; numbers: number; logged: number }[]>(
      `SELECT (SELECT count(*)::int FROM events) AS events,
              (SELECT count(*)::int FROM placement_case_numbers) AS numbers,
              (SELECT count(*)::int FROM access_log
                WHERE action = 'POST /api/imports/placements' AND outcome = 'allowed') AS logged`,
    );
    return row;
  };

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
  });
  afterAll(() => api?.close());

  it('refuses a file that is not a usable CSV as a whole, naming why', async () => {
    const unknown = await upload(importCsv([importRow('r1', 'A/1')], { columns: ['radnøkkel', 'navn'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.type).toBe('application/problem+json');
    const problem = bodyOf<Problem>(unknown);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'navn', reason: 'er ikke en kolonne i importen' },
        { field: 'kommunenummer', reason: 'mangler i overskriften' },
      ]),
    );
    expect((await upload('')).status).toBe(422);
    expect(bodyOf<Problem>(await upload('radnøkkel;kommunenummer\r\n"r1;9901\r\n')).detail).toMatch(
      /^Filen er ikke gyldig CSV/,
    );
    const json = await request(api.server)
      .post('/api/imports/placements')
      .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
      .send({ rows: [] });
    expect(json.status).toBe(415);
    // A method the route does not take is 405, a CSV body or not (found by Schemathesis).
    const put = await request(api.server)
      .put('/api/imports/placements')
      .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
      .set('Content-Type', 'text/csv')
      .send(importCsv([importRow('r1', 'A/1')]));
    expect(`${put.status} ${put.headers.allow}`).toBe('405 POST');
    const many = await upload(
      importCsv(Array.from({ length: 5_001 }, (_, i) => importRow(`r${i}`, `A/${i}`))),
    );
    expect(many.status).toBe(413);
    expect(bodyOf<Problem>(many).detail).toBe('Filen har 5001 rader; høyst 5000 kan importeres om gangen.');
    const huge = await upload(`${importCsv([importRow('r1', 'A/1')])}${'x'.repeat(2 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    expect(bodyOf<Problem>(huge).detail).toBe('Filen er for stor: høyst 2 MB kan importeres om gangen.');
    expect(await traces()).toEqual({ events: 0, numbers: 0, logged: 0 });
  });

  it('is for the roles that register placements', async () => {
    expect((await upload(importCsv([importRow('r1', 'A/1')]), { userId: 'demo-tilsynsforer' })).status).toBe(
      403,
    );
    expect((await upload(importCsv([importRow('r1', 'A/1')]), { userId: 'demo-bufetat' })).status).toBe(403);
    const anonymous = await request(api.server)
      .post('/api/imports/placements')
      .set('Content-Type', 'text/csv')
      .send(importCsv([importRow('r1', 'A/1')]));
    expect(anonymous.status).toBe(401);
  });

  it('reports each refused row with its column and reason, and changes nothing', async () => {
    const rows = [
      // Another service's municipality (Sørvik): the registration's own check.
      importRow('sørvik-1', 'S/1', { kommunenummer: '9902' }),
      importRow('ukjent-kommune', 'S/2', { kommunenummer: '0000' }),
      importRow('feil-dato', 'S/3', { plasseringsdato: '31.02.2026', barnets_alder: '19' }),
      importRow('for-gammel', 'S/4', { plasseringsdato: daysFromToday(-7_000) }),
      importRow('hjemmel', 'S/5', { plasseringstype: 'akutt', hjemmel: '' }),
      importRow('feil-hjemmel', 'S/6', { plasseringstype: 'frivillig', hjemmel: 'omsorgsovertakelse' }),
      importRow('ja-nei', 'S/7', { samvær: 'kanskje' }),
      importRow('feil-dato', 'S/8'),
      importRow('', 'S/9'),
      importRow('saksnummer', '=HYPERLINK("http://x")'),
    ];
    const res = await upload(importCsv(rows));
    expect(res.status).toBe(200);
    const report = bodyOf<Report>(res);
    expect(report.counts).toEqual({
      rows: 10,
      applied: 0,
      repeated: 0,
      rejected: 10,
      pending: 0,
      notTried: 0,
    });
    const errorsOf = (key: string, line?: number) =>
      report.rows.find((r) => r.key === key && (line === undefined || r.line === line))?.errors;
    expect(report.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(errorsOf('sørvik-1')).toEqual([
      { field: 'kommunenummer', reason: 'er ikke en kommune tjenesten din handler for' },
    ]);
    expect(errorsOf('ukjent-kommune')).toEqual([
      { field: 'kommunenummer', reason: 'er ikke et kjent kommunenummer (fire sifre)' },
    ]);
    expect(errorsOf('feil-dato', 4)).toEqual(
      expect.arrayContaining([
        { field: 'plasseringsdato', reason: 'må være en gyldig dato (ÅÅÅÅ-MM-DD)' },
        { field: 'barnets_alder', reason: 'kan være høyst 17' },
      ]),
    );
    expect(errorsOf('for-gammel')).toEqual([
      { field: 'plasseringsdato', reason: 'kan være høyst 18 år tilbake i tid' },
    ]);
    expect(errorsOf('hjemmel')).toEqual([
      { field: 'hjemmel', reason: 'må være en av: omsorgsovertakelse, frivillig' },
    ]);
    expect(errorsOf('feil-hjemmel')).toEqual([
      { field: 'hjemmel', reason: 'må være frivillig for plasseringstypen frivillig' },
    ]);
    expect(errorsOf('ja-nei')).toEqual([{ field: 'samvær', reason: 'må være ja eller nei' }]);
    expect(errorsOf('feil-dato', 9)).toEqual([{ field: 'radnøkkel', reason: 'er brukt på linje 4 i filen' }]);
    expect(errorsOf('')).toEqual([{ field: 'radnøkkel', reason: 'mangler' }]);
    expect(errorsOf('saksnummer')?.map((e) => e.field)).toEqual(['saksnummer']);
    expect(await traces()).toEqual({ events: 0, numbers: 0, logged: 0 });

    // The rows to fix, as CSV: the file's columns as they came (a formula neutralised), then why.
    const fix = parse(report.rejectedCsv.replace(/^\uFEFF/, ''), { delimiter: ';' });
    expect(fix[0]).toEqual([...Object.keys(rows[0]), 'resultat', 'plassering', 'feil']);
    expect(fix).toHaveLength(11);
    const injected = fix.find((r) => r[0] === 'saksnummer');
    expect(injected?.[2]).toBe('\'=HYPERLINK("http://x")');
    expect(fix.find((r) => r[0] === 'sørvik-1')?.slice(-3)).toEqual([
      'avvist',
      '',
      'kommunenummer: er ikke en kommune tjenesten din handler for',
    ]);
  });

  it('reads `,` files and a byte-order mark, answers the report as CSV, and cells never start a formula', async () => {
    const rows = [
      importRow('Ærlig-Øst-Å', 'Å/1', { kommunenummer: '9902' }),
      importRow('+47', '-1', { barnets_alder: '@1' }),
    ];
    for (const options of [{ delimiter: ',' as const, bom: true }, { delimiter: ';' as const }]) {
      const res = await upload(importCsv(rows, options), { accept: 'text/csv' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      const records = parse(res.text.slice(1), { delimiter: ';' });
      expect(records[0]?.slice(0, 4)).toEqual([
        'radnøkkel',
        'kommunenummer',
        'saksnummer',
        'plasseringsdato',
      ]);
      expect(records[1]?.slice(0, 3)).toEqual(['Ærlig-Øst-Å', '9902', 'Å/1']);
      expect(records[1]?.at(-3)).toBe('avvist');
      expect(records[2]?.slice(0, 3)).toEqual(["'+47", '9901', "'-1"]);
      expect(records[2]?.[6]).toBe("'@1");
      for (const cell of records.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
    }
    expect(await traces()).toEqual({ events: 0, numbers: 0, logged: 0 });
  });
});
