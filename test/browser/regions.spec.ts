import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { finnmarkDemoPlan } from '../../apps/launcher/demo/demo-plan.js';
import { seedDemoData } from '../../apps/launcher/demo/demo-seed.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { FINNMARK_DEMO } from '../../libs/security/index.js';
import { browserSuite } from '../support/browser-suite.js';

/**
 * A second region (issue 17): Finnmark's data file loaded through the admin API, a placement registered
 * in Alta without naming a catalog version (Finnmark's choice is used), and then, in a real browser,
 * Finnmark's leader and learning-network lead see Finnmark only, and the administrator's reference page
 * shows the regions. Only Finnmark's services get data here: no other file uses them. Alta also gets
 * `npm start`'s Finnmark demo data (finnmarkDemoPlan: 40 placements over two years, sent through the API
 * as Finnmark's demo users), so the leader and the lead see figures rather than an empty page.
 */
describe('web app in Chromium: a second region (Finnmark)', () => {
  const s = browserSuite();
  const caseNumber = `FM-${randomUUID().slice(0, 6)}`;
  let placementId: string;
  const plan = finnmarkDemoPlan(s.today);
  let demoIds: readonly string[];

  beforeAll(async () => {
    const file = readFileSync(new URL('../../data/regions/finnmark.json', import.meta.url), 'utf8');
    await s.api('demo-admin', '/api/reference/regions/finnmark', { method: 'PUT', body: file });
    ({ placementId } = await s.api<{ placementId: string }>(
      'demo-finnmark-kontaktperson',
      '/api/placements',
      {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          caseNumber,
          municipalityId: FINNMARK_DEMO.altaMunicipality,
          facts: {
            placementType: 'omsorgsovertakelse',
            legalBasis: 'omsorgsovertakelse',
            placementDate: s.today,
            childAgeYears: 7,
            samvaer: true,
            parentsReachable: true,
            inSchoolOrKindergarten: true,
            bufetatHelp: false,
            beredskapshjem: false,
          },
        }),
      },
    ));
    for (let i = 0; ; i++) {
      const placement = await fetch(`${s.apiUrl}/api/placements/${placementId}`, {
        headers: { authorization: `Bearer ${await s.token('demo-finnmark-leder')}` },
      });
      if (placement.ok) {
        // No version named: the one Finnmark chose in its file.
        expect(((await placement.json()) as { catalogVersion: string }).catalogVersion).toBe('2026.2');
        break;
      }
      if (i > 150) throw new Error(`placement ${caseNumber} not projected`);
      await new Promise((r) => setTimeout(r, 200));
    }
    ({ placementIds: demoIds } = await seedDemoData({ apiUrl: s.apiUrl, plan }));
    // The lead's quarter is published (frozen) when first asked for: only once the read models hold all
    // of the demo data (every waiver in, every ended placement ended).
    const waivers = plan.reduce((n, p) => n + p.waivers.length, 0);
    const from = addDays(s.today, -800);
    for (let i = 0; ; i++) {
      const report = await s.api<{ total: { waived?: number } }>(
        'demo-finnmark-leder',
        `/api/adherence/report?from=${from}&to=${s.today}`,
      );
      if (report.total.waived === waivers) break;
      if (i > 120) throw new Error(`Alta: ${report.total.waived} of ${waivers} waivers projected`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const [i, p] of plan.entries()) {
      if (!p.end) continue;
      for (let tries = 0; ; tries++) {
        const placement = await s.api<{ status: string }>(p.end.userId, `/api/placements/${demoIds[i]}`);
        if (placement.status === 'ended') break;
        if (tries > 120) throw new Error(`placement ${p.caseNumber} not ended`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }, 300_000);

  it("Finnmark's leader: the service's placements with the demo data, none of Trøndelag's", async () => {
    const page = await s.as('demo-finnmark-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Plasseringer' }).click();
    await page.getByRole('heading', { name: 'Plasseringer', level: 1 }).waitFor();
    await page.getByRole('link', { name: new RegExp(caseNumber) }).waitFor();
    // Every other file's placements are Trøndelag's (the demo services): none of them here, only the one
    // registered above and Alta's demo placements (those with tasks the leader sees).
    const anchors = await page.getByRole('table').locator('tbody tr th a').all();
    const links = await Promise.all(anchors.map(async (a) => (await a.getAttribute('href')) ?? ''));
    const alta = new Set([placementId, ...demoIds].map((id) => `/plasseringer/${id}`));
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((href) => !alta.has(href))).toEqual([]);
    await s.checkPage(page, 'plasseringer-finnmark-leder');
  });

  it("Finnmark's learning-network lead: adherence for Vest-Finnmark, nothing of Trøndelag", async () => {
    const page = await s.as('demo-finnmark-nettverksleder');
    await page.getByRole('heading', { name: 'Etterlevelse', level: 1 }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual([
      'Etterlevelse',
      'Kompetansebasens etterlevelse',
    ]);
    await page.getByText('Grupper med færre enn 5 plasseringer vises ikke').waitFor();
    // The network's reports, loaded (the quarter published for Finnmark's networks only).
    for (const loading of ['Henter rapportene', 'Henter forsinkelser over tid', 'Henter lovkravene'])
      await page.getByText(loading).waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/fiktiv|Trondheim|Værnesregionen/);
    // Alta's demo data: its figures shown, not hidden.
    await page.getByText(/^Andel i tide totalt: \d+(,\d)? %/).waitFor();
    const byService = page.getByRole('table').filter({ hasText: 'Alta barneverntjeneste' }).first();
    const alta = byService.locator('tbody tr', { hasText: 'Alta barneverntjeneste' });
    expect(await alta.textContent()).toMatch(/\d+(,\d)? %.*\d+ i tide av \d+ \(\d+ plasseringer\)/);
    await s.checkPage(page, 'etterlevelse-finnmark-nettverksleder');
  });

  it('administrator: the regions with their catalog versions, and one region’s data at a time', async () => {
    const page = await s.as('demo-admin');
    await page.goto('/admin/referansedata');
    await page.getByRole('heading', { name: 'Referansedata', level: 1 }).waitFor();
    const regions = page.getByRole('table', { name: /^Regioner/ });
    await regions.getByRole('rowheader', { name: 'Finnmark' }).waitFor();
    await regions.getByRole('rowheader', { name: 'Trøndelag' }).waitFor();
    expect(await regions.getByRole('row', { name: /Finnmark/ }).textContent()).toMatch(/finnmark2026\.21815/);
    await page.getByLabel('Vis referansedata for').selectOption('finnmark');
    await page.getByText('Vis alle kommuner (18)').waitFor();
    await s.checkPage(page, 'admin-regioner');
  });
});
