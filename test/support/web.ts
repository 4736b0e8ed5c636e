import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Helpers for the browser tests: log in as a demo user, check accessibility, save a screenshot. */

export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export interface Person {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
}

/** A fresh browser context (own session storage) logged in as a demo user through the login page. */
export async function loginAs(browser: Browser, baseUrl: string, userId: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/logg-inn');
  await page.locator(`input[name="demoUser"][value="${userId}"]`).check();
  await page.getByRole('button', { name: 'Logg inn som demobruker' }).click();
  await page.waitForURL((url) => url.pathname !== '/logg-inn' && url.pathname !== '/');
  return { context, page, consoleErrors };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core on the page as it stands (WCAG 2.1 A/AA): the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  // A check that ran no rules (axe not injected, an empty page) would pass vacuously.
  if (results.passes.length < 10) throw new Error(`axe ran only ${results.passes.length} passing rules`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** A full-page screenshot under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
