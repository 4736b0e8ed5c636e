import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { launchChromium } from '../support/chromium.js';
import { startTestStack } from '../support/stack.js';
import { loginAs, screenshot, seriousViolations, type Person } from '../support/web.js';

/**
 * The web app in a real browser (Debian's headless Chromium) against the real system: the compiled API
 * (which serves the app) and worker, the Temporal dev server and PostgreSQL, one stack for the whole
 * file. One flow per role, axe-core on every main page (no serious or critical violations), and a
 * screenshot of each main page in test-results/screenshots/.
 *
 * The flows share one placement registered through the API first (dated 40 days ago, so it has
 * overdue and escalated tasks for every role); the caseworker registers another through the form.
 */
/** The seeded placement's case number in Nordby's case system, and its foster family (fictional). */
const SEEDED_CASE = '2026/0417';
const FOSTER_FAMILY = [
  {
    name: 'Fiktiv Fostermor',
    relation: 'fostermor',
    phone: '+47 900 12 345',
    address: 'Fiktivveien 1, 9901 Nordby',
  },
];

describe('web app in Chromium', () => {
  let stack: RunningStack;
  let browser: Browser;
  let seeded: string;
  const people: Person[] = [];
  const today = osloDateOf(Date.now());

  async function token(userId: string): Promise<string> {
    const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function api<T>(userId: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${stack.apiUrl}${path}`, {
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

  async function as(userId: string): Promise<Page> {
    const person = await loginAs(browser, stack.apiUrl, userId);
    people.push(person);
    return person.page;
  }

  /** The page has no serious or critical accessibility problems, and is saved as a screenshot. */
  async function checkPage(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    await screenshot(page, name);
    expect(await seriousViolations(page)).toEqual([]);
  }

  /** Reloads until the locator shows (read models are built shortly after a command). */
  async function untilVisible(page: Page, locator: Locator, tries = 30): Promise<void> {
    for (let i = 0; i < tries; i++) {
      if (await locator.first().isVisible()) return;
      await page.waitForTimeout(500);
      if (i % 2 === 1) await page.reload();
    }
    await locator.first().waitFor({ timeout: 5_000 });
  }

  /** Reloads until the locator shows and contains the text. */
  async function untilText(page: Page, locator: Locator, text: string, tries = 30): Promise<void> {
    for (let i = 0; i < tries; i++) {
      if ((await locator.first().isVisible()) && (await locator.first().textContent())?.includes(text))
        return;
      await page.waitForTimeout(500);
      if (i % 2 === 1) await page.reload();
    }
    expect(await locator.first().textContent()).toContain(text);
  }

  const card = (scope: Page | Locator, title: string) =>
    scope.locator('li.task-card', { hasText: title }).first();

  beforeAll(async () => {
    stack = await startTestStack('browser');
    browser = await launchChromium();
    const services = await api<{ id: string; memberMunicipalityIds: string[] }[]>(
      'demo-kontaktperson',
      '/api/reference/services',
    );
    const me = await api<{ organisation: string }>('demo-kontaktperson', '/api/me');
    const municipalityId = services.find((s) => s.id === me.organisation)?.memberMunicipalityIds[0];
    const registered = await api<{ placementId: string }>('demo-kontaktperson', '/api/placements', {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        caseNumber: SEEDED_CASE,
        municipalityId,
        catalogVersion: '2026.1',
        facts: {
          placementType: 'omsorgsovertakelse',
          legalBasis: 'omsorgsovertakelse',
          placementDate: addDays(today, -40),
          childAgeYears: 9,
          samvaer: true,
          parentsReachable: true,
          inSchoolOrKindergarten: true,
          bufetatHelp: true,
          beredskapshjem: false,
        },
      }),
    });
    seeded = registered.placementId;
    // The caseworker registers the foster family's contact details (the placement must be projected).
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${stack.apiUrl}/api/placements/${seeded}/personal-data`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await token('demo-kontaktperson')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          child: { name: 'Fiktiv Seedbarn' },
          parents: [],
          fosterFamily: FOSTER_FAMILY,
        }),
      });
      if (res.status === 204) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Wait for the projector: the package's tasks in the inbox, escalations included.
    for (let i = 0; i < 150; i++) {
      const page = await api<{ items: { escalated: boolean }[] }>(
        'demo-leder',
        `/api/tasks?placementId=${seeded}&status=overdue`,
      );
      if (page.items.some((t) => t.escalated)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
    // A page that threw or logged an error fails the run here, whichever flow it came from.
    const errors = people
      .flatMap((p) => p.consoleErrors)
      .filter((e) => !/status of (400|403|404|409)/.test(e));
    expect(errors).toEqual([]);
  });

  it('login: demo users in development, a skip link, no accessibility problems', async () => {
    const context = await browser.newContext({ baseURL: stack.apiUrl, locale: 'nb-NO' });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Logg inn', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    await page.locator('input[value="demo-leder"]').waitFor();
    expect(await page.getByRole('radio').count()).toBeGreaterThanOrEqual(8);
    await checkPage(page, 'innlogging');

    // The first Tab reaches the skip link; following it puts focus on the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Hopp til hovedinnholdet');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('innhold');
    await context.close();
  });

  it('login in production: OIDC authorization code + PKCE, and no demo-user chooser', async () => {
    // The server's answer as production config gives it (local issuer off, an OIDC issuer), and a
    // stand-in issuer. CSP is bypassed here only because this stack's CSP names no external issuer.
    const context = await browser.newContext({ baseURL: stack.apiUrl, bypassCSP: true });
    const page = await context.newPage();
    const issuer = 'https://idp.example';
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
    const devUsersAsked: string[] = [];
    let authorizeUrl: URL | undefined;
    let tokenForm: URLSearchParams | undefined;
    await page.route('**/api/auth/config', (route) =>
      route.fulfill({
        json: { localIssuer: false, oidc: { issuer, clientId: 'omsorgspakken-web', scope: 'openid' } },
      }),
    );
    await page.route('**/api/dev/**', (route) => {
      devUsersAsked.push(route.request().url());
      return route.fulfill({ status: 404 });
    });
    await page.route(`${issuer}/.well-known/openid-configuration`, (route) =>
      route.fulfill({
        headers: cors,
        json: {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        },
      }),
    );
    await page.route(`${issuer}/authorize?**`, (route) => {
      authorizeUrl = new URL(route.request().url());
      const back = new URL(authorizeUrl.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', 'the-code');
      back.searchParams.set('state', authorizeUrl.searchParams.get('state') ?? '');
      back.searchParams.set('iss', issuer);
      return route.fulfill({ status: 302, headers: { location: back.href } });
    });
    const accessToken = await token('demo-tilsynsforer');
    await page.route(`${issuer}/token`, async (route) => {
      if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      tokenForm = new URLSearchParams(route.request().postData() ?? '');
      return route.fulfill({
        headers: cors,
        json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 },
      });
    });

    await page.goto('/logg-inn');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).waitFor();
    expect(await page.getByText('Demobruker').count()).toBe(0);
    expect(devUsersAsked).toEqual([]);
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.waitForURL('**/oppgaver');
    await page.getByText('Tor Eriksen').first().waitFor(); // the token's name claim, in the header

    const params = Object.fromEntries(authorizeUrl?.searchParams ?? []);
    expect(params).toMatchObject({
      client_id: 'omsorgspakken-web',
      redirect_uri: `${stack.apiUrl}/innlogging/tilbake`,
      response_type: 'code',
      scope: 'openid',
      code_challenge_method: 'S256',
    });
    expect(params.state).toMatch(/^[\w-]{20,}$/);
    // The token request proves the code with the verifier whose S256 hash was the challenge.
    const verifier = tokenForm?.get('code_verifier') ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(params.code_challenge);
    expect(tokenForm?.get('grant_type')).toBe('authorization_code');
    expect(tokenForm?.get('code')).toBe('the-code');
    await context.close();
  });

  it('kontaktperson: registers a placement (field errors first), follows and changes its package', async () => {
    const page = await as('demo-kontaktperson');
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Plasseringer' }).click();
    await page.getByRole('link', { name: 'Registrer ny plassering' }).click();
    await page.getByRole('heading', { name: 'Registrer plassering', level: 1 }).waitFor();

    // Checked in the browser first: every missing field says what to do.
    await page.getByLabel('Innflyttingsdato').fill('');
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.getByRole('heading', { name: /Skjemaet har \d feil/ }).waitFor();
    expect(await page.locator('#childAgeYears-error').textContent()).toContain('hele år');
    expect(await page.locator('#municipalityId-error').textContent()).toContain('kommunen');
    expect(await page.locator('#caseNumber-error').textContent()).toContain('saksnummeret');
    expect(await page.getByLabel('Barnets alder').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'registrer-plassering-feil');

    // Then by the API: a case number another placement of the service has (409, field caseNumber), and
    // a care order's basis cannot be voluntary (problem+json, field facts.legalBasis).
    await page.getByLabel('Saksnummer').fill(SEEDED_CASE);
    await page.getByLabel('Kommune').selectOption({ index: 1 });
    await page.getByLabel('Type plassering').selectOption('omsorgsovertakelse');
    await page.getByLabel('Frivillig tiltak').check();
    await page.getByLabel('Innflyttingsdato').fill(addDays(today, -3));
    await page.getByLabel('Barnets alder').fill('9');
    await page.getByLabel('Samvær med foreldrene er fastsatt').check();
    await page.getByLabel('Foreldrene kan nås').check();
    await page.getByLabel('Barnet går i barnehage eller skole').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.locator('#legalBasis-error').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain('Rettslig grunnlag');
    expect(page.url()).toMatch(/\/plasseringer\/ny$/);
    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.locator('#caseNumber-error').waitFor();
    expect(await page.locator('#caseNumber-error').textContent()).toBe(
      'er allerede brukt på en annen plassering i tjenesten',
    );
    expect(page.url()).toMatch(/\/plasseringer\/ny$/);
    await page.getByLabel('Saksnummer').fill('2026/0099');

    await page.getByLabel('Omsorgsovertakelse (vedtak i nemnda)').check();
    await page.getByRole('button', { name: 'Registrer plasseringen' }).click();
    await page.waitForURL(/\/plasseringer\/[0-9a-f-]{36}/);
    const placementId = new URL(page.url()).pathname.split('/')[2];
    await page.getByText('Plasseringen er registrert').waitFor();
    await page.getByRole('heading', { name: 'Sak 2026/0099', level: 1 }).waitFor();

    // The timeline: three tracks plus administrative steps, filled by the package.
    await untilVisible(page, page.getByRole('row', { name: /Første besøk i hjemmet/ }));
    for (const track of ['Barnet', 'Foreldrene', 'Fosterfamilien', 'Administrative steg'])
      await page.getByRole('heading', { name: track, level: 3 }).waitFor();
    expect(await page.locator('table', { hasText: 'Første besøk i hjemmet' }).count()).toBe(1);
    expect(await page.locator('.badge.status-overdue').count()).toBeGreaterThan(0);
    await page
      .getByRole('row', { name: /Oppfølgingsbesøk/ })
      .first()
      .waitFor();
    await checkPage(page, 'plassering-tidslinje');

    // The child and the family (fictional): shown only when asked for, since every read is logged;
    // checked in the browser first, then by the API (a national id number with a wrong check digit).
    const personal = page.getByRole('region', { name: 'Barnet og familien' });
    await personal.getByRole('button', { name: 'Vis opplysninger om barnet og familien' }).click();
    await personal.getByText('Ingen opplysninger er registrert ennå.').waitFor();
    await personal.getByRole('button', { name: 'Registrer opplysninger' }).click();
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await personal.getByRole('heading', { name: 'Skjemaet har én feil' }).waitFor();
    expect(await personal.locator('.error-summary').textContent()).toContain(
      'Barnets navn: Skriv barnets navn.',
    );
    await personal.getByLabel('Barnets navn').fill('Fiktiv Testbarn');
    await personal.getByLabel('Fødselsnummer').fill('15076500566');
    await personal.getByRole('button', { name: 'Legg til forelder' }).click();
    await personal.getByLabel('Foreldre 1: navn').fill('Fiktiv Forelder');
    await personal.getByLabel('Foreldre 1: relasjon').fill('mor');
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await personal.locator('#pd-child-nationalId-error').waitFor();
    expect(await personal.getByLabel('Fødselsnummer').getAttribute('aria-invalid')).toBe('true');
    await personal.getByLabel('Fødselsnummer').fill('15076500565');
    await personal.getByRole('button', { name: 'Lagre opplysningene' }).click();
    await page.getByText('Opplysningene om barnet og familien er lagret.').waitFor();
    await personal.getByText('150765 *****').waitFor();
    await personal.getByText('Fiktiv Forelder').waitFor();
    await checkPage(page, 'plassering-personopplysninger');
    await personal.getByRole('button', { name: 'Vis hele' }).click();
    await personal.getByText('15076500565').waitFor();
    await personal.getByRole('button', { name: 'Skjul opplysningene' }).click();
    expect(await personal.getByText('Fiktiv Testbarn').count()).toBe(0);

    // The case number is corrected on the placement page (the API refuses one in use: 409).
    await page.getByRole('button', { name: 'Rett saksnummeret' }).click();
    await page.getByLabel('Saksnummer').fill(SEEDED_CASE);
    await page.getByRole('button', { name: 'Lagre saksnummeret' }).click();
    await page.locator('#case-number-error').waitFor();
    expect(await page.getByLabel('Saksnummer').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'plassering-saksnummer-feil');
    await page.getByLabel('Saksnummer').fill('2026/0100');
    await page.getByRole('button', { name: 'Lagre saksnummeret' }).click();
    await page.getByText('Saksnummeret er lagret.').waitFor();
    await untilVisible(page, page.getByRole('heading', { name: 'Sak 2026/0100', level: 1 }));

    // Change the date: the preview says what moves before anything is changed.
    await page.getByLabel('Innflyttingsdato').fill(addDays(today, -1));
    await page.getByRole('button', { name: 'Forhåndsvis endringen' }).click();
    await page.getByRole('heading', { name: 'Dette skjer hvis du bekrefter' }).waitFor();
    await page.getByRole('table', { name: 'Steg som flyttes' }).waitFor();
    expect(
      await page.getByRole('table', { name: 'Steg som flyttes' }).getByRole('row').count(),
    ).toBeGreaterThan(1);
    await screenshot(page, 'plassering-endring-forhandsvisning');
    await page.getByRole('button', { name: 'Bekreft endringen' }).click();
    await page.getByText('Endringen er lagret').waitFor();

    // Pause and resume.
    await page.getByRole('button', { name: 'Sett på pause' }).click();
    await page.getByText('Omsorgspakken er satt på pause.').waitFor();
    await untilVisible(page, page.getByRole('button', { name: 'Gjenoppta' }));
    await page.getByRole('button', { name: 'Gjenoppta' }).click();
    await page.getByText('Omsorgspakken er gjenopptatt.').waitFor();

    // The new placement's tasks are in the caseworker's inbox; complete one with a note.
    await page.goto(`/oppgaver`);
    await page.getByLabel('Plassering', { exact: true }).selectOption(placementId);
    const visit = card(page, 'Første besøk i hjemmet');
    await untilVisible(page, visit);
    await page.getByLabel('Plassering', { exact: true }).selectOption(placementId);
    await visit.getByRole('button', { name: 'Registrer utført' }).click();
    await visit.getByLabel('Utfall').selectOption('gjennomfort');
    await visit.getByLabel('Notat (valgfritt, lagres kryptert)').fill('Barnet viste rommet sitt.');
    await visit.getByRole('button', { name: 'Lagre som utført' }).click();
    await page.getByText('«Første besøk i hjemmet» er registrert som utført.').waitFor();

    // Every card names the placement by its case number; so does the placement filter.
    const plan = card(page, 'Plan for barnets omsorgssituasjon');
    await plan.getByRole('link', { name: 'Sak 2026/0100' }).waitFor();
    expect(await page.getByLabel('Plassering', { exact: true }).locator('option:checked').textContent()).toBe(
      'Sak 2026/0100',
    );

    // A step grounded in law cannot be waived without a leader.
    await plan.getByRole('button', { name: 'Frafall' }).click();
    await plan.getByText('kan bare frafalles med medsignatur fra leder').waitFor();
    await checkPage(page, 'mine-oppgaver-kontaktperson');

    // The note written at completion is read on the placement page (asked for: each read is logged).
    await page.goto(`/plasseringer/${placementId}`);
    const visitRow = page.getByRole('row', { name: /Første besøk i hjemmet/ });
    await untilText(page, visitRow, 'Gjennomført');
    await visitRow.getByRole('button', { name: /^Notater/ }).click();
    await page.getByRole('button', { name: 'Vis notater for Første besøk i hjemmet' }).click();
    const notes = page.getByRole('region', { name: 'Notater' });
    await notes.getByText('Barnet viste rommet sitt.').waitFor();
    await notes.getByLabel('Nytt notat (lagres kryptert)').fill('Avtalt nytt besøk med skolen.');
    await notes.getByRole('button', { name: 'Legg til notat' }).click();
    await notes.getByText('Avtalt nytt besøk med skolen.').waitFor();
    expect(await notes.locator('li').count()).toBe(2);

    // End the placement: its package stops.
    await page.getByLabel('Årsak til avslutning').selectOption('flytting-nytt-fosterhjem');
    await page.getByRole('button', { name: 'Avslutt plasseringen' }).click();
    await page.getByText('Plasseringen er avsluttet.').waitFor();
    await untilText(page, page.locator('dl.summary'), 'Avsluttet');
    expect(await page.getByRole('button', { name: 'Sett på pause' }).count()).toBe(0);
  });

  it('fosterhjemsressurs: claims a task from the role pool, waives one, gets a calendar feed', async () => {
    const page = await as('demo-fosterhjemsressurs');
    await page.getByRole('heading', { name: 'Mine oppgaver', level: 1 }).waitFor();
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
    await checkPage(page, 'mine-oppgaver-fosterhjemsressurs');

    // The foster family's contact details, fetched only when asked for (the read is logged).
    expect(await call.getByText('Fiktiv Fostermor').count()).toBe(0);
    await call.getByRole('button', { name: /^Vis kontaktinfo/ }).click();
    const family = call.getByRole('region', { name: 'Fosterfamilien' });
    await family.getByText('Fiktiv Fostermor').waitFor();
    expect(await family.getByRole('link', { name: '+47 900 12 345' }).getAttribute('href')).toBe(
      'tel:+4790012345',
    );
    expect(await family.textContent()).toContain('Fiktivveien 1, 9901 Nordby');
    await checkPage(page, 'fosterfamilie-kontaktinfo');
    const log = await api<{ items: { userId: string; action: string }[] }>(
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
    await untilText(page, assignee, 'Deg');

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
    const ics = await fetch(feed.replace(/^https?:\/\/[^/]+/, stack.apiUrl));
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  });

  it('tilsynsfører: opens the link from a notice, logs in, and completes an overdue supervision visit', async () => {
    // The link e-mails and calendar entries carry (libs/notifications/digest.ts), opened before login.
    const context = await browser.newContext({ baseURL: stack.apiUrl, locale: 'nb-NO' });
    const page = await context.newPage();
    people.push({ context, page, consoleErrors: [] });
    await page.goto(`/oppgaver/${seeded}/${encodeURIComponent('tilsynsbesok#1')}`);
    await page.locator('input[name="demoUser"][value="demo-tilsynsforer"]').check();
    await page.getByRole('button', { name: 'Logg inn som demobruker' }).click();
    const notice = page.getByRole('region', { name: 'Oppgaven fra varselet' });
    await notice.getByText('Tilsynsbesøk med rapport', { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/oppgaver/${seeded}/${encodeURIComponent('tilsynsbesok#1')}`);

    await page.goto('/oppgaver');
    await page.getByLabel('Plassering', { exact: true }).selectOption(seeded);
    const visit = card(page.getByRole('region', { name: /^Forsinket/ }), 'Tilsynsbesøk med rapport');
    await visit.waitFor();
    await checkPage(page, 'mine-oppgaver-tilsynsforer');
    await visit.getByRole('button', { name: 'Registrer utført' }).click();
    await visit.getByLabel('Utfall').selectOption('delvis-gjennomfort');
    await visit.getByLabel('Dato utført').fill(addDays(today, -1));
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
    const page = await as('demo-bufetat');
    const task = card(page, 'Avklaring av Bufetat-bistand');
    await task.waitFor();
    expect(await page.locator('li.task-card', { hasText: 'Første besøk i hjemmet' }).count()).toBe(0);
    // Bufetat is not the owning service: no case number, the placement's neutral name instead.
    expect(await task.textContent()).toContain(`Plassering ${seeded.slice(0, 8)}`);
    expect(await page.getByText(SEEDED_CASE).count()).toBe(0);
    await checkPage(page, 'mine-oppgaver-bufetat');

    // With the keyboard only: open the form, Tab to its button, submit.
    await task.getByRole('button', { name: 'Registrer utført' }).focus();
    await page.keyboard.press('Enter');
    const submit = task.getByRole('button', { name: 'Lagre som utført' });
    await submit.waitFor();
    const focused = () => page.evaluate<string | undefined>('document.activeElement?.textContent');
    for (let i = 0; i < 10 && (await focused()) !== 'Lagre som utført'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Lagre som utført');
    await page.keyboard.press('Enter');
    await page.getByText('«Avklaring av Bufetat-bistand» er registrert som utført.').waitFor();
  });

  it('leder: escalations, co-signs a statutory waiver, sees who accessed the child, and adherence', async () => {
    const page = await as('demo-leder');
    await page.getByRole('navigation').getByRole('link', { name: 'Ledelse' }).click();
    await page.getByRole('heading', { name: 'Ledelse', level: 1 }).waitFor();
    const escalated = page.getByRole('region', { name: 'Eskalerte oppgaver' });
    await card(escalated, 'Fosterhjemmet godkjent').waitFor();
    expect(await escalated.locator('.badge', { hasText: 'eskalert' }).count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: /Plasseringer som kan få for få lovpålagte besøk/ }).waitFor();
    await checkPage(page, 'ledelse');

    const cosign = page.getByRole('region', { name: /frafall krever ledersignatur/ });
    const plan = card(cosign, 'Plan for barnets omsorgssituasjon');
    await plan.waitFor();
    await plan.getByRole('button', { name: 'Frafall med ledersignatur' }).click();
    await plan.getByLabel('Begrunnelse').selectOption('erstattet-av-annet-tiltak');
    await plan.getByRole('button', { name: 'Frafall steget' }).click();
    await page.getByText('«Plan for barnets omsorgssituasjon» er frafalt.').waitFor();

    await page.goto(`/plasseringer/${seeded}`);
    await page.getByRole('button', { name: 'Vis tilgangsloggen' }).click();
    const log = page.getByRole('table', { name: 'Tilgangslogg, nyeste først' });
    await log.waitFor();
    expect(await log.textContent()).toContain('demo-kontaktperson');
    expect(await log.textContent()).toContain('demo-leder');
    await page.getByRole('table', { name: /Besøk i \d{4}/ }).waitFor();
    await checkPage(page, 'plassering-leder');

    await page.getByRole('navigation').getByRole('link', { name: 'Etterlevelse' }).click();
    await page.getByText('Tall for din tjeneste.', { exact: false }).waitFor();
    await page.getByRole('figure', { name: 'Andel steg utført i tide, per spor' }).waitFor();
    await checkPage(page, 'etterlevelse-leder');
  });

  it('leder: gives a task to a caseworker chosen by name, then back to the role pool', async () => {
    const page = await as('demo-leder');
    await page.goto('/oppgaver');
    await page.getByLabel('Plassering', { exact: true }).selectOption(seeded);
    const visit = card(page, 'Første besøk i hjemmet');
    await visit.waitFor();
    const assigneeOf = async () =>
      (
        await api<{ assigneeId: string | null }>(
          'demo-leder',
          `/api/tasks/${seeded}/${encodeURIComponent('besok-uke1#1')}`,
        )
      ).assigneeId;
    expect(await assigneeOf()).toBeNull();

    // The choices are the service's caseworkers by name (no ids to type), and the role's pool.
    await visit.getByRole('button', { name: 'Tildel', exact: true }).click();
    const choice = visit.getByLabel('Gi oppgaven til');
    await choice.waitFor();
    expect(await choice.locator('option').allTextContents()).toEqual([
      'Rollens felles kø',
      'Ingrid Haugen',
      'Jonas Bakke',
    ]);
    await checkPage(page, 'tildel-oppgave');
    await choice.selectOption({ label: 'Jonas Bakke' });
    await visit.getByRole('button', { name: 'Tildel oppgaven' }).click();
    await page.getByText('«Første besøk i hjemmet» er gitt til Jonas Bakke.').waitFor();
    for (let i = 0; i < 50 && (await assigneeOf()) !== 'demo-kontaktperson-2'; i++)
      await page.waitForTimeout(200);
    expect(await assigneeOf()).toBe('demo-kontaktperson-2');
    // The inbox says who has it, by name.
    const holder = visit.locator('div', { has: page.locator('dt', { hasText: 'Ansvarlig' }) }).locator('dd');
    await untilText(page, holder, 'Jonas Bakke');

    await untilVisible(page, visit.getByRole('button', { name: 'Tildel', exact: true }));
    await visit.getByRole('button', { name: 'Tildel', exact: true }).click();
    await visit.getByLabel('Gi oppgaven til').selectOption({ label: 'Rollens felles kø' });
    await visit.getByRole('button', { name: 'Tildel oppgaven' }).click();
    await page.getByText('«Første besøk i hjemmet» er lagt i rollens felles kø.').waitFor();
    for (let i = 0; i < 50 && (await assigneeOf()) !== null; i++) await page.waitForTimeout(200);
    expect(await assigneeOf()).toBeNull();
  });

  it('læringsnettverksleder: adherence charts with tables, period selector and CSV, nothing else', async () => {
    const page = await as('demo-laeringsnettverksleder');
    await page.getByRole('heading', { name: 'Etterlevelse', level: 1 }).waitFor();
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Etterlevelse']);
    await page.getByText('Grupper med færre enn 5 plasseringer vises ikke').waitFor();
    for (const name of [
      'Andel steg utført i tide, per tjeneste',
      'Andel steg utført i tide, per spor',
      'Andel steg utført i tide, per steg',
      'Forsinkede, åpne steg per kvartal',
      /Plasseringer med nok oppfølgingsbesøk/,
      /Plasseringer med nok tilsynsbesøk/,
    ]) {
      const figure = page.getByRole('figure', { name });
      await figure.waitFor();
      // Every chart carries its numbers as a table.
      expect(await figure.locator('table').count()).toBe(1);
    }
    // Whole published quarters only (the API refuses a lead any other period): no free dates, no presets.
    expect(await page.getByRole('button', { name: 'Hittil i år' }).count()).toBe(0);
    const quarter = page.getByRole('combobox', { name: 'Kvartal' });
    const options = await quarter.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    expect(options.every((o) => /^[1-4]\. kvartal \d{4}$/.test(o))).toBe(true);
    await quarter.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Vis kvartalet' }).click();
    await page.getByText(/^Viser frister \d\d\.(01|04|07|10)\.\d{4}–\d\d\.(03|06|09|12)\.\d{4}/).waitFor();
    await page.waitForLoadState('networkidle');
    await checkPage(page, 'etterlevelse-laeringsnettverk');

    await page.getByLabel('Fordelt på').selectOption('track');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^etterlevelse-track-.+\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toMatch(/;|,/);

    await page.goto('/plasseringer/ny');
    await page.getByRole('heading', { name: 'Ingen tilgang' }).waitFor();
  });
});
