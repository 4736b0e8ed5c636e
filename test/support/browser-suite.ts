import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { launchChromium } from './chromium.js';
import { loginAs, screenshot, seriousViolations, type Person } from './web.js';

/** A foster parent's contact details, as the personal-data API takes them (fictional in tests). */
export interface FosterFamilyMember {
  readonly name: string;
  readonly relation: string;
  readonly phone?: string;
  readonly address?: string;
}

/**
 * What every browser spec file shares: the run's stack (started once by browser.global-setup.mjs), a
 * Chromium for the file, people logged in through the login page, the API as a demo user, and the checks
 * each main page gets (axe-core: no serious or critical violations; a screenshot in
 * test-results/screenshots/). A console error (other than the browser's note of an expected 4xx answer)
 * or an uncaught exception on any page of the file fails it.
 *
 * Call `browserSuite()` once at the top of a `describe`: it registers the file's beforeAll/afterAll.
 */
export interface BrowserSuite {
  readonly apiUrl: string;
  readonly browser: Browser;
  /** Today in Oslo: data is built relative to it, so the tests pass on any date. */
  readonly today: string;
  token(userId: string): Promise<string>;
  api<T>(userId: string, path: string, init?: RequestInit): Promise<T>;
  /** A fresh context logged in as the demo user; its console errors are checked after the file. */
  as(userId: string): Promise<Page>;
  /** Keep a person's console errors in the check after the file (for contexts made by hand). */
  track(person: Person): void;
  /** The page has no serious or critical accessibility problems, and is saved as a screenshot. */
  checkPage(page: Page, name: string): Promise<void>;
  /** Reloads until the locator shows (read models are built shortly after a command). */
  untilVisible(page: Page, locator: Locator, tries?: number): Promise<void>;
  /** Reloads until the locator shows and contains the text. */
  untilText(page: Page, locator: Locator, text: string, tries?: number): Promise<void>;
  /** A placement registered through the API by a caseworker (`by`) in their service, dated `daysAgo` back. */
  /**
   * Registers a placement through the API, with the service's case number and the foster family's
   * contact details (personal data, written once the placement is projected) when given.
   */
  registerPlacement(options?: {
    by?: string;
    daysAgo?: number;
    caseNumber?: string;
    fosterFamily?: readonly FosterFamilyMember[];
  }): Promise<string>;
  /**
   * A placement registered through the API by the Nordby caseworker, dated `daysAgo` days back, once its
   * package's tasks are in the inbox (with `escalated`, once some overdue task is escalated).
   */
  seedPlacement(options?: {
    daysAgo?: number;
    escalated?: boolean;
    caseNumber?: string;
    fosterFamily?: readonly FosterFamilyMember[];
  }): Promise<string>;
}

/** A task card in the inbox (or a region of it) by its title. */
export const card = (scope: Page | Locator, title: string) =>
  scope.locator('li.task-card', { hasText: title }).first();

export function browserSuite(): BrowserSuite {
  const apiUrl = process.env.BROWSER_STACK_API_URL ?? '';
  const people: Person[] = [];
  let browser: Browser | undefined;

  async function token(userId: string): Promise<string> {
    const res = await fetch(`${apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function api<T>(userId: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${apiUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await token(userId)}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  const suite: BrowserSuite = {
    apiUrl,
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not started (browserSuite() registers beforeAll)');
      return browser;
    },
    today: osloDateOf(Date.now()),
    token,
    api,
    async as(userId) {
      const person = await loginAs(suite.browser, apiUrl, userId);
      people.push(person);
      return person.page;
    },
    track(person) {
      people.push(person);
    },
    async checkPage(page, name) {
      await page.waitForLoadState('networkidle');
      // A dialog fades in over 300 ms (Designsystemet's animation): axe measuring contrast half-way
      // sees a translucent button. Wait until every running animation has finished.
      // (Endless ones, a spinner's, are left alone; a cancelled one counts as finished.)
      await page.evaluate(`Promise.all(
        document.getAnimations()
          .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ).then(() => undefined)`);
      await screenshot(page, name);
      expect(await seriousViolations(page)).toEqual([]);
    },
    async untilVisible(page, locator, tries = 30) {
      for (let i = 0; i < tries; i++) {
        if (await locator.first().isVisible()) return;
        await page.waitForTimeout(500);
        if (i % 2 === 1) await page.reload();
      }
      await locator.first().waitFor({ timeout: 5_000 });
    },
    async untilText(page, locator, text, tries = 30) {
      for (let i = 0; i < tries; i++) {
        if ((await locator.first().isVisible()) && (await locator.first().textContent())?.includes(text))
          return;
        await page.waitForTimeout(500);
        if (i % 2 === 1) await page.reload();
      }
      expect(await locator.first().textContent()).toContain(text);
    },
    async registerPlacement({ by = 'demo-kontaktperson', daysAgo = 40, caseNumber, fosterFamily } = {}) {
      const services = await api<{ id: string; memberMunicipalityIds: string[] }[]>(
        by,
        '/api/reference/services',
      );
      const me = await api<{ organisation: string }>(by, '/api/me');
      const municipalityId = services.find((s) => s.id === me.organisation)?.memberMunicipalityIds[0];
      const { placementId } = await api<{ placementId: string }>(by, '/api/placements', {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          ...(caseNumber ? { caseNumber } : {}),
          municipalityId,
          catalogVersion: '2026.1',
          facts: {
            placementType: 'omsorgsovertakelse',
            legalBasis: 'omsorgsovertakelse',
            placementDate: addDays(suite.today, -daysAgo),
            childAgeYears: 9,
            samvaer: true,
            parentsReachable: true,
            inSchoolOrKindergarten: true,
            bufetatHelp: true,
            beredskapshjem: false,
          },
        }),
      });
      // The caseworker registers the foster family's contact details (once the placement is projected).
      for (let i = 0; fosterFamily && i < 150; i++) {
        const res = await fetch(`${apiUrl}/api/placements/${placementId}/personal-data`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${await token(by)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ child: { name: 'Fiktiv Seedbarn' }, parents: [], fosterFamily }),
        });
        if (res.status === 204) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return placementId;
    },
    async seedPlacement({ daysAgo = 40, escalated = true, caseNumber, fosterFamily } = {}) {
      const placementId = await suite.registerPlacement({ daysAgo, caseNumber, fosterFamily });
      // Wait for the projector: the package's tasks in the inbox, escalations included when asked for.
      for (let i = 0; i < 150; i++) {
        const page = await api<{ items: { escalated: boolean }[] }>(
          'demo-leder',
          `/api/tasks?placementId=${placementId}${escalated ? '&status=overdue' : ''}`,
        );
        if (escalated ? page.items.some((t) => t.escalated) : page.items.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return placementId;
    },
  };

  beforeAll(async () => {
    if (!apiUrl) throw new Error('BROWSER_STACK_API_URL is not set: run the browser tests through Jest');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    // A page that threw or logged an error fails the file here, whichever flow it came from.
    const errors = people
      .flatMap((p) => p.consoleErrors)
      .filter((e) => !/status of (400|403|404|409|422)/.test(e));
    expect(errors).toEqual([]);
  });

  return suite;
}
