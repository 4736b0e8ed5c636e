import { randomUUID } from 'node:crypto';
import { browserSuite } from '../support/browser-suite.js';

/**
 * A pool role's next task (issue 15 item 2): a task taken from «Felles kø» leaves the pool's list, so it
 * opens at the top of the page as «Oppgaven du tok», with its actions, and focus on the message that says
 * so; it is completed from there. (Other files share the stack and the pool: this file finds its own
 * placement's task by the case number.)
 */
const CASE = `N-${randomUUID().slice(0, 6).toUpperCase()}`;

describe('web app in Chromium: the next task of a pool role', () => {
  const s = browserSuite();
  let placementId = '';

  beforeAll(async () => {
    placementId = await s.registerPlacement({ daysAgo: 30, caseNumber: CASE });
  }, 180_000);

  it('fosterhjemsressurs: takes a task from «Felles kø», which opens at the top, and completes it there', async () => {
    const page = await s.as('demo-fosterhjemsressurs');
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    await page.getByRole('tab', { name: /^Felles kø/ }).click();
    await page.getByLabel('Søk på saksnummer eller steg').fill(CASE);
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    const rows = page.locator('table.inbox-table tbody tr:not(.row-detail)');
    await s.untilVisible(page, rows.first());
    const first = rows.first();
    const title = (
      await page.evaluate<string>(
        `document.querySelector('table.inbox-table tbody tr:not(.row-detail) th .row-toggle')?.childNodes[0]?.textContent ?? ''`,
      )
    ).trim();
    expect(title.length).toBeGreaterThan(0);
    expect(await first.textContent()).toContain(`Sak ${CASE}`);

    await first.locator('th .row-toggle').click();
    await page
      .locator('tr.row-detail')
      .getByRole('button', { name: `Ta oppgaven «${title}»` })
      .click();
    const message = page.getByText(`Du har tatt «${title}».`);
    await message.waitFor();
    const taken = page.getByRole('region', { name: 'Oppgaven du tok' });
    await taken.getByText(title, { exact: false }).first().waitFor();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/oppgaver/${placementId}/[^/]+$`));
    // Focus is on the message of what was done, not on the page's heading or body.
    await page.waitForFunction(`document.activeElement?.textContent?.includes('Du har tatt')`);
    await s.checkPage(page, 'oppgaver-oppgaven-du-tok');

    await taken.getByRole('button', { name: `Registrer utført «${title}»` }).click();
    await taken.getByLabel('Utfall').selectOption('gjennomfort');
    await taken.getByRole('button', { name: `Lagre som utført «${title}»` }).click();
    await page.getByText(`«${title}» er registrert som utført.`).waitFor();
  });
});
