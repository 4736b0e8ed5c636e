import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { isRole, type Principal } from './principal.js';

/** Only asymmetric algorithms: `none` and HS* (key confusion) are refused before any key is looked up. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

/** One allow-listed issuer, mapped to exactly one organisation. */
export interface IssuerTrust {
  readonly issuer: string;
  readonly organisation: string;
  readonly keys: JWTVerifyGetKey;
  /**
   * Levels of assurance accepted in the `acr` claim (e.g. ID-porten's `idporten-loa-high`); absent: the
   * issuer does not assert one. Special-category data calls for the highest level the issuer offers.
   */
  readonly acceptedAcr?: readonly string[];
}

export const remoteIssuer = (
  issuer: string,
  jwksUri: string,
  organisation: string,
  acceptedAcr?: readonly string[],
): IssuerTrust => ({
  issuer,
  organisation,
  keys: createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
  ...(acceptedAcr ? { acceptedAcr } : {}),
});

export const localKeysIssuer = (issuer: string, jwks: JSONWebKeySet, organisation: string): IssuerTrust => ({
  issuer,
  organisation,
  keys: createLocalJWKSet(jwks),
});

/** Why a token was refused. Logged (never the token); the client only ever sees 401. */
export class AuthenticationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

const CLOCK_TOLERANCE_SECONDS = 30;

/** How long a verified token is remembered at most, and how many are. */
export interface VerifiedTokenCache {
  readonly maxAgeMs: number;
  readonly maxEntries: number;
}

/**
 * The default: a client sends the same bearer token with every request, and an ES256/RS256 signature
 * check costs ~0.1–0.2 ms of CPU. A token accepted once is accepted again for at most a minute (never past
 * its `exp`) without a second check; so an issuer's key withdrawn from its JWKS stops being honoured
 * within a minute plus the JWKS cool-down, as with any cached key set.
 */
export const DEFAULT_VERIFIED_TOKEN_CACHE: VerifiedTokenCache = { maxAgeMs: 60_000, maxEntries: 10_000 };

/**
 * Verifies bearer tokens: signature against the issuer's JWKS, alg, iss (allow-list), aud, exp, nbf;
 * then the claims: `acr` (when the issuer has a policy), `sub`, `roles` (known roles only), `org` equal
 * to the issuer's organisation; `email` and `name` are kept when well-formed and otherwise ignored.
 * Accepted tokens are remembered (see DEFAULT_VERIFIED_TOKEN_CACHE); refused ones never are.
 */
export class TokenVerifier {
  private readonly byIssuer: ReadonlyMap<string, IssuerTrust>;
  private readonly verified: LRUCache<string, Principal> | undefined;

  constructor(
    issuers: readonly IssuerTrust[],
    private readonly audience: string,
    cache: VerifiedTokenCache | null = DEFAULT_VERIFIED_TOKEN_CACHE,
    private readonly now: () => number = Date.now,
  ) {
    this.byIssuer = new Map(issuers.map((i) => [i.issuer, i]));
    if (this.byIssuer.size !== issuers.length) throw new Error('duplicate issuer in the allow-list');
    this.verified =
      cache && cache.maxEntries > 0 && cache.maxAgeMs > 0
        ? new LRUCache({
            max: cache.maxEntries,
            ttl: cache.maxAgeMs,
            ttlAutopurge: false,
            ttlResolution: 0,
            perf: { now },
          })
        : undefined;
  }

  async verify(token: string): Promise<Principal> {
    const remembered = this.verified?.get(token);
    if (remembered) return remembered;
    const { principal, expiresAtMs } = await this.check(token);
    // Never remembered past exp: the entry's time to live is the shorter of the cache's and the token's.
    const ttl = Math.min(this.verified?.ttl ?? 0, expiresAtMs - this.now());
    if (this.verified && ttl > 0) this.verified.set(token, principal, { ttl });
    return principal;
  }

  private async check(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('malformed token');
    }
    if (!alg || !(ACCEPTED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new AuthenticationError('algorithm not accepted'); // never echo the header: it is attacker-chosen
    }
    // The issuer is read unverified only to choose its key set; jwtVerify then checks it again.
    const unverifiedIssuer = readUnverifiedIssuer(token);
    const trust = unverifiedIssuer ? this.byIssuer.get(unverifiedIssuer) : undefined;
    if (!trust) throw new AuthenticationError('issuer not trusted');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, trust.keys, {
        issuer: trust.issuer,
        audience: this.audience,
        algorithms: [...ACCEPTED_ALGORITHMS],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new AuthenticationError(error.code);
      throw error;
    }
    if (trust.acceptedAcr && !(typeof payload.acr === 'string' && trust.acceptedAcr.includes(payload.acr))) {
      throw new AuthenticationError('acr below policy');
    }
    const roles = payload.roles;
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
      throw new AuthenticationError('roles claim missing or unknown');
    }
    if (payload.org !== trust.organisation) {
      throw new AuthenticationError('org claim does not match the issuer organisation');
    }
    if (payload.network !== undefined && typeof payload.network !== 'string') {
      throw new AuthenticationError('network claim malformed');
    }
    const principal: Principal = Object.freeze({
      userId: payload.sub!,
      roles: Object.freeze([...roles]),
      organisation: trust.organisation,
      ...(payload.network ? { network: payload.network } : {}),
      issuer: trust.issuer,
      // Optional and not an access fact: a malformed address is ignored rather than refused.
      ...(typeof payload.email === 'string' && EMAIL.test(payload.email) ? { email: payload.email } : {}),
      // Optional too: a display name that is not a string of 1–120 characters is left out, never refused.
      ...optionalName(payload.name),
      ...(typeof payload.preferred_username === 'string' && USER_NAME.test(payload.preferred_username)
        ? { userName: payload.preferred_username }
        : {}),
    });
    return { principal, expiresAtMs: (payload.exp ?? 0) * 1000 };
  }
}

/** A login name: 1–254 printable characters without spaces (an e-mail-like UPN, or a plain name). */
const USER_NAME = /^[^\s\p{Cc}\p{Cf}]{1,254}$/u;

/** A plain mailbox address (no display name, no spaces), at most 254 characters. */
const EMAIL = /^(?=.{3,254}$)[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** Longest display name kept (the `people.name` column's check). */
export const MAX_NAME_LENGTH = 120;

/** The `name` claim as a display name: a string, trimmed, 1–MAX_NAME_LENGTH characters; else none. */
function optionalName(claim: unknown): { name?: string } {
  if (typeof claim !== 'string') return {};
  const name = claim.trim();
  // Characters as PostgreSQL's char_length counts them (code points, not UTF-16 units).
  const length = [...name].length;
  return length >= 1 && length <= MAX_NAME_LENGTH ? { name } : {};
}

function readUnverifiedIssuer(token: string): string | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}
