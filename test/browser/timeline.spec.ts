import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';
import { SCREENSHOTS, screenshot, seriousViolations } from '../support/web.js';

/*
 * The placement's plan as a timeline (issue 15, item 6): the tracks on one axis of months from the
 * placement date with today marked, each step's status in words and shape, its assignee, its purpose and
 * legal basis from the catalog; the tables as the alternative; the change preview in date order with
 * why each step moves and what would fall overdue; the printed plan; and a phone's width.
 */

/** The timeline's scroll region, in the page. */
const REGION = "document.querySelector('.tl-scroll')";
const dmy = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const iso = (d: string) => `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}`;

describe('the placement page as a timeline', () => {
  const s = browserSuite();
  const CASE = `TL-${randomUUID().slice(0, 6)}`;
  const DAYS_AGO = 12;
  let placementId: string;
  let placementDate: string;

  beforeAll(async () => {
    placementDate = addDays(s.today, -DAYS_AGO);
    placementId = await s.seedPlacement({ daysAgo: DAYS_AGO, escalated: true, caseNumber: CASE });
    const command = (userId: string, taskId: string, verb: string, body: unknown) =>
      s.api(userId, `/api/tasks/${placementId}/${encodeURIComponent(taskId)}/${verb}`, {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      });
    // One step done, one waived (a recommendation, which a leader may waive alone).
    await command('demo-kontaktperson', 'besok-uke1#1', 'complete', {
      outcome: 'gjennomfort',
      completedOn: s.today,
    });
    await command('demo-leder', 'godkjenning#1', 'waive', { reason: 'ikke-relevant' });
    // One step taken by the caseworker (the rest wait in their role's pool).
    await command('demo-kontaktperson', 'omsorgsplan#1', 'claim', {});
    for (let i = 0; i < 150; i++) {
      const { items } = await s.api<{ items: { status: string }[] }>(
        'demo-kontaktperson',
        `/api/tasks?placementId=${placementId}&limit=200`,
      );
      if (items.filter((t) => t.status === 'completed' || t.status === 'waived').length >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);

  const open = async (page: Page) => {
    await page.goto(`/plasseringer/${placementId}`);
    await page.getByRole('heading', { name: `Sak ${CASE}`, level: 1 }).waitFor();
    const timeline = page.getByRole('region', { name: /^Tidslinje for omsorgspakken/ });
    await timeline.waitFor({ timeout: 30_000 });
    return timeline;
  };

  it('shows the tracks on one axis, today marked, each step with its status in words and its assignee', async () => {
    const page = await s.as('demo-kontaktperson');
    const timeline = await open(page);
    for (const track of ['Barnet', 'Foreldrene', 'Fosterfamilien', 'Administrative steg'])
      await timeline.getByRole('heading', { name: track, level: 3 }).waitFor();
    await timeline.getByText('Innflytting', { exact: true }).waitFor();
    await timeline.getByText('1 mnd', { exact: true }).waitFor();
    await timeline.getByText(`I dag ${dmy(s.today)}`).waitFor();

    // Each status says itself in words on its card (the shape and border say it too, never colour alone).
    const item = (taskId: string) => timeline.locator(`li.tl-item[data-task="${taskId}"]`);
    expect(await item('besok-uke1#1').textContent()).toContain('Utført');
    expect(await item('godkjenning#1').textContent()).toContain('Frafalt');
    expect(await timeline.locator('li.tl-status-escalated').first().textContent()).toContain(
      'Forsinket · eskalert',
    );
    expect(await timeline.locator('li.tl-status-overdue, li.tl-status-escalated').count()).toBeGreaterThan(0);
    expect(await timeline.locator('li.tl-status-planned, li.tl-status-open').first().textContent()).toMatch(
      /Planlagt|Åpen/,
    );
    // Who has it: the caseworker's own steps say so, the foster-home resource's pool too.
    await s.untilText(page, item('omsorgsplan#1'), 'Kontaktperson: Deg');
    expect(await item('kartlegging#1').textContent()).toContain('Fosterhjemsressurs: Felles kø');
    const legend = page.getByRole('list', { name: 'Tegnforklaring' });
    for (const word of ['Utført', 'Forsinket', 'Frafalt', 'Forsinket · eskalert', 'Planlagt'])
      await legend.getByText(word, { exact: true }).waitFor();

    // A step's purpose and legal basis, from the catalog.
    await item('omsorgsplan#1').getByRole('button').click();
    const step = page.getByRole('region', { name: 'Plan for barnets omsorgssituasjon' });
    await step.getByText('Lovkrav: Barnevernsloven § 8-3').waitFor();
    expect(await step.textContent()).toContain('Formål');
    expect(await step.textContent()).toContain('grunnlaget for å følge opp');

    // The timeline scrolls in its own region, a keyboard stop; the arrow keys move between the steps.
    expect(await timeline.getAttribute('tabindex')).toBe('0');
    await item('omsorgsplan#1').getByRole('button').focus();
    const before = await page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-key') ?? null",
    );
    await page.keyboard.press('ArrowRight');
    const after = await page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-key') ?? null",
    );
    expect(after).toMatch(new RegExp(`^${placementId}/`));
    expect(after).not.toBe(before);
    await s.checkPage(page, 'plassering-tidslinje-visning');
    await timeline.screenshot({ path: `${SCREENSHOTS}plassering-tidslinje-utsnitt.png` });

    // The tables are the alternative, with the assignee and the basis in columns, and the actions.
    await page.getByRole('button', { name: 'Tabell', exact: true }).click();
    expect(await timeline.count()).toBe(0);
    const row = page.getByRole('row', { name: /Plan for barnets omsorgssituasjon/ }).first();
    expect(await row.textContent()).toContain('Lovkrav: Barnevernsloven § 8-3');
    expect(await row.textContent()).toContain('Kontaktperson: Deg');
    await row.getByRole('button', { name: /^Handlinger for/ }).click();
    expect(await page.locator('tr.row-panel').textContent()).toContain('Formål');
    await s.checkPage(page, 'plassering-tabellvisning');
    // The choice is remembered in this browser.
    await page.reload();
    await page
      .getByRole('row', { name: /Plan for barnets omsorgssituasjon/ })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Tidslinje', exact: true }).click();
    await page.getByRole('region', { name: /^Tidslinje for omsorgspakken/ }).waitFor();
  });

  it('previews a change sorted by date, with why each step moves and which would fall overdue', async () => {
    const page = await s.as('demo-kontaktperson');
    await open(page);
    const newDate = addDays(placementDate, -14);
    await page.getByLabel('Innflyttingsdato').fill(newDate);
    await page.getByRole('button', { name: 'Forhåndsvis endringen' }).click();
    const table = page.getByRole('table', { name: 'Stegene som endres, sortert etter dato' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThan(5);
    const dates: string[] = [];
    let overdue = 0;
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const cells = await row.locator('td').allTextContents();
      const kind = await row.getAttribute('data-kind');
      // Sorted by the date after the change (a step that lapses, by its date now).
      const date = iso((kind === 'cancelled' ? cells[0] : cells[1]).slice(0, 10));
      dates.push(date);
      expect(cells[2]).toContain(
        `fordi innflyttingsdatoen endres fra ${dmy(placementDate)} til ${dmy(newDate)}`,
      );
      if (kind === 'moved') expect(cells[2]).toMatch(/^Flyttes fordi/);
      if (cells[1].includes('Blir forfalt')) {
        overdue++;
        expect(date < s.today).toBe(true);
        // Not overdue now (a step the change adds has no date now).
        if (kind !== 'added') expect(iso(cells[0]) >= s.today).toBe(true);
      }
    }
    expect(dates).toEqual([...dates].sort());
    // Two weeks earlier, the steps due in the coming two weeks fall overdue at once.
    expect(overdue).toBeGreaterThan(0);
    await page.getByText(/steg blir forfalt med endringen/).waitFor();
    // The statutory visits follow the law's fixed cadence.
    const visit = table.locator('tr[data-task="oppfolgingsbesok#1"]');
    expect(await visit.textContent()).toContain('Fast frist etter lov');
    await s.checkPage(page, 'plassering-endring-forklart');
    await page.getByRole('button', { name: 'Avbryt' }).click();
  });

  it('prints the plan: the case number, when printed, the tables; no navigation or buttons', async () => {
    const page = await s.as('demo-kontaktperson');
    await open(page);
    // «Skriv ut plan» asks the browser to print (a headless print dialog is not there to see).
    await page.evaluate('window.printed = 0; window.print = () => { window.printed++; }');
    await page.getByRole('button', { name: 'Skriv ut plan' }).click();
    expect(await page.evaluate<number>('window.printed')).toBe(1);

    await page.emulateMedia({ media: 'print' });
    await page.getByRole('heading', { name: `Sak ${CASE}`, level: 1 }).waitFor();
    await page.getByText(/Skrevet ut \d\d\.\d\d\.\d{4}/).waitFor();
    // The table view, even though the timeline is the one chosen on screen.
    await page.getByRole('table', { name: 'Steg i sporet Barnet' }).waitFor();
    await page
      .getByRole('row', { name: /Plan for barnets omsorgssituasjon/ })
      .first()
      .waitFor();
    expect(await page.getByRole('region', { name: /^Tidslinje for omsorgspakken/ }).isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Hovedmeny' }).isVisible()).toBe(false);
    const visibleButtons = await page.evaluate<number>(
      "[...document.querySelectorAll('button')].filter((e) => e.offsetParent !== null).length",
    );
    expect(visibleButtons).toBe(0);
    expect(await page.getByRole('heading', { name: 'Endre dato eller type' }).isVisible()).toBe(false);
    await screenshot(page, 'plassering-utskrift');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  });

  it('fits a phone: the page does not scroll sideways at 390 px, the timeline scrolls in its region', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.setViewportSize({ width: 390, height: 844 });
    const timeline = await open(page);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    const scrolls = await page.evaluate<boolean>(`${REGION}.scrollWidth > ${REGION}.clientWidth`);
    expect(scrolls).toBe(true);
    const box = await timeline.boundingBox();
    expect(box!.x >= 0 && box!.x + box!.width <= 390).toBe(true);
    // Reached with the keyboard, it scrolls with the arrow keys.
    await timeline.focus();
    const left = await page.evaluate<number>(`${REGION}.scrollLeft`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
    expect(await page.evaluate<number>(`${REGION}.scrollLeft`)).toBeGreaterThan(left);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'plassering-tidslinje-390px');
  });
});
