import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * A registration made late (issue 15 item 5), through the form: the caseworker records what was already
 * done before the placement was registered, with the day it was done; the step then shows as done on the
 * placement page with that day, and is not overdue. A ticked step without a day is refused in the page.
 */
const CASE = `R-${randomUUID().slice(0, 6).toUpperCase()}`;
const norwegian = (iso: string) => iso.split('-').reverse().join('.');

describe('web app in Chromium: a late registration records the work already done', () => {
  const s = browserSuite();

  it('kontaktperson: ticks «Første besøk i hjemmet» as done four days ago; the plan shows it done', async () => {
    const placementDate = addDays(s.today, -10);
    const doneOn = addDays(s.today, -4);
    const page = await s.as('demo-kontaktperson');
    await page.goto('/plasseringer/ny');
    await page.getByRole('heading', { name: 'Registrer plassering', level: 1 }).waitFor();
    await page.getByLabel('Saksnummer').fill(CASE);
    await page.getByLabel('Kommune', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel('Type plassering').selectOption('omsorgsovertakelse');
    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByLabel('Barnets alder').fill('8');

    // Today's date: nothing to record. Ten days back: the steps due by today are offered.
    const done = page.getByRole('group', { name: 'Gjort før registreringen' });
    expect(await done.count()).toBe(0);
    await page.getByLabel('Innflyttingsdato').fill(placementDate);
    await done.waitFor();
    const visit = done.getByLabel(/^Første besøk i hjemmet \(frist/);
    expect(
      await done.getByText(`Første besøk i hjemmet (frist ${norwegian(addDays(placementDate, 7))})`).count(),
    ).toBe(1);
    await visit.check();

    // Ticked without a day: refused in the page, at the field.
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.getByRole('heading', { name: /Skjemaet har én feil/ }).waitFor();
    expect(await page.getByRole('alert', { name: /^Skjemaet har/ }).textContent()).toContain(
      'Gjort før registreringen: Skriv datoen steget ble gjort.',
    );
    const day = done.getByLabel('Dato utført for «Første besøk i hjemmet»');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    await s.checkPage(page, 'registrer-plassering-gjort-for');

    await day.fill(doneOn);
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.waitForURL(/\/plasseringer\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: `Sak ${CASE}`, level: 1 }).waitFor();

    // The plan, as tables: the visit is done on the day given, and not overdue.
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    const row = page.getByRole('row', { name: /Første besøk i hjemmet/ });
    await s.untilText(page, row, 'Gjennomført');
    expect(await row.textContent()).toContain(norwegian(doneOn));
    expect(await row.textContent()).not.toContain('Forsinket');
    await s.checkPage(page, 'plassering-gjort-for-registrering');
  });
});
