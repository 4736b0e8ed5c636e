import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { browserSuite } from '../support/browser-suite.js';
import { importCsv, importRow } from '../support/import-csv.js';

/**
 * «Importer plasseringer» (issue 16, existing placements): a caseworker uploads a file of the service's
 * placements; the report shows each row registered or refused with its column and reason, the refused
 * rows are saved as CSV, and the same file uploaded again registers nothing twice.
 */
const RUN = randomUUID().slice(0, 6).toUpperCase();

describe('web app in Chromium: importing existing placements', () => {
  const s = browserSuite();

  it('kontaktperson: uploads a file, reads the report, saves the refused rows, uploads it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omsorg-import-'));
    const path = join(dir, 'plasseringer.csv');
    writeFileSync(
      path,
      importCsv(
        [
          importRow(`${RUN}-1`, `I-${RUN}/1`),
          importRow(`${RUN}-2`, `I-${RUN}/2`, { plasseringstype: 'akutt', hjemmel: 'frivillig' }),
          importRow(`${RUN}-3`, `I-${RUN}/3`, { kommunenummer: '9902' }),
          importRow(`${RUN}-4`, `I-${RUN}/4`, { samvær: 'kanskje', barnets_alder: '30' }),
        ],
        { bom: true },
      ),
    );
    const page = await s.as('demo-kontaktperson');
    await page.goto('/plasseringer');
    await page.getByRole('link', { name: 'Importer plasseringer' }).click();
    await page.getByRole('heading', { name: 'Importer plasseringer', level: 1 }).waitFor();

    // Nothing chosen: said at the field, nothing sent.
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    expect(await page.getByText('Velg en CSV-fil.').count()).toBe(1);

    // The sample file has the import's columns and the service's municipality.
    const sample = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Last ned eksempelfil' }).click();
    const sampleText = readFileSync(await (await sample).path(), 'utf8');
    const sampleRows = parse(sampleText.replace(/^\uFEFF/, ''), { delimiter: ';' });
    expect(sampleRows[0]?.slice(0, 3)).toEqual(['radnøkkel', 'kommunenummer', 'saksnummer']);
    expect(sampleRows[1]?.[1]).toBe('9901');

    await page.getByLabel('CSV-fil').setInputFiles(path);
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const report = page.getByRole('table', { name: /Radene i filen/ });
    await report.waitFor({ timeout: 60_000 });
    expect(await page.getByRole('status').filter({ hasText: '4 rader' }).textContent()).toContain(
      '4 rader: 2 registrert, 2 avvist.',
    );
    const row = (n: number) => report.getByRole('row').nth(n);
    expect(await row(1).textContent()).toContain('Registrert');
    expect(await row(3).textContent()).toContain(
      'kommunenummer: er ikke en kommune tjenesten din handler for',
    );
    expect(await row(4).textContent()).toContain('samvær: må være ja eller nei');
    expect(await row(4).textContent()).toContain('barnets_alder: kan være høyst 17');
    await s.checkPage(page, 'importer-plasseringer-rapport');

    // The refused rows, to fix and upload again.
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Last ned avviste rader (CSV)' }).click();
    const refused = parse(readFileSync(await (await saved).path(), 'utf8').replace(/^\uFEFF/, ''), {
      delimiter: ';',
    });
    expect(refused.map((r) => r[0])).toEqual(['radnøkkel', `${RUN}-3`, `${RUN}-4`]);
    expect(refused[0]?.slice(-3)).toEqual(['resultat', 'plassering', 'feil']);

    // A registered row opens its placement.
    await row(2).getByRole('link', { name: /Åpne/ }).click();
    await page.getByRole('heading', { name: `Sak I-${RUN}/2`, level: 1 }).waitFor({ timeout: 30_000 });

    // The same file again: registered once only.
    await page.goto('/plasseringer/import');
    await page.getByLabel('CSV-fil').setInputFiles(path);
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '4 rader' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('status').filter({ hasText: '4 rader' }).textContent()).toContain(
      '4 rader: 0 registrert, 2 allerede registrert, 2 avvist.',
    );
    expect(await report.getByText('Allerede registrert').count()).toBe(2);
  });

  it('kontaktperson: a file with an unknown column is refused as a whole, the column named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omsorg-import-'));
    const path = join(dir, 'feil.csv');
    writeFileSync(path, 'radnøkkel;navn\r\nr1;Ola\r\n');
    const page = await s.as('demo-kontaktperson');
    await page.goto('/plasseringer/import');
    await page.getByLabel('CSV-fil').setInputFiles(path);
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Kolonnene i filen' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('navn: er ikke en kolonne i importen');
    await s.checkPage(page, 'importer-plasseringer-feil-fil');
  });
});
