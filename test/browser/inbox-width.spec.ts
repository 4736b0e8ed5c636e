import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { browserSuite } from '../support/browser-suite.js';

/**
 * «Mine oppgaver» on a common laptop (1280 × 800): every column of the compact table, the due date
 * («Frist») included, is readable without scrolling sideways, for a caseworker (who also sees the case
 * number as a link) and for the foster-home resource, also with a row opened for its actions. A placement
 * of Nordby with a case number as long as the API allows (30 characters, as archive systems make them) is
 * registered through the API; each of the two takes one of its tasks, so that «Mine» has rows too.
 */
const CASE = `BVTJ-2026/004171-NORDBY-${randomUUID().slice(0, 6).toUpperCase()}`;
const WIDTH = 1280;

interface ApiTask {
  taskId: string;
  role: string;
  status: string;
  assigneeId: string | null;
}

interface Geometry {
  headers: { text: string; right: number }[];
  scrollWidth: number;
  clientWidth: number;
}

/** Where each header cell of the inbox table ends, and how wide the page is against the viewport. */
function geometryOf(page: Page): Promise<Geometry> {
  return page.evaluate<Geometry>(`(() => ({
    headers: [...document.querySelectorAll('table.inbox-table thead th')].map((th) => ({
      text: th.textContent?.trim() ?? '',
      right: th.getBoundingClientRect().right,
    })),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))()`);
}

describe('web app in Chromium: the inbox table at 1280 px', () => {
  const s = browserSuite();

  beforeAll(async () => {
    expect(CASE).toHaveLength(30);
    const placementId = await s.registerPlacement({ daysAgo: 30, caseNumber: CASE });
    let tasks: ApiTask[] = [];
    for (let i = 0; i < 150 && tasks.length === 0; i++) {
      tasks = (
        await s.api<{ items: ApiTask[] }>('demo-leder', `/api/tasks?placementId=${placementId}&limit=200`)
      ).items;
      if (tasks.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    // Each takes a task of the placement: it and the placement's pool of that role are «mine».
    for (const [user, role] of [
      ['demo-kontaktperson', 'kontaktperson'],
      ['demo-fosterhjemsressurs', 'fosterhjemsressurs'],
    ]) {
      const task = tasks.find(
        (t) => t.role === role && t.assigneeId === null && ['open', 'due-soon', 'overdue'].includes(t.status),
      );
      if (!task) throw new Error(`no open ${role} task in the placement`);
      await s.api(user, `/api/tasks/${placementId}/${encodeURIComponent(task.taskId)}/claim`, {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
      });
    }
  }, 180_000);

  it.each([
    ['demo-kontaktperson', 'mine', 'kontaktperson'],
    ['demo-kontaktperson', 'alle', 'kontaktperson-alle'],
    ['demo-fosterhjemsressurs', 'mine', 'fosterhjemsressurs'],
    ['demo-fosterhjemsressurs', 'alle', 'fosterhjemsressurs-alle'],
  ])('%s, view «%s»: every header within the viewport, no sideways page scroll', async (user, view, name) => {
    const page = await s.as(user);
    await page.setViewportSize({ width: WIDTH, height: 800 });
    // This file's placement, found by its case number (other files share the stack).
    await page.goto(`/oppgaver?${view === 'mine' ? '' : `visning=${view}&`}sok=${encodeURIComponent(CASE)}`);
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    const rows = page.locator('table.inbox-table tbody tr:not(.row-detail)');
    await s.untilVisible(page, rows.first());
    expect(await rows.first().textContent()).toContain(`Sak ${CASE}`);

    const { headers, scrollWidth, clientWidth } = await geometryOf(page);
    expect(headers.map((h) => h.text)).toEqual(
      expect.arrayContaining(['Steg', 'Sak', 'Frist', 'Status', 'Ansvarlig', 'Spor']),
    );
    expect(headers.filter((h) => h.right > WIDTH)).toEqual([]);
    expect(clientWidth).toBe(WIDTH);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // Each row's due date is shown in full (dd.mm.yyyy), inside the viewport.
    const due = await page.evaluate<{ text: string; right: number }[]>(`(() => {
      const col = [...document.querySelectorAll('table.inbox-table thead th')]
        .findIndex((th) => th.textContent?.trim() === 'Frist');
      return [...document.querySelectorAll('table.inbox-table tbody tr:not(.row-detail)')].map((r) => {
        const cell = r.children[col];
        return { text: cell?.textContent?.trim() ?? '', right: cell?.getBoundingClientRect().right ?? Infinity };
      });
    })()`);
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) {
      expect(d.text).toMatch(/^\d\d\.\d\d\.\d{4}$/);
      expect(d.right).toBeLessThanOrEqual(WIDTH);
    }
    await s.checkPage(page, `oppgaver-1280-${name}`);

    // A row opened for its actions, with the completion form: the table stays within the viewport.
    await rows.first().locator('th .row-toggle').click();
    const detail = page.locator('tr.row-detail');
    await detail.getByRole('button', { name: /^Registrer utført/ }).click();
    await detail.locator('form.panel').waitFor();
    const opened = await geometryOf(page);
    expect(opened.headers.filter((h) => h.right > WIDTH)).toEqual([]);
    expect(opened.scrollWidth).toBeLessThanOrEqual(opened.clientWidth);
    const detailRight = await page.evaluate<number>(
      `document.querySelector('tr.row-detail')?.getBoundingClientRect().right ?? Infinity`,
    );
    expect(detailRight).toBeLessThanOrEqual(WIDTH);
    await s.checkPage(page, `oppgaver-1280-${name}-apnet`);
  });
});
