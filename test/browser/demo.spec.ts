import { demoPlan } from '../../apps/launcher/demo/demo-plan.js';
import { seedDemoData } from '../../apps/launcher/demo/demo-seed.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * `npm start`'s demo data as the learning-network lead and a leader see it. The run's one stack is
 * shared with the other files, so only the second demo network's services (Vestby and Elvdal, which no
 * other file uses) get demo data here: 60 placements over the last two years, sent through the API as
 * their demo users, as `npm start` sends 300 over all four services.
 */
describe('web app in Chromium: demo data', () => {
  const s = browserSuite();
  const fjord = ['vestby', 'elvdal'];
  const plan = demoPlan({ anchor: s.today, count: 120 }).filter((p) => fjord.includes(p.service));

  beforeAll(async () => {
    // browser.global-setup.mjs sent this plan before any file ran (a lead's quarter freezes when a lead
    // first asks for it); sent again, every command repeats with its key and the ids come back.
    const { placementIds } = await seedDemoData({ apiUrl: s.apiUrl, plan });
    // The lead's quarter is published (frozen) when first asked for: only once the read models hold it
    // all. Every service's waivers are in, and every ended placement is ended.
    const from = addDays(s.today, -800);
    for (const [service, leader] of [
      ['vestby', 'demo-vestby-leder'],
      ['elvdal', 'demo-elvdal-leder'],
    ] as const) {
      const waivers = plan.filter((p) => p.service === service).reduce((n, p) => n + p.waivers.length, 0);
      for (let i = 0; ; i++) {
        const report = await s.api<{ total: { waived?: number } }>(
          leader,
          `/api/adherence/report?from=${from}&to=${s.today}`,
        );
        if (report.total.waived === waivers) break;
        if (i > 120) throw new Error(`${service}: ${report.total.waived} of ${waivers} waivers projected`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (const [i, p] of plan.entries()) {
      if (!p.end) continue;
      for (let tries = 0; ; tries++) {
        const placement = await s.api<{ status: string }>(p.end.userId, `/api/placements/${placementIds[i]}`);
        if (placement.status === 'ended') break;
        if (tries > 120) throw new Error(`placement ${p.caseNumber} not ended`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 300_000);

  it('læringsnettverksleder: figures for every service of the network, none hidden', async () => {
    const page = await s.as('demo-fjord-nettverksleder');
    await page.getByRole('heading', { name: 'Etterlevelse', level: 1 }).waitFor();
    await page.getByText(/^Andel i tide totalt: \d+(,\d)? %/).waitFor();
    const byService = page
      .getByRole('table')
      .filter({ hasText: 'Vestby barneverntjeneste (fiktiv)' })
      .first();
    await byService.waitFor();
    // Both services shown with their figures: neither is under the small-cell threshold.
    for (const name of ['Vestby barneverntjeneste (fiktiv)', 'Elvdal barneverntjeneste (fiktiv)']) {
      const row = byService.locator('tbody tr', { hasText: name });
      expect(await row.textContent()).toMatch(/\d+(,\d)? %.*\d+ i tide av \d+ \(\d+ plasseringer\)/);
    }
    expect(await byService.textContent()).not.toContain('Skjult');
    await s.checkPage(page, 'demodata-etterlevelse-laeringsnettverk');
  });

  it('leder: the own service figures and the overdue backlog', async () => {
    const page = await s.as('demo-vestby-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Etterlevelse' }).click();
    await page.getByRole('heading', { name: 'Etterlevelse', level: 1 }).waitFor();
    await page.getByText(/^Andel i tide totalt: \d+(,\d)? %/).waitFor();
    await s.checkPage(page, 'demodata-etterlevelse-leder');
  });
});
