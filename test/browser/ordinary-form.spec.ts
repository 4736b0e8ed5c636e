import { randomUUID } from 'node:crypto';
import { addDays, yearOf } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * A child already living in a foster home, registered through the form (issue 16, «ordinary
 * follow-up»): the caseworker chooses «Bor allerede i fosterhjemmet (ordinær oppfølging)» and records a
 * visit made this year with its day. A placement date under a year back and a visit without a day are
 * refused in the page, at their fields; then the placement page shows the ordinary phase for this year
 * and the visit done on the day given.
 */
const CASE = `OR-${randomUUID().slice(0, 6).toUpperCase()}`;
const norwegian = (iso: string) => iso.split('-').reverse().join('.');

describe('web app in Chromium: registering a child already in a foster home', () => {
  const s = browserSuite();

  it('kontaktperson: chooses ordinary follow-up with a supervision visit today; the placement starts in it', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.goto('/plasseringer/ny');
    await page.getByRole('heading', { name: 'Registrer plassering', level: 1 }).waitFor();
    const choice = page.getByRole('group', { name: 'Oppfølging' });
    expect(await choice.getByLabel('Ny plassering (omsorgspakken)').isChecked()).toBe(true);
    await page.getByLabel('Saksnummer').fill(CASE);
    await page.getByLabel('Kommune', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Type plassering').selectOption('omsorgsovertakelse');
    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByLabel('Barnets alder').fill('9');
    await page.getByLabel('Innflyttingsdato').fill(addDays(s.today, -10));

    await choice.getByLabel('Bor allerede i fosterhjemmet (ordinær oppfølging)').check();
    const visits = page.getByRole('group', { name: 'Besøk gjort i år' });
    await visits.waitFor();
    await visits.getByRole('button', { name: 'Legg til besøk' }).click();
    await visits.getByLabel('Type besøk').selectOption('tilsynsbesok');

    // Moved in ten days ago, and a visit without its day: both refused in the page.
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.getByRole('heading', { name: /Skjemaet har 2 feil/ }).waitFor();
    const summary = (await page.getByRole('alert', { name: /^Skjemaet har/ }).textContent()) ?? '';
    expect(summary).toContain(
      'Innflyttingsdato: Ordinær oppfølging krever at barnet har bodd i fosterhjemmet',
    );
    expect(summary).toContain('Besøk 1 gjort i år: Skriv datoen besøket ble gjort.');
    const day = visits.getByLabel('Dato for besøket');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    await s.checkPage(page, 'registrer-ordinaer-oppfolging-feil');

    await page.getByLabel('Innflyttingsdato').fill(addDays(s.today, -3 * 365));
    await day.fill(s.today);
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.waitForURL(/\/plasseringer\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: `Sak ${CASE}`, level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: 'og ordinær oppfølging er startet' }).waitFor();
    await s.untilText(page, page.locator('dl.summary'), `Ordinær oppfølging (${yearOf(s.today)})`);

    // The plan, as tables: this year's supervision visit is done on the day given.
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    const row = page.getByRole('row', { name: /Tilsynsbesøk med rapport \(ordinær oppfølging\)/ }).first();
    await s.untilText(page, row, 'Gjennomført');
    expect(await row.textContent()).toContain(norwegian(s.today));
    await s.checkPage(page, 'plassering-registrert-ordinaer-oppfolging');
  });
});
