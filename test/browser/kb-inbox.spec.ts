import { browserSuite } from '../support/browser-suite.js';

/**
 * A kompetansebase's tasks in «Mine oppgaver» (issue 17): the Nordby caseworker orders a consultation
 * through the API; the base's counsellor finds its call-back in their inbox beside everything else, the
 * row saying what it belongs to (request type and ordering service, never the case), and follows it to the
 * assignment's page; the base's leader finds the review; the ordering caseworker's inbox has neither. Other files
 * order consultations too: this file finds its own order's row and card by the assignment's id.
 */
describe('web app in Chromium: kompetansebase tasks in the inbox', () => {
  const s = browserSuite();
  const TYPE = 'Annen konsultasjon';
  const CALL_BACK = 'Ring tilbake til barneverntjenesten og avklar bestillingen';
  const REVIEW = 'Vurder bestillingen: ta imot, avslå eller sett på vent';
  let assignmentId: string;

  beforeAll(async () => {
    const ordered = await s.api<{ assignmentId: string }>(
      'demo-kontaktperson',
      '/api/kompetansebase/orders',
      {
        method: 'POST',
        headers: {
          'Idempotency-Key': `kb-inbox-${s.today}-${Date.now()}`,
        },
        body: JSON.stringify({
          requestType: 'annet-konsultasjon',
          urgency: 'vanlig',
          caseNumber: 'KB-INNBOKS-1',
          goal: 'Råd om samvær for barnet.',
          planReference: 'Tiltaksplan innboks',
        }),
      },
    );
    assignmentId = ordered.assignmentId;
  });

  it('kompetansebase-veileder: the call-back in «Mine oppgaver», followed to the assignment', async () => {
    const page = await s.as('demo-kb-veileder');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /Mine oppgaver/ })
      .click();
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    const row = page.locator(`tr[data-assignment="${assignmentId}"]`);
    await s.untilVisible(page, row);
    await row.getByRole('cell', { name: new RegExp(`^Kompetansebase: ${TYPE} \\(Nordby`) }).waitFor();
    await row.getByText('Kompetansebase', { exact: true }).waitFor();
    // The case number and the goal stay on the assignment's page (read there, and logged).
    expect(await page.getByText('KB-INNBOKS-1').count()).toBe(0);
    expect(await page.getByText('Råd om samvær').count()).toBe(0);
    // A placement's filters (track, placement) are not offered to a kompetansebase's staff.
    expect(await page.getByLabel('Spor', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Plassering', { exact: true }).count()).toBe(0);
    await s.checkPage(page, 'kompetansebase-innboks-veileder');

    await row.getByRole('link', { name: new RegExp(CALL_BACK) }).click();
    await page.waitForURL(`**/kompetansebase/oppdrag/${assignmentId}`);
    await page.getByRole('heading', { name: TYPE, level: 1 }).waitFor();
    await page.getByRole('form', { name: /Fullfør: Ring tilbake/ }).waitFor();
    await s.checkPage(page, 'kompetansebase-innboks-oppdrag');
  });

  it('kompetansebase-leder: the review in «Mine oppgaver», as cards too', async () => {
    const page = await s.as('demo-kb-leder');
    await page.goto(`${s.apiUrl}/oppgaver`);
    const row = page.locator(`tr[data-assignment="${assignmentId}"]`);
    await s.untilVisible(page, row);
    await row.getByRole('link', { name: new RegExp(REVIEW) }).waitFor();
    await page.getByLabel('Kort').check();
    // This file's order's card (other files order consultations too): the one linking to its assignment.
    const card = page
      .locator('li.task-card', { hasText: REVIEW })
      .filter({ has: page.locator(`a[href="/kompetansebase/oppdrag/${assignmentId}"]`) });
    await card.getByRole('link', { name: new RegExp(`Kompetansebase: ${TYPE} \\(Nordby`) }).waitFor();
    await s.checkPage(page, 'kompetansebase-innboks-leder-kort');
  });

  it('ordering caseworker: the base’s tasks are not in the service’s inbox', async () => {
    // A placement of the service, so its inbox has rows beside which the base's would show.
    await s.seedPlacement();
    const page = await s.as('demo-kontaktperson');
    await page.goto(`${s.apiUrl}/oppgaver?visning=alle`);
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    await page.locator('table.inbox-table tbody tr').first().waitFor();
    expect(await page.locator(`[data-assignment="${assignmentId}"]`).count()).toBe(0);
    expect(await page.getByText(`Kompetansebase: ${TYPE}`).count()).toBe(0);
  });
});
