import { addDays } from '../../libs/domain/calendar/dates.js';
import { screenshot } from '../support/web.js';
import { browserSuite, card } from '../support/browser-suite.js';

/**
 * The caseworker (kontaktperson) in a real browser against the real system: registers a placement
 * through the form and follows its package from the placement page and the inbox.
 */
/** Case numbers in Nordby's case system (fictional; unique per service within the run's stack). */
const CASE_IN_USE = 'K-2026/0417';
const CASE_NEW = 'K-2026/0099';
const CASE_CORRECTED = 'K-2026/0100';

describe('web app in Chromium: kontaktperson', () => {
  const s = browserSuite();

  it('kontaktperson: registers a placement (field errors first), follows and changes its package', async () => {
    // Another placement of the service already has a case number (the form must refuse it again).
    await s.registerPlacement({ caseNumber: CASE_IN_USE });
    const page = await s.as('demo-kontaktperson');
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Plasseringer' }).click();
    await page.getByRole('link', { name: 'Registrer ny plassering' }).click();
    await page.getByRole('heading', { name: 'Registrer plassering', level: 1 }).waitFor();

    // Checked in the browser first: every missing field says what to do.
    await page.getByLabel('Innflyttingsdato').fill('');
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.getByRole('heading', { name: /Skjemaet har \d feil/ }).waitFor();
    expect(await page.locator('#childAgeYears-error').textContent()).toContain('hele år');
    expect(await page.locator('#municipalityId-error').textContent()).toContain('kommunen');
    expect(await page.locator('#caseNumber-error').textContent()).toContain('saksnummeret');
    expect(await page.getByLabel('Barnets alder').getAttribute('aria-invalid')).toBe('true');
    await s.checkPage(page, 'registrer-plassering-feil');

    // Then by the API: a case number another placement of the service has (409, field caseNumber), and
    // a care order's basis cannot be voluntary (problem+json, field facts.legalBasis).
    await page.getByLabel('Saksnummer').fill(CASE_IN_USE);
    await page.getByLabel('Kommune').selectOption({ index: 1 });
    await page.getByLabel('Type plassering').selectOption('omsorgsovertakelse');
    await page.getByLabel('Frivillig tiltak').check();
    await page.getByLabel('Innflyttingsdato').fill(addDays(s.today, -3));
    await page.getByLabel('Barnets alder').fill('9');
    await page.getByLabel('Samvær med foreldrene er fastsatt').check();
    await page.getByLabel('Foreldrene kan nås').check();
    await page.getByLabel('Barnet går i barnehage eller skole').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.locator('#legalBasis-error').waitFor();
    expect(await page.getByRole('alert', { name: /^Skjemaet har/ }).textContent()).toContain(
      'Rettslig grunnlag',
    );
    expect(page.url()).toMatch(/\/plasseringer\/ny$/);
    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.locator('#caseNumber-error').waitFor();
    expect(await page.locator('#caseNumber-error').textContent()).toBe(
      'er allerede brukt på en annen plassering i tjenesten',
    );
    expect(page.url()).toMatch(/\/plasseringer\/ny$/);
    await page.getByLabel('Saksnummer').fill(CASE_NEW);

    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.waitForURL(/\/plasseringer\/[0-9a-f-]{36}/);
    const placementId = new URL(page.url()).pathname.split('/')[2];
    await page.getByText('Plasseringen er registrert').waitFor();
    await page.getByRole('heading', { name: `Sak ${CASE_NEW}`, level: 1 }).waitFor();

    // The timeline: three tracks plus administrative steps, filled by the package.
    // The plan shows as soon as the API has it, without reloading the page (here in its table view,
    // which this browser then keeps; test/browser/timeline.spec.ts checks the timeline view).
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    await page.getByRole('row', { name: /Første besøk i hjemmet/ }).waitFor({ timeout: 30_000 });
    for (const track of ['Barnet', 'Foreldrene', 'Fosterfamilien', 'Administrative steg'])
      await page.getByRole('heading', { name: track, level: 3 }).waitFor();
    expect(await page.locator('table', { hasText: 'Første besøk i hjemmet' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: /^Forsinket/ }).count()).toBeGreaterThan(0);
    await page
      .getByRole('row', { name: /Oppfølgingsbesøk/ })
      .first()
      .waitFor();
    await s.checkPage(page, 'plassering-tidslinje');

    // The child and the family (fictional): shown only when asked for, since every read is logged;
    // checked in the browser first, then by the API (a national id number with a wrong check digit).
    const personal = page.getByRole('region', { name: 'Barnet og familien' });
    await personal.getByRole('button', { name: 'Vis opplysninger om barnet og familien' }).click();
    await personal.getByText('Ingen opplysninger er registrert ennå.').waitFor();
    await personal.getByRole('button', { name: 'Registrer opplysninger' }).click();
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await personal.getByRole('heading', { name: 'Skjemaet har én feil' }).waitFor();
    expect(await personal.getByRole('alert', { name: 'Skjemaet har én feil' }).textContent()).toContain(
      'Barnets navn: Skriv barnets navn.',
    );
    await personal.getByLabel('Barnets navn').fill('Fiktiv Testbarn');
    await personal.getByLabel('Fødselsnummer').fill('15076500566');
    await personal.getByRole('button', { name: 'Legg til forelder' }).click();
    await personal.getByLabel('Foreldre 1: navn').fill('Fiktiv Forelder');
    await personal.getByLabel('Foreldre 1: relasjon').fill('mor');
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await personal.locator('#pd-child-nationalId-error').waitFor();
    expect(await personal.getByLabel('Fødselsnummer').getAttribute('aria-invalid')).toBe('true');
    await personal.getByLabel('Fødselsnummer').fill('15076500565');
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await page.getByText('Opplysningene om barnet og familien er lagret.').waitFor();
    await personal.getByText('150765 *****').waitFor();
    await personal.getByText('Fiktiv Forelder').waitFor();
    await s.checkPage(page, 'plassering-personopplysninger');
    await personal.getByRole('button', { name: 'Vis hele' }).click();
    await personal.getByText('15076500565').waitFor();
    await personal.getByRole('button', { name: 'Skjul opplysningene' }).click();
    expect(await personal.getByText('Fiktiv Testbarn').count()).toBe(0);

    // The case number is corrected on the placement page (the API refuses one in use: 409).
    await page.getByRole('button', { name: 'Rett saksnummeret' }).click();
    await page.getByLabel('Saksnummer').fill(CASE_IN_USE);
    await page.getByRole('button', { name: 'Lagre saksnummeret' }).click();
    await page.locator('#case-number-error').waitFor();
    expect(await page.getByLabel('Saksnummer').getAttribute('aria-invalid')).toBe('true');
    await s.checkPage(page, 'plassering-saksnummer-feil');
    await page.getByLabel('Saksnummer').fill(CASE_CORRECTED);
    await page.getByRole('button', { name: 'Lagre saksnummeret' }).click();
    await page.getByText('Saksnummeret er lagret.').waitFor();
    await s.untilVisible(page, page.getByRole('heading', { name: `Sak ${CASE_CORRECTED}`, level: 1 }));

    // Change the date: the preview says what moves before anything is changed.
    await page.getByLabel('Innflyttingsdato').fill(addDays(s.today, -1));
    await page.getByRole('button', { name: 'Forhåndsvis endringen' }).click();
    await page.getByRole('heading', { name: 'Dette skjer hvis du bekrefter' }).waitFor();
    const moving = page.getByRole('table', { name: 'Stegene som endres, sortert etter dato' });
    await moving.waitFor();
    expect(await moving.getByRole('row').count()).toBeGreaterThan(1);
    await screenshot(page, 'plassering-endring-forhandsvisning');
    await page.getByRole('button', { name: 'Bekreft endringen' }).click();
    await page.getByText('Endringen er lagret').waitFor();

    // Pause (confirmed in its dialog: see placement-states.spec.ts) and resume.
    await page.getByRole('button', { name: 'Sett på pause' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sett på pause' }).click();
    await page.getByText('Omsorgspakken er satt på pause.').waitFor();
    await s.untilVisible(page, page.getByRole('button', { name: 'Gjenoppta' }));
    await page.getByRole('button', { name: 'Gjenoppta' }).click();
    await page.getByText('Omsorgspakken er gjenopptatt.').waitFor();

    // The new placement's tasks are in the caseworker's inbox (every task they see, as cards: the
    // placement is not theirs yet, so its pool is not in «Mine»); complete one with a note.
    await page.goto(`/oppgaver?visning=alle&oppsett=kort`);
    await page.getByLabel('Plassering', { exact: true }).selectOption(placementId);
    const visit = card(page, 'Første besøk i hjemmet');
    await s.untilVisible(page, visit);
    await page.getByLabel('Plassering', { exact: true }).selectOption(placementId);
    await visit.getByRole('button', { name: 'Registrer utført' }).click();
    await visit.getByLabel('Utfall').selectOption('gjennomfort');
    await visit.getByLabel('Notat (valgfritt, lagres kryptert)').fill('Barnet viste rommet sitt.');
    await visit.getByRole('button', { name: 'Lagre som utført' }).click();
    await page.getByText('«Første besøk i hjemmet» er registrert som utført.').waitFor();

    // Every card names the placement by its case number; so does the placement filter.
    const plan = card(page, 'Plan for barnets omsorgssituasjon');
    await plan.getByRole('link', { name: `Sak ${CASE_CORRECTED}` }).waitFor();
    expect(await page.getByLabel('Plassering', { exact: true }).locator('option:checked').textContent()).toBe(
      `Sak ${CASE_CORRECTED}`,
    );

    // A step grounded in law is waived only on request, for a leader to co-sign (test/browser/waiver.spec.ts).
    await plan.getByRole('button', { name: /^Be om frafall/ }).click();
    await plan.getByText('en leder leser begrunnelsen og medsignerer').waitFor();
    await s.checkPage(page, 'mine-oppgaver-kontaktperson');

    // The note written at completion is read on the placement page (asked for: each read is logged).
    await page.goto(`/plasseringer/${placementId}`);
    const visitRow = page.getByRole('row', { name: /Første besøk i hjemmet/ });
    await s.untilText(page, visitRow, 'Gjennomført');
    await visitRow.getByRole('button', { name: /^Notater/ }).click();
    await page.getByRole('button', { name: 'Vis notater for Første besøk i hjemmet' }).click();
    const notes = page.getByRole('region', { name: 'Notater' });
    await notes.getByText('Barnet viste rommet sitt.').waitFor();
    await notes.getByLabel('Nytt notat (lagres kryptert)').fill('Avtalt nytt besøk med skolen.');
    await notes.getByRole('button', { name: 'Legg til notat' }).click();
    await notes.getByText('Avtalt nytt besøk med skolen.').waitFor();
    expect(await notes.locator('li').count()).toBe(2);

    // End the placement: its package stops.
    await page.getByLabel('Årsak til avslutning').selectOption('flytting-nytt-fosterhjem');
    await page.getByRole('button', { name: 'Avslutt plasseringen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Avslutt plasseringen' }).click();
    await page.getByText('Plasseringen er avsluttet.').waitFor();
    await s.untilText(page, page.locator('dl.summary'), 'Avsluttet');
    expect(await page.getByRole('button', { name: 'Sett på pause' }).count()).toBe(0);
    // One long journey through many pages: it needs more than the default limit on a loaded 2-core machine.
  }, 240_000);
});
