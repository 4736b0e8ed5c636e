import { randomUUID } from 'node:crypto';
import { browserSuite } from '../support/browser-suite.js';

/**
 * «Lovpålagt oppfølging i år» (issue 16): the leader sees every child's statutory status for the year
 * on one page: the counts per status and duty at the top (the API's, for the whole service), then the
 * children most urgent first, 25 a page, filters, a year picker, a link to each placement. Demo-like
 * data: Nordby placements registered through the API at several ages (relative to today), one with
 * every visit due so far done. And the leader's desk, paged.
 */
const PREFIX = `L-${randomUUID().slice(0, 5).toUpperCase()}`;

interface Counts {
  bak: number;
  'i-fare': number;
  'i-rute': number;
  fullfort: number;
}
interface StatusPage {
  totals: { placements: number; oppfolgingsbesok: Counts; tilsynsbesok: Counts; overall: Counts };
  matching: number;
  rows: {
    placementId: string;
    caseNumber?: string;
    status: string;
    duties: { kind: string; status: string }[];
  }[];
}
const STANDING_LABEL: Record<string, string> = {
  bak: 'Bak',
  'i-fare': 'I fare',
  'i-rute': 'I rute',
  fullfort: 'Fullført',
};

describe('web app in Chromium: the statutory status of every child', () => {
  const s = browserSuite();
  const cases: string[] = [];
  let kept = '';

  beforeAll(async () => {
    for (const [i, daysAgo] of [20, 75, 150, 240, 330].entries()) {
      const caseNumber = `${PREFIX}/${i + 1}`;
      const placementId = await s.seedPlacement({ daysAgo, escalated: false, caseNumber });
      cases.push(caseNumber);
      if (daysAgo === 150) kept = placementId;
    }
    // One placement with every statutory visit due by today done on its day.
    const { items } = await s.api<{ items: { taskId: string; statutory: string | null; dueOn: string }[] }>(
      'demo-leder',
      `/api/tasks?placementId=${kept}&limit=200`,
    );
    for (const t of items.filter((x) => x.statutory && x.dueOn <= s.today))
      await s.api('demo-leder', `/api/tasks/${kept}/${encodeURIComponent(t.taskId)}/complete`, {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        body: JSON.stringify({ outcome: 'gjennomfort', completedOn: t.dueOn }),
      });
  }, 240_000);

  it('leder: the counts, the children most urgent first, filters, pages, the year picker, a placement', async () => {
    const page = await s.as('demo-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Lovpålagt oppfølging' }).click();
    await page.getByRole('heading', { name: 'Lovpålagt oppfølging i år', level: 1 }).waitFor();
    const year = Number(s.today.slice(0, 4));

    // The counts at the top are the API's for the whole service.
    const api = await s.api<StatusPage>('demo-leder', `/api/statutory-status?limit=25`);
    expect(api.totals.placements).toBeGreaterThanOrEqual(cases.length);
    const summary = page.getByRole('table', {
      name: `Antall barn per status og plikt i ${year}, hele tjenesten`,
    });
    await summary.waitFor();
    await page.getByRole('heading', { name: `Status for ${api.totals.placements} barn` }).waitFor();
    const followUp = summary.getByRole('row', { name: /^Oppfølgingsbesøk/ });
    expect((await followUp.locator('td').allTextContents()).map(Number)).toEqual([
      api.totals.oppfolgingsbesok.bak,
      api.totals.oppfolgingsbesok['i-fare'],
      api.totals.oppfolgingsbesok['i-rute'],
      api.totals.oppfolgingsbesok.fullfort,
    ]);

    // The list: the API's first page, most urgent first, each child by case number (no names).
    const list = page.getByRole('table', { name: /^Barn 1–\d+ av \d+, side 1 av \d+$/ });
    await list.waitFor();
    const names = await list.locator('tbody th a').allTextContents();
    expect(names).toEqual(
      api.rows.map((r) => (r.caseNumber ? `Sak ${r.caseNumber}` : `Plassering ${r.placementId.slice(0, 8)}`)),
    );
    expect(names.length).toBeLessThanOrEqual(25);
    await s.checkPage(page, 'lovpalagt-oppfolging');

    // A second page, when there is one: none of the first page's children again.
    if (api.matching > 25) {
      await page
        .getByRole('navigation', { name: 'Sider i listen over barna' })
        .getByRole('button', { name: 'Neste' })
        .click();
      await page.getByRole('table', { name: /^Barn 26–\d+ av \d+, side 2 av \d+$/ }).waitFor();
      const second = await page
        .getByRole('table', { name: /^Barn 26–/ })
        .locator('tbody th a')
        .allTextContents();
      expect(second.filter((n) => names.includes(n))).toEqual([]);
    }

    // Filters: the kept placement's follow-up status (whatever today makes it), by placement date;
    // the page it is on shows it with that status in words.
    const all = await s.api<StatusPage>('demo-leder', `/api/statutory-status?limit=200`);
    const keptStatus = all.rows
      .find((r) => r.placementId === kept)
      ?.duties.find((d) => d.kind === 'oppfolgingsbesok')?.status;
    expect(keptStatus).toBeDefined();
    await page.getByLabel('Plikt').selectOption('oppfolgingsbesok');
    await page.getByLabel('Status', { exact: true }).selectOption(keptStatus!);
    await page.getByLabel('Sortering').selectOption('placementDate');
    const filteredApi = await s.api<StatusPage>(
      'demo-leder',
      `/api/statutory-status?kind=oppfolgingsbesok&status=${keptStatus}&sort=placementDate&limit=200`,
    );
    const at = filteredApi.rows.findIndex((r) => r.placementId === kept);
    expect(at).toBeGreaterThanOrEqual(0);
    const pageOfKept = Math.floor(at / 25) + 1;
    await page
      .getByRole('table', { name: new RegExp(`^Barn 1–\\d+ av ${filteredApi.matching}, side 1`) })
      .waitFor();
    if (pageOfKept > 1)
      await page
        .getByRole('navigation', { name: 'Sider i listen over barna' })
        .getByRole('button', { name: `Side ${pageOfKept}`, exact: true })
        .click();
    const keptRow = page.getByRole('row', { name: new RegExp(`Sak ${PREFIX}/3`) });
    await keptRow.waitFor();
    expect(await keptRow.locator('td[data-label="Oppfølgingsbesøk"] .ds-tag').textContent()).toMatch(
      new RegExp(`^${STANDING_LABEL[keptStatus!]}( · kritisk)?$`),
    );
    await s.checkPage(page, 'lovpalagt-oppfolging-filtrert');

    // A past year: its own heading and counts.
    await page.getByLabel('År', { exact: true }).selectOption(String(year - 1));
    await page.getByRole('heading', { name: `Lovpålagt oppfølging ${year - 1}`, level: 1 }).waitFor();
    await page
      .getByRole('table', { name: `Antall barn per status og plikt i ${year - 1}, hele tjenesten` })
      .waitFor();

    // Back to this year, all children: a row links to its placement.
    await page.getByLabel('År', { exact: true }).selectOption(String(year));
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Plikt').selectOption('');
    await page.getByLabel('Sortering').selectOption('risk');
    const first = page
      .getByRole('table', { name: /^Barn 1–/ })
      .locator('tbody th a')
      .first();
    const name = (await first.textContent()) ?? '';
    await first.click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }, 180_000);

  it('leder: the desk pages its long lists, 10 at a time, and links to every child’s status', async () => {
    const page = await s.as('demo-leder');
    await page.goto('/ledelse');
    await page.getByRole('heading', { name: 'Ledelse', level: 1 }).waitFor();
    const escalated = page.getByRole('region', { name: 'Eskalerte oppgaver' });
    const risk = page.getByRole('table', { name: /Plasseringer som kan få for få lovpålagte besøk/ });
    await risk.waitFor();
    expect(await escalated.locator('li.task-card').count()).toBeLessThanOrEqual(10);
    expect(await risk.locator('tbody tr').count()).toBeLessThanOrEqual(10);
    const risks = await s.api<unknown[]>('demo-leder', `/api/adherence/statutory-risk`);
    if (risks.length > 10) {
      const pager = page.getByRole('navigation', { name: 'Sider i risikolisten' });
      await pager.getByRole('button', { name: 'Side 2' }).click();
      await page.getByRole('table', { name: /\(side 2 av \d+\)/ }).waitFor();
    }
    // The page fits a working day: far from the 38,551 px of the demo data before it was paged.
    const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
    expect(height).toBeLessThan(12_000);
    await s.checkPage(page, 'ledelse-sidevis');
    await page.getByRole('link', { name: 'Se lovpålagt oppfølging for alle barna i tjenesten' }).click();
    await page.getByRole('heading', { name: 'Lovpålagt oppfølging i år', level: 1 }).waitFor();
  }, 120_000);
});
