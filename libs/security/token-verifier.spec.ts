import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AuthenticationError, TokenVerifier, type IssuerTrust } from './token-verifier.js';

/*
 * The cache of verified tokens: a token accepted once is accepted again without a second signature check,
 * but never for longer than the cache's maximum age nor past its own `exp`; a refused token is never
 * remembered. (The full token suite runs against a real JWKS over HTTP: test/integration/api-auth.spec.ts.)
 */
const ISSUER = 'https://idp.test';
const ORG = 'org-1';
const AUDIENCE = 'omsorgspakken-api';

describe('TokenVerifier: remembered tokens', () => {
  let privateKey: CryptoKey;
  let publicJwk: JWK;
  let keyLookups: number;
  let clock: number;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  });

  beforeEach(() => {
    keyLookups = 0;
    clock = Date.now();
  });

  const verifier = (cache = { maxAgeMs: 60_000, maxEntries: 100 }) => {
    const keys = createLocalJWKSet({ keys: [publicJwk] });
    const trust: IssuerTrust = {
      issuer: ISSUER,
      organisation: ORG,
      // Counts the signature checks: jose asks for the key once per verification.
      keys: (header, token) => {
        keyLookups += 1;
        return keys(header, token);
      },
    };
    return new TokenVerifier([trust], AUDIENCE, cache, () => clock);
  };

  const sign = (expiresInS: number, claims: Record<string, unknown> = { roles: ['leder'], org: ORG }) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInS)
      .sign(privateKey);

  it('checks a token once and answers later requests from memory', async () => {
    const v = verifier();
    const token = await sign(600);
    const first = await v.verify(token);
    const second = await v.verify(token);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ userId: 'user-1', roles: ['leder'], organisation: ORG });
    expect(keyLookups).toBe(1);
  });

  it('checks again after the maximum age', async () => {
    const v = verifier({ maxAgeMs: 60_000, maxEntries: 100 });
    const token = await sign(600);
    await v.verify(token);
    clock += 60_001;
    await v.verify(token);
    expect(keyLookups).toBe(2);
  });

  it('never remembers a token past its exp', async () => {
    const v = verifier({ maxAgeMs: 60_000, maxEntries: 100 });
    const token = await sign(20);
    await v.verify(token);
    clock += 10_000;
    await v.verify(token);
    expect(keyLookups).toBe(1);
    clock += 15_000; // past exp (20 s), within the cache's minute
    await v.verify(token).catch(() => undefined);
    expect(keyLookups).toBe(2);
  });

  it('never remembers a refused token', async () => {
    const v = verifier();
    const token = await sign(600, { roles: ['no-such-role'], org: ORG });
    await expect(v.verify(token)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(v.verify(token)).rejects.toBeInstanceOf(AuthenticationError);
    expect(keyLookups).toBe(2);
  });

  it('keeps a `name` claim that is a string of 1–120 characters once trimmed, and ignores any other', async () => {
    const v = verifier();
    const nameOf = async (name: unknown) =>
      (await v.verify(await sign(600, { roles: ['leder'], org: ORG, name }))).name;
    expect(await nameOf('  Kari Nordmann\n')).toBe('Kari Nordmann');
    expect(await nameOf('ø'.repeat(120))).toBe('ø'.repeat(120));
    expect(await nameOf('😀'.repeat(120))).toBe('😀'.repeat(120)); // characters, not UTF-16 units
    for (const ignored of ['ø'.repeat(121), '  ', '', 7, true, ['Kari'], { name: 'Kari' }, null])
      expect(await nameOf(ignored)).toBeUndefined();
    expect((await v.verify(await sign(600))).name).toBeUndefined();
  });

  it('can be turned off', async () => {
    const v = new TokenVerifier(
      [{ issuer: ISSUER, organisation: ORG, keys: createLocalJWKSet({ keys: [publicJwk] }) }],
      AUDIENCE,
      null,
    );
    const token = await sign(600);
    const a = await v.verify(token);
    const b = await v.verify(token);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });
});
