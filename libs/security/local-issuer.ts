import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Role } from '../domain/vocabulary.js';
import type { Principal } from './principal.js';
import { localKeysIssuer, type IssuerTrust } from './token-verifier.js';

/** Demo organisations of the local issuer: two services in one learning network (and see DEMO_FJORD_NETWORK). */
export const DEMO_SERVICES = {
  nordby: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4e01',
  sorvik: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4e02',
} as const;
/** The fictional municipality each demo service acts for (reference data seeded by the API). */
export const DEMO_MUNICIPALITIES = {
  nordby: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4ea1',
  sorvik: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4ea2',
} as const;
export const DEMO_NETWORK = '8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a50';
/**
 * A second fictional learning network with two services of its own (Vestby and Elvdal), so that the demo
 * data (`npm start`) spans two networks and each lead sees only the own.
 */
export const DEMO_FJORD_NETWORK = '8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a51';
export const DEMO_FJORD_SERVICES = {
  vestby: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4e03',
  elvdal: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4e04',
} as const;
export const DEMO_FJORD_MUNICIPALITIES = {
  vestby: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4ea3',
  elvdal: '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4ea4',
} as const;
/**
 * Finnmark's demo organisations: real reference data (data/regions/finnmark.json, loaded through the
 * admin API; `npm start` loads it before its demo placements), so these are the ids the load gives them
 * (UUID v5 in the reference namespace: `service:5601`, `network:Vest-Finnmark`; checked by
 * apps/api/reference/regions.spec.ts). The users are fictional.
 */
export const FINNMARK_DEMO = {
  /** Alta barneverntjeneste (host 5601 Alta). */
  alta: 'acc61096-5f7f-5517-ac80-bc30b01b40db',
  /** Tana og Nesseby barneverntjeneste (host 5628 Deatnu-Tana), in another Finnmark network. */
  tana: '6fc7f72b-9ca0-5787-a2f0-e2801b0594d1',
  /** The learning network Vest-Finnmark. */
  vestFinnmark: 'c09ffd90-a0f7-5058-8a38-d38d6563b30f',
  /** Alta (5601), the municipality Alta barneverntjeneste acts for. */
  altaMunicipality: '586daa19-d1b3-59f4-9bb3-5b2260cb4a5f',
} as const;

/** Bufetat's region office as an organisation of its own. */
export const DEMO_BUFETAT = '5d0c1a2e-1f4b-4c7a-9b1e-0a1b2c3d4e0b';

export interface DemoUser {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly organisation: string;
  readonly network?: string;
  /** A fictional Norwegian name, minted as the `name` claim. */
  readonly name: string;
}

/** Demo users for every role (printed by `npm start`), with fictional names. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    userId: 'demo-kontaktperson',
    roles: ['kontaktperson'],
    organisation: DEMO_SERVICES.nordby,
    name: 'Ingrid Haugen',
  },
  {
    userId: 'demo-kontaktperson-2',
    roles: ['kontaktperson'],
    organisation: DEMO_SERVICES.nordby,
    name: 'Jonas Bakke',
  },
  { userId: 'demo-leder', roles: ['leder'], organisation: DEMO_SERVICES.nordby, name: 'Åse Myhre' },
  {
    userId: 'demo-tilsynsforer',
    roles: ['tilsynsforer'],
    organisation: DEMO_SERVICES.nordby,
    name: 'Tor Eriksen',
  },
  {
    userId: 'demo-fosterhjemsressurs',
    roles: ['fosterhjemsressurs'],
    organisation: DEMO_SERVICES.nordby,
    network: DEMO_NETWORK,
    name: 'Sigrid Dahl',
  },
  { userId: 'demo-bufetat', roles: ['bufetat'], organisation: DEMO_BUFETAT, name: 'Håkon Berg' },
  {
    userId: 'demo-laeringsnettverksleder',
    roles: ['laeringsnettverksleder'],
    organisation: DEMO_SERVICES.nordby,
    network: DEMO_NETWORK,
    name: 'Randi Moe',
  },
  { userId: 'demo-admin', roles: ['admin'], organisation: DEMO_SERVICES.nordby, name: 'Ola Nordmann' },
  {
    userId: 'demo-sorvik-kontaktperson',
    roles: ['kontaktperson'],
    organisation: DEMO_SERVICES.sorvik,
    name: 'Nora Strand',
  },
  { userId: 'demo-sorvik-leder', roles: ['leder'], organisation: DEMO_SERVICES.sorvik, name: 'Bjørn Sæther' },
  {
    userId: 'demo-vestby-kontaktperson',
    roles: ['kontaktperson'],
    organisation: DEMO_FJORD_SERVICES.vestby,
    name: 'Marte Lien',
  },
  {
    userId: 'demo-vestby-leder',
    roles: ['leder'],
    organisation: DEMO_FJORD_SERVICES.vestby,
    name: 'Geir Holm',
  },
  {
    userId: 'demo-elvdal-kontaktperson',
    roles: ['kontaktperson'],
    organisation: DEMO_FJORD_SERVICES.elvdal,
    name: 'Kari Vik',
  },
  {
    userId: 'demo-elvdal-leder',
    roles: ['leder'],
    organisation: DEMO_FJORD_SERVICES.elvdal,
    name: 'Per Lunde',
  },
  {
    userId: 'demo-fjord-nettverksleder',
    roles: ['laeringsnettverksleder'],
    organisation: DEMO_FJORD_SERVICES.vestby,
    network: DEMO_FJORD_NETWORK,
    name: 'Liv Aas',
  },
  // Finnmark (a second region): fictional people in real services, once Finnmark's file is loaded.
  {
    userId: 'demo-finnmark-kontaktperson',
    roles: ['kontaktperson'],
    organisation: FINNMARK_DEMO.alta,
    name: 'Elle Marja Somby',
  },
  {
    userId: 'demo-finnmark-leder',
    roles: ['leder'],
    organisation: FINNMARK_DEMO.alta,
    name: 'Nils Isak Eira',
  },
  {
    userId: 'demo-finnmark-nettverksleder',
    roles: ['laeringsnettverksleder'],
    organisation: FINNMARK_DEMO.alta,
    network: FINNMARK_DEMO.vestFinnmark,
    name: 'Hanne Pedersen',
  },
  // The kompetansebase of the demo learning network (Nordby and Sørvik order from it): a principal of a
  // kompetansebase role belongs to the base of its `network` claim.
  {
    userId: 'demo-kb-veileder',
    roles: ['kompetansebase-veileder'],
    organisation: DEMO_SERVICES.nordby,
    network: DEMO_NETWORK,
    name: 'Eirin Solberg',
  },
  {
    userId: 'demo-kb-leder',
    roles: ['kompetansebase-leder'],
    organisation: DEMO_SERVICES.nordby,
    network: DEMO_NETWORK,
    name: 'Arne Wold',
  },
];

export const localIssuerId = (organisation: string) => `urn:omsorgspakken:local:${organisation}`;

/**
 * Whether the local issuer is on: as AUTH_LOCAL_ISSUER says, else everywhere but in production
 * (NODE_ENV defaults to development, as in the configuration).
 */
