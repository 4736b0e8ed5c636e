import { createHash } from 'node:crypto';
import { beginLogin, finishLogin, type OidcSettings } from './oidc.js';

const settings: OidcSettings = {
  issuer: 'https://idp.example',
  clientId: 'omsorgspakken-web',
  scope: 'openid',
};
const server = {
  issuer: 'https://idp.example',
  authorization_endpoint: 'https://idp.example/authorize',
  token_endpoint: 'https://idp.example/token',
};
const redirectUri = 'https://omsorg.example/innlogging/tilbake';

describe('OIDC login (authorization code + PKCE)', () => {
  it('sends the browser to the issuer with an S256 challenge of a fresh verifier and a fresh state', async () => {
    const { url, pending } = await beginLogin(server, settings, redirectUri);
    expect(url.origin + url.pathname).toBe('https://idp.example/authorize');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toEqual({
      client_id: 'omsorgspakken-web',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: pending.state,
    });
    expect(pending.codeVerifier).toMatch(/^[\w-]{43,128}$/);
    expect(pending.redirectUri).toBe(redirectUri);
    const again = await beginLogin(server, settings, redirectUri);
    expect(again.pending.state).not.toBe(pending.state);
    expect(again.pending.codeVerifier).not.toBe(pending.codeVerifier);
  });

  it('refuses a callback whose state is not the one it sent, before asking for a token', async () => {
    const { pending } = await beginLogin(server, settings, redirectUri);
    const callback = new URL(`${redirectUri}?code=abc&state=someone-elses`);
    await expect(finishLogin(server, settings, pending, callback)).rejects.toThrow(/state/);
  });

  it('reports an error the issuer sent back instead of a code', async () => {
    const { pending } = await beginLogin(server, settings, redirectUri);
    const callback = new URL(`${redirectUri}?error=access_denied&state=${pending.state}`);
    await expect(finishLogin(server, settings, pending, callback)).rejects.toThrow();
  });
});
