import * as oauth from 'oauth4webapi';

/*
 * Login against the configured OIDC issuer: authorization code with PKCE (S256), the web app being a
 * public client (no secret in a browser). These functions touch neither the DOM nor storage, so they are
 * unit-tested in Node (oidc.spec.ts); lib/session.ts keeps the pending login in sessionStorage.
 */

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/** What the callback needs from the start of a login: kept in the tab between the two. */
export interface PendingLogin {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

export interface OidcTokens {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** The issuer's metadata, from its discovery document. */
export async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc' }));
}

/** The authorization request to send the browser to, and what to keep for the callback. */
export async function beginLogin(
  server: oauth.AuthorizationServer,
  settings: OidcSettings,
  redirectUri: string,
): Promise<{ url: URL; pending: PendingLogin }> {
  if (!server.authorization_endpoint) throw new Error('the issuer has no authorization endpoint');
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  return { url, pending: { state, codeVerifier, redirectUri } };
}

/** Checks the callback (state, error) and exchanges the code for tokens. */
export async function finishLogin(
  server: oauth.AuthorizationServer,
  settings: OidcSettings,
  pending: PendingLogin,
  callbackUrl: URL,
): Promise<OidcTokens> {
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(server, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    params,
    pending.redirectUri,
    pending.codeVerifier,
  );
  const result = await oauth.processAuthorizationCodeResponse(server, client, response);
  return { accessToken: result.access_token, expiresIn: result.expires_in ?? 3600 };
}
