import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, startTestApi, type TestApi } from '../support/api.js';

/*
 * The token suite: an external identity provider on loopback (its JWKS fetched over HTTP with
 * createRemoteJWKSet), allow-listed and mapped to one organisation, next to the local issuer. Every
 * broken token must answer 401 problem+json.
 */
const ISSUER = 'https://idp.kommune.test/oauth2';
const ORG = '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';
const AUDIENCE = 'omsorgspakken-api';

describe('bearer token verification (real JWKS over HTTP)', () => {
  let api: TestApi;
  let jwksServer: Server;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let publicJwk: JWK;

  const claims = { roles: ['kontaktperson'], org: ORG, acr: 'idporten-loa-high' };
  const sign = (
    payload: Record<string, unknown> = claims,
    edit: (jwt: SignJWT) => SignJWT = (j) => j,
    key: CryptoKey = rsa.privateKey,
    header: { alg: string; kid?: string } = { alg: 'RS256', kid: 'idp-1' },
  ) =>
    edit(
      new SignJWT(payload)
        .setProtectedHeader(header)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('ext-user-1')
        .setIssuedAt()
        .setExpirationTime('10m'),
    ).sign(key);

  const me = (token: string) => request(api.server).get('/api/me').set('Authorization', `Bearer ${token}`);
  const expect401 = async (token: string) => {
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|jose|JWS|JWT/i);
  };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    publicJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    api = await startTestApi({
      AUTH_ISSUERS: JSON.stringify([
        {
          issuer: ISSUER,
          jwksUri: `http://127.0.0.1:${port}/jwks`,
          organisation: ORG,
          acr: ['idporten-loa-high'],
        },
      ]),
    });
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('accepts a valid token of an allow-listed issuer, mapped to its organisation', async () => {
    const res = await me(await sign());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'ext-user-1', roles: ['kontaktperson'], organisation: ORG });
  });

  it('keeps the `name` claim, trimmed, as the display name when it is a string of 1–120 characters', async () => {
    const longest = 'Å'.repeat(120); // 120 characters (240 bytes in UTF-8): the limit counts characters
    expect(bodyOf<{ name?: string }>(await me(await sign({ ...claims, name: longest }))).name).toBe(longest);
    const named = await me(await sign({ ...claims, name: '  Kari Nordmann ' }));
    expect(named.status).toBe(200);
    expect(bodyOf<{ name?: string }>(named).name).toBe('Kari Nordmann');
    const [row] = await api.db.dataSource.query<{ name: string | null }[]>(
      `SELECT name FROM people WHERE issuer = $1 AND user_id = 'ext-user-1'`,
      [ISSUER],
    );
    expect(row).toEqual({ name: 'Kari Nordmann' });
  });

  it('accepts a token whose `name` claim is absent, too long, empty or not a string, without a name', async () => {
    for (const name of [undefined, 'N'.repeat(121), '   ', '', 42, ['Kari'], { given: 'Kari' }, null]) {
      const res = await me(await sign(name === undefined ? claims : { ...claims, name }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: 'ext-user-1', roles: ['kontaktperson'], organisation: ORG });
    }
    // The name recorded from an earlier token stays (as the e-mail address does).
    const [row] = await api.db.dataSource.query<{ name: string | null }[]>(
      `SELECT name FROM people WHERE issuer = $1 AND user_id = 'ext-user-1'`,
      [ISSUER],
    );
    expect(row).toEqual({ name: 'Kari Nordmann' });
  });

  it('accepts a token of the local issuer (real signature, ES256)', async () => {
    const res = await me(await api.token('demo-leder'));
    expect(res.status).toBe(200);
    expect(bodyOf<{ organisation: string }>(res).organisation).toBe(DEMO_SERVICES.nordby);
    expect(bodyOf<{ name?: string }>(res).name).toBe('Åse Myhre'); // the demo users' names are minted
  });

  it('takes the authentication scheme in any case (RFC 7235: "bearer", "BEARER")', async () => {
    const token = await api.token('demo-leder');
    for (const scheme of ['bearer', 'BEARER', 'beArer']) {
      const res = await request(api.server).get('/api/me').set('Authorization', `${scheme} ${token}`);
      expect(res.status).toBe(200);
    }
    // Another scheme is still refused.
    const basic = await request(api.server).get('/api/me').set('Authorization', `Basic ${token}`);
    expect(basic.status).toBe(401);
  });

  it('refuses a level of assurance below the issuer policy', async () => {
    await expect401(await sign({ ...claims, acr: 'idporten-loa-substantial' }));
    await expect401(await sign({ roles: claims.roles, org: ORG }));
    await expect401(await sign({ ...claims, acr: ['idporten-loa-high'] }));
  });

  it('refuses a bad signature', async () => {
    const other = await generateKeyPair('RS256');
    await expect401(await sign(claims, (j) => j, other.privateKey));
    const token = await sign();
    const [h, p, s] = token.split('.');
    await expect401(`${h}.${p}.${s.slice(0, -4)}AAAA`);
  });

  it('refuses alg none', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...claims, iss: ISSUER, aud: AUDIENCE, sub: 'x', iat: now, exp: now + 600 };
    await expect401(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`);
    await expect401(`${enc({ alg: 'none', kid: 'idp-1' })}.${enc(payload)}.`);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(pem);
    await expect401(token);
  });

  it('refuses an unknown kid', async () => {
    const other = await generateKeyPair('RS256');
    await expect401(await sign(claims, (j) => j, other.privateKey, { alg: 'RS256', kid: 'unknown-kid' }));
  });

  it('refuses a wrong or unlisted issuer and a wrong audience', async () => {
    await expect401(await sign(claims, (j) => j.setIssuer('https://evil.test/')));
    await expect401(await sign(claims, (j) => j.setAudience('another-api')));
  });

  it('refuses an expired token and one not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await sign(claims, (j) => j.setIssuedAt(now - 7200).setExpirationTime(now - 3600)));
    await expect401(await sign(claims, (j) => j.setNotBefore(now + 3600)));
    await expect401(await api.token('demo-leder', { expiresIn: -120 }));
    await expect401(await api.token('demo-leder', { notBeforeIn: 3600 }));
  });

  it('refuses a token claiming another organisation than its issuer’s', async () => {
    await expect401(await sign({ ...claims, org: DEMO_SERVICES.nordby }));
    await expect401(await sign({ roles: ['kontaktperson'] }));
  });

  it('refuses unknown roles, no roles, no subject, and garbage', async () => {
    await expect401(await sign({ ...claims, roles: ['superuser'] }));
    await expect401(await sign({ ...claims, roles: [] }));
    await expect401(
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(rsa.privateKey),
    );
    await expect401('not.a.token');
    await expect401('');
    const res = await request(api.server)
      .get('/api/me')
      .set('Authorization', `Basic ${btoa('a:b')}`);
    expect(res.status).toBe(401);
  });

  it('records every refused login in the access log with its reason code, never the token', async () => {
    const rows = await api.db.dataSource.query<
      { user_id: string | null; action: string; outcome: string; detail: string }[]
    >(
      `SELECT user_id, action, outcome, detail FROM access_log WHERE outcome = 'unauthenticated' ORDER BY id`,
    );
    // Every refusal above, from a bad signature to garbage, left one row.
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['GET /api/me']));
    expect(rows.every((r) => r.user_id === null)).toBe(true);
    const reasons = new Set(rows.map((r) => r.detail));
    for (const reason of [
      'no bearer token',
      'malformed token',
      'algorithm not accepted',
      'issuer not trusted',
    ])
      expect(reasons).toContain(reason);
    expect([...reasons].some((r) => r.includes('.'))).toBe(false); // no token fragments
  });

  it('keeps the health probes public', async () => {
    expect((await request(api.server).get('/health/live')).status).toBe(200);
  });
});
