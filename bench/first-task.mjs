#!/usr/bin/env node
// How long it takes each role to find and finish its next task, in a real Chromium against a running
// system (`npm start`, with its demo data): per role, the first screen after login (a screenshot), then
// the clicks and seconds from that screen until the next task is registered as done. "Next task" is
// what the first screen offers first: the top row of «Mine» (sorted by due date), or, when «Mine» is
// empty, the top row of «Felles kø», taken first. Roles without tasks (the learning-network lead, the
// administrator) get their first screen and the time until its figures are there.
//
//   npm start                       # in one terminal; wait for «Demodata: … ferdig»
//   npm run bench:first-task        # BASE_URL (default http://localhost:3000), SHOTS (default
//                                   # test-results/first-task), CHROMIUM_PATH as for the browser tests
//
// It changes data: each task role completes one task (through the web app, as a user would).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL ?? 'http://localhost:3000';
const SHOTS = process.env.SHOTS ?? 'test-results/first-task';
const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const TASK_ROLES = [
  ['kontaktperson', 'demo-kontaktperson'],
  ['fosterhjemsressurs', 'demo-fosterhjemsressurs'],
  ['tilsynsfører', 'demo-tilsynsforer'],
  ['Bufetat', 'demo-bufetat'],
  ['leder', 'demo-leder'],
];
const READING_ROLES = [
  ['læringsnettverksleder', 'demo-laeringsnettverksleder', 'table'],
  ['administrator', 'demo-admin', 'table'],
];

async function login(browser, userId) {
  const context = await browser.newContext({
    baseURL: BASE,
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto('/logg-inn');
  await page.locator(`input[name="demoUser"][value="${userId}"]`).check();
  await page.getByRole('button', { name: 'Logg inn som demobruker' }).click();
  await page.waitForURL((url) => url.pathname !== '/logg-inn' && url.pathname !== '/');
  return { context, page };
}

/** The inbox table's first row in the current view, once the table has loaded (null: the view is empty). */
async function firstRow(page) {
  const table = page.locator('table.inbox-table');
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
  await table
    .or(page.getByText('Ingen oppgaver.', { exact: true }))
    .first()
    .waitFor({ timeout: 30_000 });
  if ((await table.count()) === 0) return null;
  const rows = table.locator('tbody tr:not(.row-detail)').filter({ has: page.locator('th .row-toggle') });
  return (await rows.count()) > 0 ? rows.first() : null;
}

async function nextTask(browser, label, userId) {
  const { context, page } = await login(browser, userId);
  await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
  let row = await firstRow(page);
  await page.screenshot({ path: `${SHOTS}/forste-skjerm-${userId}.png` });
  const started = performance.now();
  let clicks = 0;
  const click = async (locator) => {
    clicks += 1;
    await locator.click();
  };
  let view = 'Mine';
  if (!row) {
    view = 'Felles kø';
    await click(page.getByRole('tab', { name: /^Felles kø/ }));
    await page.locator('caption', { hasText: 'Felles kø' }).waitFor();
    row = await firstRow(page);
  }
  if (!row) {
    await context.close();
    return { role: label, userId, view, found: false };
  }
  const toggle = row.locator('th .row-toggle');
  const title = ((await toggle.evaluate((b) => b.childNodes[0]?.textContent)) ?? '').trim();
  await click(toggle);
  const detail = page.locator('tr.row-detail');
  await detail.waitFor();
  const take = detail.getByRole('button', { name: /^Ta oppgaven/ });
  const took = (await take.count()) > 0;
  if (took) {
    await click(take);
    await page.getByText(`Du har tatt «${title}».`).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Oppgaven du tok', level: 2 }).waitFor();
  }
  // A task taken from the pool opens at the top of the page («Oppgaven du tok»), with its actions.
  const here = took ? page.locator('section[aria-labelledby="focused-title"]') : detail;
  await click(here.getByRole('button', { name: /^Registrer utført/ }));
  await here.getByLabel('Utfall').selectOption('gjennomfort');
  clicks += 1; // choosing the outcome
  await click(here.getByRole('button', { name: /^Lagre som utført/ }));
  await page.getByText(`«${title}» er registrert som utført.`).waitFor({ timeout: 30_000 });
  const seconds = (performance.now() - started) / 1000;
  await context.close();
  return { role: label, userId, view, found: true, title, clicks, seconds };
}

async function reading(browser, label, userId, selector) {
  const { context, page } = await login(browser, userId);
  const started = performance.now();
  await page.locator(selector).first().waitFor({ timeout: 30_000 });
  const seconds = (performance.now() - started) / 1000;
  await page.screenshot({ path: `${SHOTS}/forste-skjerm-${userId}.png` });
  const path = new URL(page.url()).pathname;
  await context.close();
  return { role: label, userId, view: path, found: true, clicks: 0, seconds };
}

mkdirSync(SHOTS, { recursive: true });
if (!CHROMIUM) throw new Error('no Chromium: set CHROMIUM_PATH (see README, browser tests)');
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--lang=nb', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
});
const results = [];
try {
  for (const [label, userId] of TASK_ROLES) results.push(await nextTask(browser, label, userId));
  for (const [label, userId, selector] of READING_ROLES)
    results.push(await reading(browser, label, userId, selector));
} finally {
  await browser.close();
}
writeFileSync(`${SHOTS}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
const lines = [
  `first task per role against ${BASE} (screenshots: ${SHOTS}/forste-skjerm-<user>.png)`,
  'role                   first view  clicks  seconds  task',
  ...results.map(
    (r) =>
      `${r.role.padEnd(22)} ${String(r.view).padEnd(11)} ${r.found ? String(r.clicks).padStart(6) : '     -'}  ${
        r.found ? r.seconds.toFixed(1).padStart(7) : '      -'
      }  ${r.title ?? (r.found ? '(reads the figures)' : 'no task to do')}`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