export const localIssuerOn = (env: {
  readonly NODE_ENV?: string;
  readonly AUTH_LOCAL_ISSUER?: string;
}): boolean =>
  env.AUTH_LOCAL_ISSUER ? env.AUTH_LOCAL_ISSUER === 'on' : (env.NODE_ENV ?? 'development') !== 'production';

/** Fictional mail domains of the demo organisations (`.example` is reserved: RFC 2606). */
const DEMO_MAIL_DOMAINS: Readonly<Record<string, string>> = {
  [DEMO_SERVICES.nordby]: 'nordby.example',
  [DEMO_SERVICES.sorvik]: 'sorvik.example',
  [DEMO_BUFETAT]: 'bufetat.example',
  [DEMO_FJORD_SERVICES.vestby]: 'vestby.example',
  [DEMO_FJORD_SERVICES.elvdal]: 'elvdal.example',
  [FINNMARK_DEMO.alta]: 'alta.example',
};

/** A demo user's e-mail address (the `email` claim of its tokens), e.g. `demo-leder@nordby.example`. */
export const demoEmail = (user: DemoUser): string =>
  `${user.userId}@${DEMO_MAIL_DOMAINS[user.organisation] ?? 'omsorgspakken.example'}`;

/** A demo user as the API sees it once its token is verified (what its tokens claim). */
export const demoPrincipal = (user: DemoUser): Principal => ({
  userId: user.userId,
  roles: user.roles,
  organisation: user.organisation,
  ...(user.network ? { network: user.network } : {}),
  issuer: localIssuerId(user.organisation),
  email: demoEmail(user),
  name: user.name,
});

export interface MintOptions {
  /** Seconds until expiry (default 3600). */
  readonly expiresIn?: number;
  /** Seconds from now before the token is valid (default 0). */
  readonly notBeforeIn?: number;
  /** The `email` claim instead of the demo address (tests of a first login's matching). */
  readonly email?: string;
  /** A `preferred_username` claim (tests of a first login's matching). */
  readonly preferredUsername?: string;
}

/**
 * The built-in issuer for `npm start` and tests: an ES256 key pair made at start, or handed in
 * (LOCAL_ISSUER_KEY: by the API's first process to the others, and by `npm start`, which keeps it in its
 * data directory so that tokens survive a restart; never stored in production, where it is off), one
 * issuer per demo organisation (each mapped to exactly that organisation), tokens signed like any
 * identity provider's and verified through the same TokenVerifier. Enabled only outside production.
 */
export class LocalIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly kid: string,
    readonly jwks: JSONWebKeySet,
    readonly audience: string,
  ) {}

  /** A new key pair; or, given one made by `newKey` (other processes of the same API), that one. */
  static async create(audience: string, key?: string): Promise<LocalIssuer> {
    const privateJwk = JSON.parse(key ?? (await LocalIssuer.newKey())) as JWK & { kid: string };
    const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
    const { crv, kty, x, y, kid } = privateJwk;
    const jwk = { crv, kty, x, y, kid, alg: 'ES256', use: 'sig' };
    return new LocalIssuer(privateKey, kid, { keys: [jwk] }, audience);
  }

  /** A new ES256 private key as a JWK (JSON) with its key id. */
  static async newKey(): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    return JSON.stringify({ ...(await exportJWK(privateKey)), kid: randomUUID() });
  }

  /** Allow-list entries: one per demo organisation. */
  trusts(): IssuerTrust[] {
    const organisations = [...new Set(DEMO_USERS.map((u) => u.organisation))];
    return organisations.map((org) => localKeysIssuer(localIssuerId(org), this.jwks, org));
  }

  async mint(user: DemoUser, options: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      roles: [...user.roles],
      org: user.organisation,
      ...(user.network ? { network: user.network } : {}),
      email: options.email ?? demoEmail(user),
      name: user.name,
      ...(options.preferredUsername ? { preferred_username: options.preferredUsername } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(localIssuerId(user.organisation))
      .setAudience(this.audience)
      .setSubject(user.userId)
      .setIssuedAt(now)
      .setNotBefore(now + (options.notBeforeIn ?? 0))
      .setExpirationTime(now + (options.expiresIn ?? 3600))
      .sign(this.privateKey);
  }

  demoUser(userId: string): DemoUser | undefined {
    return DEMO_USERS.find((u) => u.userId === userId);
  }
}
