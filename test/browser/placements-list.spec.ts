import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { browserSuite } from '../support/browser-suite.js';

/**
 * The page «Plasseringer» in a real browser against the real system: the service's placements from
 * GET /api/placements with phase, status, open and overdue tasks and the next due date; active and
 * paused by default, ended and annulled ones when the filter asks for them; for caseworker and leader.
 */
describe('web app in Chromium: the placements list', () => {
  const s = browserSuite();
  const RUN = String(Date.now()).slice(-6);
  const numbers = { active: `A-${RUN}/1`, ended: `A-${RUN}/2`, annulled: `A-${RUN}/3` };

  /** GET /api/placements/{id} as the leader until the status is `status`. */
  async function until(placementId: string, status: string): Promise<void> {
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${s.apiUrl}/api/placements/${placementId}`, {
        headers: { authorization: `Bearer ${await s.token('demo-leder')}` },
      });
      if (res.ok && ((await res.json()) as { status: string }).status === status) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`placement ${placementId} did not become ${status}`);
  }
  const command = (path: string, body: object) =>
    s.api('demo-leder', path, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    await s.seedPlacement({ daysAgo: 20, escalated: false, caseNumber: numbers.active });
    const ended = await s.registerPlacement({ daysAgo: 20, caseNumber: numbers.ended });
    const annulled = await s.registerPlacement({ daysAgo: 3, caseNumber: numbers.annulled });
    await until(ended, 'active');
    await until(annulled, 'active');
    await command(`/api/placements/${ended}/end`, { reason: 'planlagt', endedOn: s.today });
    await command(`/api/placements/${annulled}/annul`, {});
    await until(ended, 'ended');
    await until(annulled, 'ended');
  }, 180_000);

  /** The row of a case number, asking for more pages («Vis flere») until it shows. */
  async function row(page: Page, caseNumber: string) {
    const found = page.getByRole('row', { name: new RegExp(`Sak ${caseNumber.replace('/', '\\/')}`) });
    for (let i = 0; i < 20 && (await found.count()) === 0; i++) {
      const more = page.getByRole('button', { name: 'Vis flere' });
      if ((await more.count()) === 0) break;
      const before = await page.getByRole('row').count();
      await more.click();
      await page.waitForFunction(`document.querySelectorAll('tr').length > ${before}`);
    }
    return found;
  }
  const cells = async (page: Page, caseNumber: string) =>
    (await (await row(page, caseNumber)).getByRole('cell').allTextContents()).map((t) => t.trim());

  for (const userId of ['demo-kontaktperson', 'demo-leder']) {
    it(`${userId}: active and paused by default; ended and annulled with their status when asked for`, async () => {
      const page = await s.as(userId);
      await page.goto('/plasseringer');
      await page.getByRole('heading', { name: 'Plasseringer', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: /Plasseringer i tjenesten: aktiv, pauset/ });
      await table.waitFor();
      expect(await table.getByRole('columnheader').allTextContents()).toEqual([
        'Plassering',
        'Fase',
        'Status',
        'Åpne oppgaver',
        'Forsinket',
        'Neste frist',
      ]);
      const active = await cells(page, numbers.active);
      expect(active.slice(0, 2)).toEqual(['Omsorgspakken', 'Aktiv']);
      expect(Number(active[2])).toBeGreaterThan(0);
      expect(active[4]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
      expect(await (await row(page, numbers.ended)).count()).toBe(0);
      expect(await (await row(page, numbers.annulled)).count()).toBe(0);
      await s.checkPage(page, `plasseringer-${userId}`);

      // Ended and annulled only.
      await page.getByRole('checkbox', { name: 'Aktiv' }).uncheck();
      await page.getByRole('checkbox', { name: 'Pauset' }).uncheck();
      await page.getByRole('checkbox', { name: 'Avsluttet' }).check();
      await page.getByRole('checkbox', { name: 'Annullert' }).check();
      await page.getByRole('table', { name: 'Plasseringer i tjenesten: avsluttet, annullert' }).waitFor();
      await (await row(page, numbers.annulled)).waitFor();
      expect(await cells(page, numbers.ended)).toEqual(['Omsorgspakken', 'Avsluttet', '0', '0', '–']);
      expect(await cells(page, numbers.annulled)).toEqual(['Omsorgspakken', 'Annullert', '0', '0', '–']);
      expect(await (await row(page, numbers.active)).count()).toBe(0);
      await s.checkPage(page, `plasseringer-avsluttet-annullert-${userId}`);

      // The name leads to the placement.
      await (await row(page, numbers.annulled)).getByRole('link').click();
      await page.getByRole('heading', { name: `Sak ${numbers.annulled}`, level: 1 }).waitFor();
    });
  }
});
