import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite } from '../support/browser-suite.js';
import { loginAs, SCREENSHOTS, screenshot } from '../support/web.js';

/**
 * The placement page's broken and bare states, in a real browser against the real system: a placement
 * that is not there (or is hidden from the user), one that cannot be fetched, the moment right after a
 * registration, pause and end asking first, where focus goes after an action, buttons that name their
 * task, and a phone's width.
 */
describe('web app in Chromium: the placement page in its hard states', () => {
  const s = browserSuite();
  /** A placement of the caseworker's service, registered 10 days ago: open work for every role. */
  let placementId: string;

  beforeAll(async () => {
    placementId = await s.seedPlacement({ daysAgo: 10, escalated: false });
  }, 180_000);

  /** What has focus: its tag, id, role and text. */
  const focused = (page: Page) =>
    page.evaluate<{ tag?: string; id?: string; role?: string | null; text?: string }>(`(() => {
      const e = document.activeElement;
      return { tag: e?.tagName, id: e?.id, role: e?.getAttribute('role'), text: e?.textContent?.trim() };
    })()`);

  /** The whole page fits in the viewport's width, and the element is inside it. */
  async function onScreen(page: Page, locator: Locator): Promise<void> {
    const box = await locator.boundingBox();
    const width = page.viewportSize()?.width ?? 0;
    if (!box) throw new Error('not rendered');
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
  }

  it('a placement that is not there, or is hidden from the user, says so at once with a way back', async () => {
    // One of another service (Sørvik): it exists, but the Nordby caseworker may not see it.
    const hidden = await s.registerPlacement({ by: 'demo-sorvik-kontaktperson', daysAgo: 5 });
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${s.apiUrl}/api/placements/${hidden}`, {
        headers: { authorization: `Bearer ${await s.token('demo-sorvik-kontaktperson')}` },
      });
      if (res.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await s.api('demo-sorvik-kontaktperson', `/api/placements/${hidden}`)).toMatchObject({
      placementId: hidden,
    });

    const page = await s.as('demo-kontaktperson');
    for (const id of [randomUUID(), hidden, 'ikke-en-plassering']) {
      await page.goto(`/plasseringer/${id}`);
      // At once: no waiting out retries behind "Henter plasseringen …".
      await page
        .getByRole('heading', { name: 'Fant ikke plasseringen', level: 1 })
        .waitFor({ timeout: 5_000 });
      expect(await page.getByText('Henter plasseringen').count()).toBe(0);
      await page.getByText('Plasseringen finnes ikke, eller du har ikke tilgang til den.').waitFor();
      expect(await page.getByRole('heading', { name: 'Omsorgspakken' }).count()).toBe(0);
    }
    await s.checkPage(page, 'plassering-finnes-ikke');

    // Reached from within the app, focus goes to the heading that says so; the link leads back.
    await page.goto('/plasseringer');
    // The app has drawn the page (its list loaded) before the link is added: a link added while the app
    // still renders could be replaced with the page it draws.
    await page.getByRole('heading', { name: 'Plasseringer', level: 1 }).waitFor();
    await page.getByRole('table', { name: /Plasseringer i tjenesten/ }).waitFor();
    await page.evaluate(`(() => {
      const a = document.createElement('a');
      a.href = '/plasseringer/${randomUUID()}';
      a.textContent = 'lenke';
      document.querySelector('main').append(a);
      a.click();
    })()`);
    await page.getByRole('heading', { name: 'Fant ikke plasseringen', level: 1 }).waitFor();
    await page.waitForFunction(`document.activeElement?.id === 'placement-title'`);
    await page.getByRole('link', { name: 'Til plasseringene' }).click();
    await page.getByRole('heading', { name: 'Plasseringer', level: 1 }).waitFor();
  });

  it('a placement that cannot be fetched shows an error and a way to try again', async () => {
    // The network fails for the placement itself (the one fault injected here); everything else is real.
    const person = await loginAs(s.browser, s.apiUrl, 'demo-kontaktperson');
    const { page } = person;
    const placementUrl = `**/api/placements/${placementId}`;
    await page.route(placementUrl, (route) => route.abort('failed'));
    await page.goto(`/plasseringer/${placementId}`);
    await page.getByRole('heading', { name: 'Kunne ikke hente plasseringen', level: 1 }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Fikk ikke kontakt med tjenesten.' }).waitFor();
    expect(await page.getByText('Henter plasseringen').count()).toBe(0);
    await s.checkPage(page, 'plassering-feil-ved-henting');

    await page.unroute(placementUrl);
    await page.getByRole('button', { name: 'Prøv igjen' }).click();
    await page.getByRole('heading', { name: `Plassering ${placementId.slice(0, 8)}`, level: 1 }).waitFor();
    await page.locator('dl.summary').waitFor();
    // The aborted request is the browser's only complaint.
    expect(person.consoleErrors.filter((e) => !/ERR_FAILED/.test(e))).toEqual([]);
    await person.context.close();
  });

  it('right after registration the page shows the plan, or that it is being made, never empty tracks', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.goto('/plasseringer/ny');
    await page.getByRole('heading', { name: 'Registrer plassering', level: 1 }).waitFor();
    await page.getByLabel('Saksnummer').fill('S-2026/0001');
    await page.getByLabel('Kommune').selectOption({ index: 1 });
    await page.getByLabel('Type plassering').selectOption('omsorgsovertakelse');
    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByLabel('Innflyttingsdato').fill(addDays(s.today, -2));
    await page.getByLabel('Barnets alder').fill('6');
    await page.getByLabel('Foreldrene kan nås').check();

    // Every state the placement page goes through, recorded as it renders (the app navigates in-page).
    await page.evaluate(`(() => {
      const seen = (window.planStates = []);
      const note = () => {
        if (!/^\\/plasseringer\\/[0-9a-f-]{36}$/.test(location.pathname)) return;
        const state = document.querySelector('tr[data-task]')
          ? 'plan'
          : document.querySelector('.plan-pending')
            ? 'lages'
            : document.querySelector('.tracks')
              ? 'tomme spor'
              : null;
        if (state && seen.at(-1) !== state) seen.push(state);
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true });
    })()`);
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.waitForURL(/\/plasseringer\/[0-9a-f-]{36}/);
    if (await page.locator('.plan-pending').isVisible()) await screenshot(page, 'plassering-planen-lages');
    await page.getByText('Plasseringen er registrert').waitFor();
    // Without reloading: the page asks again until the plan is there (seen here in its table view).
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    await page.getByRole('row', { name: /Første besøk i hjemmet/ }).waitFor({ timeout: 30_000 });
    const states = await page.evaluate<string[]>('window.planStates');
    expect(states).not.toContain('tomme spor');
    expect(states.at(-1)).toBe('plan');
    expect(await page.getByText('Ingen steg i dette sporet.').count()).toBe(0);
    await s.checkPage(page, 'plassering-ny');
  });

  it('buttons name their task, and focus lands on the result after an action', async () => {
    // The inbox: every button of a card carries the card's title (read by screen readers only).
    const pool = await s.as('demo-fosterhjemsressurs');
    await pool.goto(`/oppgaver?plassering=${placementId}&visning=alle&oppsett=kort`);
    const cards = pool.locator('li.task-card');
    await cards.first().waitFor();
    for (const c of await cards.all()) {
      const title = (await c.locator('h3').textContent()) ?? '';
      for (const text of await c.locator('.task-actions button').allTextContents())
        expect(text).toContain(`«${title}»`);
    }
    const claim = pool.getByRole('button', { name: /^Ta oppgaven «/ }).first();
    const claimed = ((await claim.textContent()) ?? '').replace('Ta oppgaven', '').trim();
    expect(claimed).toMatch(/^«.+»$/);
    expect(await pool.getByRole('button', { name: `Ta oppgaven ${claimed}`, exact: true }).count()).toBe(1);
    await claim.click();
    // The button is gone (the task is taken): focus is on the message, not on the page body.
    await pool.getByText(`Du har tatt ${claimed}.`).waitFor();
    expect(await focused(pool)).toMatchObject({ role: 'status', text: `Du har tatt ${claimed}.` });

    // The placement page: a step's actions name it, and completing it puts focus on the result.
    const page = await s.as('demo-kontaktperson');
    await page.goto(`/plasseringer/${placementId}`);
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    const title = 'Første besøk i hjemmet';
    await page.getByRole('button', { name: `Handlinger for ${title}`, exact: true }).click();
    const panel = page.locator('tr.row-panel');
    for (const text of await panel.locator('.task-actions button').allTextContents())
      expect(text).toContain(`«${title}»`);
    await panel.getByRole('button', { name: `Registrer utført «${title}»`, exact: true }).click();
    await panel.getByLabel('Utfall').selectOption('gjennomfort');
    await panel.getByRole('button', { name: `Lagre som utført «${title}»`, exact: true }).click();
    await page.getByText(`«${title}» er registrert som utført.`).waitFor();
    expect(await focused(page)).toMatchObject({
      role: 'status',
      text: `«${title}» er registrert som utført.`,
    });
  });

  it('fits a phone: no sideways scrolling at 390 px, and the actions on screen', async () => {
    const page = await s.as('demo-kontaktperson');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/plasseringer/${placementId}`);
    await page.getByRole('button', { name: 'Tabell', exact: true }).click({ timeout: 30_000 });
    const row = page.locator('tr[data-task]', { hasText: 'Oppfølgingsbesøk' }).first();
    await row.waitFor();
    const fits = () =>
      page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
    expect(await fits()).toBe(true);
    const actions = row.getByRole('button', { name: /^Handlinger for/ });
    await onScreen(page, actions);
    for (const name of ['Vis opplysninger om barnet og familien', 'Forhåndsvis endringen', 'Sett på pause'])
      await onScreen(page, page.getByRole('button', { name }));
    await onScreen(page, page.getByRole('button', { name: 'Avslutt plasseringen' }));

    // A step's actions open under it, on screen too.
    await actions.click();
    const done = page.locator('tr.row-panel').getByRole('button', { name: /^Registrer utført/ });
    await onScreen(page, done);
    expect(await fits()).toBe(true);
    // What a phone shows there (the full page is very tall): the row and its actions.
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}plassering-390px-handlinger.png` });
    await s.checkPage(page, 'plassering-390px');
  });

  it('pause and end ask first, naming the placement and what follows; nothing is sent before', async () => {
    const page = await s.as('demo-kontaktperson');
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') sent.push(new URL(r.url()).pathname);
    });
    await page.goto(`/plasseringer/${placementId}`);
    const name = `Plassering ${placementId.slice(0, 8)}`;
    const [y, m, d] = s.today.split('-');

    // Pause: the question names the placement, the dialog says what follows; Escape leaves it as it was.
    await page.getByLabel('Årsak til pause').selectOption('sykehusopphold');
    await page.getByRole('button', { name: 'Sett på pause' }).click();
    const pause = page.getByRole('dialog', { name: `Sette ${name} på pause?` });
    await pause.waitFor();
    expect(await pause.textContent()).toContain('Årsak: Sykehusopphold.');
    expect(await pause.textContent()).toContain(`står stille fra ${d}.${m}.${y}`);
    expect(await focused(page)).toMatchObject({ text: 'Avbryt' });
    await s.checkPage(page, 'plassering-bekreft-pause');
    await page.keyboard.press('Escape');
    await pause.waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ text: 'Sett på pause' });
    expect(sent.filter((p) => p.endsWith('/pause'))).toEqual([]);

    await page.getByRole('button', { name: 'Sett på pause' }).click();
    await pause.getByRole('button', { name: 'Sett på pause' }).click();
    await page.getByText('Omsorgspakken er satt på pause.').waitFor();
    expect(sent.filter((p) => p.endsWith('/pause'))).toEqual([`/api/placements/${placementId}/pause`]);
    expect(await focused(page)).toMatchObject({ role: 'status', text: 'Omsorgspakken er satt på pause.' });

    // Resume needs no question.
    await s.untilVisible(page, page.getByRole('button', { name: 'Gjenoppta' }));
    await page.getByRole('button', { name: 'Gjenoppta' }).click();
    await page.getByText('Omsorgspakken er gjenopptatt.').waitFor();
    expect(await focused(page)).toMatchObject({ role: 'status', text: 'Omsorgspakken er gjenopptatt.' });

    // End: said to be final; «Avbryt» sends nothing.
    await s.untilVisible(page, page.getByRole('button', { name: 'Sett på pause' }));
    await page.getByLabel('Årsak til avslutning').selectOption('planlagt');
    await page.getByRole('button', { name: 'Avslutt plasseringen' }).click();
    const end = page.getByRole('dialog', { name: `Avslutte ${name}?` });
    await end.waitFor();
    expect(await end.textContent()).toContain('Årsak: Planlagt avslutning.');
    expect(await end.textContent()).toContain('Alle åpne steg i omsorgspakken faller bort');
    expect(await end.textContent()).toContain('Dette kan ikke angres.');
    await s.checkPage(page, 'plassering-bekreft-avslutt');
    await end.getByRole('button', { name: 'Avbryt' }).click();
    await end.waitFor({ state: 'hidden' });
    expect(sent.filter((p) => p.endsWith('/end'))).toEqual([]);

    await page.getByRole('button', { name: 'Avslutt plasseringen' }).click();
    await end.getByRole('button', { name: 'Avslutt plasseringen' }).click();
    await page.getByText('Plasseringen er avsluttet.').waitFor();
    expect(sent.filter((p) => p.endsWith('/end'))).toEqual([`/api/placements/${placementId}/end`]);
    expect(await focused(page)).toMatchObject({ role: 'status', text: 'Plasseringen er avsluttet.' });
    await s.untilText(page, page.locator('dl.summary'), 'Avsluttet');
  });
});
