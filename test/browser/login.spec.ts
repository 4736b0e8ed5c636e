import { createHash } from 'node:crypto';
import { browserSuite } from '../support/browser-suite.js';

/**
 * Logging in, in a real browser (Debian's headless Chromium) against the real system: the demo-user
 * chooser of development, and production's OIDC authorization code + PKCE against a stand-in issuer.
 */
describe('web app in Chromium: login', () => {
  const s = browserSuite();

  it('login: demo users in development, a skip link, no accessibility problems', async () => {
    const context = await s.browser.newContext({ baseURL: s.apiUrl, locale: 'nb-NO' });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Logg inn', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    await page.locator('input[value="demo-leder"]').waitFor();
    expect(await page.getByRole('radio').count()).toBeGreaterThanOrEqual(8);
    await s.checkPage(page, 'innlogging');

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
    const context = await s.browser.newContext({ baseURL: s.apiUrl, bypassCSP: true });
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
    const accessToken = await s.token('demo-tilsynsforer');
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
      redirect_uri: `${s.apiUrl}/innlogging/tilbake`,
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
});
