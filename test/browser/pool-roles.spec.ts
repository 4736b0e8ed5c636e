import { addDays } from '../../libs/domain/calendar/dates.js';
import { browserSuite, card } from '../support/browser-suite.js';

/**
 * The roles that work from the inbox in a real browser against the real system: fosterhjemsressurs
 * (the role pool, a waiver, a calendar feed), tilsynsfører (the link from a notice, an ended session)
 * and Bufetat (a task completed with the keyboard only). They share one placement registered through
 * the API first, dated 40 days ago, so it has overdue and escalated tasks for every role.
 */
/** The seeded placement's case number in Nordby's case system, and its foster family (fictional). */
const SEEDED_CASE = 'P-2026/0417';
const FOSTER_FAMILY = [
  {
    name: 'Fiktiv Fostermor',
    relation: 'fostermor',
    phone: '+47 900 12 345',
    address: 'Fiktivveien 1, 9901 Nordby',
  },
];

describe('web app in Chromium: the inbox roles', () => {
  const s = browserSuite();
  let seeded: string;

  beforeAll(async () => {
    seeded = await s.seedPlacement({ caseNumber: SEEDED_CASE, fosterFamily: FOSTER_FAMILY });
  }, 180_000);

  it('fosterhjemsressurs: claims a task from the role pool, waives one, gets a calendar feed', async () => {
    const page = await s.as('demo-fosterhjemsressurs');
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    // Every task the role sees, as cards (the default, «Mine» as a table, is inbox.spec.ts's).
    await page.goto('/oppgaver?visning=alle&oppsett=kort');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Plasseringer' }).count()).toBe(0);
    await page.getByLabel('Spor').selectOption('fosterfamilien');
    await page.getByLabel('Plassering', { exact: true }).selectOption(seeded);
    const overdue = page.getByRole('region', { name: /^Forsinket/ });
    const call = card(overdue, 'Telefonkontakt med fosterforeldrene');
    await call.waitFor();
    expect(await call.textContent()).toContain('Felles kø');
    // A foster-home resource of the owning service sees its case number, which says whose case it is.
    expect(await call.textContent()).toContain(`Sak ${SEEDED_CASE}`);
    expect(await page.locator('li.task-card', { hasText: 'Tilsynsbesøk' }).count()).toBe(0);
    await s.checkPage(page, 'mine-oppgaver-fosterhjemsressurs');

    // The foster family's contact details, fetched only when asked for (the read is logged).
    expect(await call.getByText('Fiktiv Fostermor').count()).toBe(0);
    await call.getByRole('button', { name: /^Vis kontaktinfo/ }).click();
    const family = call.getByRole('region', { name: 'Fosterfamilien' });
    await family.getByText('Fiktiv Fostermor').waitFor();
    expect(await family.getByRole('link', { name: '+47 900 12 345' }).getAttribute('href')).toBe(
      'tel:+4790012345',
    );
    expect(await family.textContent()).toContain('Fiktivveien 1, 9901 Nordby');
    await s.checkPage(page, 'fosterfamilie-kontaktinfo');
    const log = await s.api<{ items: { userId: string; action: string }[] }>(
      'demo-leder',
      `/api/placements/${seeded}/access-log?limit=500`,
    );
    expect(log.items.map((e) => `${e.userId} ${e.action}`)).toContain(
      'demo-fosterhjemsressurs GET /api/tasks/{placementId}/{taskId}/foster-family',
    );
    await family.getByRole('button', { name: 'Skjul kontaktinfo' }).click();
    expect(await call.getByText('Fiktiv Fostermor').count()).toBe(0);

    await call.getByRole('button', { name: 'Ta oppgaven' }).click();
    await page.getByText('Du har tatt «Telefonkontakt med fosterforeldrene».').waitFor();
    await page.getByLabel('Ansvarlig').selectOption('me');
    await page.waitForURL(/ansvarlig=me/);
    const assignee = card(page, 'Telefonkontakt med fosterforeldrene')
      .locator('div', { has: page.locator('dt', { hasText: 'Ansvarlig' }) })
      .locator('dd');
    await s.untilText(page, assignee, 'Deg');

    // Whoever holds a task may hand it on within its role: here back to the pool through the picker.
    const claimed = card(page, 'Telefonkontakt med fosterforeldrene');
    await claimed.getByRole('button', { name: 'Tildel' }).click();
    const picker = claimed.getByLabel('Gi oppgaven til');
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toContain('Rollens felles kø');
    await picker.selectOption('');
    await claimed.getByRole('button', { name: 'Tildel oppgaven' }).click();
    await page.getByText('«Telefonkontakt med fosterforeldrene» er lagt i rollens felles kø.').waitFor();

    await page.getByLabel('Ansvarlig').selectOption('');
    const mapping = card(page, 'Kartlegging av fosterfamiliens behov');
    await mapping.getByRole('button', { name: 'Frafall' }).click();
    await mapping.getByLabel('Begrunnelse').selectOption('gjennomfort-annet-sted');
    await mapping.getByRole('button', { name: 'Frafall steget' }).click();
    await page.getByText('«Kartlegging av fosterfamiliens behov» er frafalt.').waitFor();

    await page.getByRole('button', { name: 'Lag ny kalenderlenke' }).click();
    const feed = await page.getByLabel('Din hemmelige kalenderlenke (vises bare nå)').inputValue();
    expect(feed).toMatch(/\/calendar\/.+\.ics$/);
    const ics = await fetch(feed.replace(/^https?:\/\/[^/]+/, s.apiUrl));
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  });

  it('tilsynsfører: opens the link from a notice, logs in, and completes an overdue supervision visit', async () => {
    // The link e-mails and calendar entries carry (libs/notifications/digest.ts), opened before login.
    const context = await s.browser.newContext({ baseURL: s.apiUrl, locale: 'nb-NO' });
    const page = await context.newPage();
    s.track({ context, page, consoleErrors: [] });
    await page.goto(`/oppgaver/${seeded}/${encodeURIComponent('tilsynsbesok#1')}`);
    await page.locator('input[name="demoUser"][value="demo-tilsynsforer"]').check();
    await page.getByRole('button', { name: 'Logg inn som demobruker' }).click();
    const notice = page.getByRole('region', { name: 'Oppgaven fra varselet' });
    await notice.getByText('Tilsynsbesøk med rapport', { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/oppgaver/${seeded}/${encodeURIComponent('tilsynsbesok#1')}`);

    await page.goto('/oppgaver?visning=alle&oppsett=kort');
    await page.getByLabel('Plassering', { exact: true }).selectOption(seeded);
    const visit = card(page.getByRole('region', { name: /^Forsinket/ }), 'Tilsynsbesøk med rapport');
    await visit.waitFor();
    await s.checkPage(page, 'mine-oppgaver-tilsynsforer');
    await visit.getByRole('button', { name: 'Registrer utført' }).click();
    await visit.getByLabel('Utfall').selectOption('delvis-gjennomfort');
    await visit.getByLabel('Dato utført').fill(addDays(s.today, -1));
    await visit.getByRole('button', { name: 'Lagre som utført' }).click();
    await page.getByText('«Tilsynsbesøk med rapport» er registrert som utført.').waitFor();

    // The session ends while the page is open (here its token stops verifying, as an expired one does):
    // back to the login page, told why, and on to the same page after logging in again.
    await page.evaluate(() => {
      const key = 'omsorgspakken:session';
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { token: string };
      const broken = `${session.token.slice(0, -4)}${session.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      sessionStorage.setItem(key, JSON.stringify({ ...session, token: broken }));
    });
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Økten din er utløpt' }).waitFor();
    await page.locator('input[name="demoUser"][value="demo-tilsynsforer"]').check();
    await page.getByRole('button', { name: 'Logg inn som demobruker' }).click();
    await page.getByRole('heading', { name: 'Mine oppgaver' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/oppgaver');
  });

  it('Bufetat-rådgiver: sees the tasks of a service that asked for help, and completes one', async () => {
    const page = await s.as('demo-bufetat');
    await page.goto('/oppgaver?visning=alle&oppsett=kort');
    const task = card(page, 'Avklaring av Bufetat-bistand');
    await task.waitFor();
    expect(await page.locator('li.task-card', { hasText: 'Første besøk i hjemmet' }).count()).toBe(0);
    // Bufetat is not the owning service: no case number, the placement's neutral name instead.
    // (Other files' placements share the run's stack: any card of the service says the same.)
    expect(await task.textContent()).toMatch(/Plassering [0-9a-f]{8}/);
    expect(await page.locator('li.task-card', { hasText: /Sak / }).count()).toBe(0);
    expect(await page.getByText(SEEDED_CASE).count()).toBe(0);
    await s.checkPage(page, 'mine-oppgaver-bufetat');

    // With the keyboard only: open the form, Tab to its button, submit.
    await task.getByRole('button', { name: 'Registrer utført' }).focus();
    await page.keyboard.press('Enter');
    const submit = task.getByRole('button', { name: 'Lagre som utført' });
    await submit.waitFor();
    // (its text names the task for screen readers)
    const button = 'Lagre som utført «Avklaring av Bufetat-bistand»';
    const focused = () => page.evaluate<string | undefined>('document.activeElement?.textContent');
    for (let i = 0; i < 10 && (await focused()) !== button; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(button);
    await page.keyboard.press('Enter');
    await page.getByText('«Avklaring av Bufetat-bistand» er registrert som utført.').waitFor();
    // The form is gone with the task: focus is on the result, not on the page body.
    expect(await page.evaluate('document.activeElement?.getAttribute("role")')).toBe('status');
  });
});
