import { readFileSync } from 'node:fs';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The leader's «Tilstandsrapport»: Nordby's yearly report to its council for last year (a year that has
 * ended, whatever the day), as a draft with its tables, downloaded as PDF, signed off after a
 * confirmation, then released (the CSV says so). It registers nothing: whatever the run's other files
 * registered in Nordby is counted, hidden when too few. No other file signs off a council report.
 */
describe('web app in Chromium: the council report (tilstandsrapport)', () => {
  const s = browserSuite();
  const year = Number(s.today.slice(0, 4)) - 1;

  it('leder: chooses municipality and year, reads the draft, downloads it, signs it off', async () => {
    const page = await s.as('demo-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Tilstandsrapport' }).click();
    await page.getByRole('heading', { name: 'Tilstandsrapport', level: 1 }).waitFor();
    await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Nordby (fiktiv) (9901)' });
    await page.getByLabel('År', { exact: true }).selectOption(String(year));
    await page.getByRole('button', { name: 'Vis rapporten' }).click();
    const report = page.getByRole('article');
    await report.getByRole('heading', { name: `Nordby (fiktiv) kommune (9901), ${year}` }).waitFor();
    await report.getByText('Utkast', { exact: true }).waitFor();
    await report.getByRole('table', { name: 'Plasseringer med minst de lovpålagte besøkene' }).waitFor();
    await report.getByRole('table', { name: 'Oppgaver med frist i året, alle spor og hvert spor' }).waitFor();
    await report.getByText('Ingen kompetansebase-bruk registrert.').waitFor();
    await s.checkPage(page, 'tilstandsrapport-utkast');

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'Last ned PDF' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe(`tilstandsrapport-9901-${year}-utkast.pdf`);
    expect(
      readFileSync((await pdf.path()) ?? '')
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Signing off asks first; cancelling sends nothing.
    await report.getByRole('button', { name: 'Godkjenn rapporten' }).click();
    const dialog = page.getByRole('dialog', { name: 'Godkjenne og frigi rapporten?' });
    await dialog.waitFor();
    await s.checkPage(page, 'tilstandsrapport-godkjenn-dialog');
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await report.getByText('Utkast', { exact: true }).waitFor();
    await report.getByRole('button', { name: 'Godkjenn rapporten' }).click();
    await dialog.getByRole('button', { name: 'Godkjenn og frigi' }).click();
    await page.getByText(`Rapporten for Nordby (fiktiv) ${year} er godkjent og frigitt.`).waitFor();
    await report.getByText('Godkjent', { exact: true }).waitFor();
    await report.getByText(/Godkjent av Åse Myhre \d{2}\.\d{2}\.\d{4}/).waitFor();
    expect(await report.getByRole('button', { name: 'Godkjenn rapporten' }).count()).toBe(0);
    await s.checkPage(page, 'tilstandsrapport-godkjent');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      report.getByRole('button', { name: 'Last ned CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`tilstandsrapport-9901-${year}-godkjent.csv`);
    const lines = readFileSync((await csv.path()) ?? '', 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFKommunenummer;År;Del;Gruppe;Tall;Rapportåret;Året før;Endring;Skjult (små tall);Skjult året før (små tall)',
    );
  });
});
