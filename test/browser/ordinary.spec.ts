import { randomUUID } from 'node:crypto';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { addDays, yearOf } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * Ordinary follow-up on the placement page (issue 16): a child already in a foster home, registered
 * through the API with `followUp: 'ordinary'`, shows the phase «Ordinær oppfølging» with this year, this
 * year's ordinary tasks in the plan (headed «Ordinær oppfølging <year>») and the statutory ledger's row
 * for the year.
 */
describe('web app in Chromium: ordinary follow-up', () => {
  const s = browserSuite();
  let placementId = '';

  beforeAll(async () => {
    const registered = await s.api<{ placementId: string }>('demo-kontaktperson', '/api/placements', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        ...placementRequestBody(addDays(s.today, -3 * 365)),
        caseNumber: `O-${randomUUID().slice(0, 6).toUpperCase()}`,
        followUp: 'ordinary',
        doneThisYear: [{ kind: 'oppfolgingsbesok', on: `${yearOf(s.today)}-01-01` }],
      }),
    });
    placementId = registered.placementId;
  }, 180_000);

  it('kontaktperson: the placement page shows «Ordinær oppfølging» with the year, its plan and ledger', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.goto(`/plasseringer/${placementId}`);
    const year = yearOf(s.today);
    await s.untilText(page, page.locator('dl.summary'), `Ordinær oppfølging (${year})`);
    await s.untilText(page, page.locator('main'), '(ordinær oppfølging)');
    // The plan is headed by the phase it is in, not «Omsorgspakken».
    await page.getByRole('heading', { name: `Ordinær oppfølging ${year}`, level: 2 }).waitFor();
    expect(await page.getByRole('heading', { name: 'Omsorgspakken', exact: true }).count()).toBe(0);
    // Date and type belong to the package: not offered here (the API would refuse the change).
    await page.getByRole('heading', { name: 'Pause, gjenoppta eller avslutt' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Endre dato eller type' }).count()).toBe(0);
    await s.checkPage(page, 'plassering-ordinaer-oppfolging');
  });
});
