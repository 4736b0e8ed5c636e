import { z } from 'zod';
import { ROLES } from '../domain/vocabulary.js';

/**
 * The one typed configuration object. It is built from the environment once, at boot; nothing else in
 * the code base reads process.env. A bad or missing variable stops start-up with a message naming it.
 */
const port = z.coerce.number().int().min(1).max(65535);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  DATABASE_URL: z
    .string({ error: 'is required (postgres://user:password@host:port/database)' })
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('omsorgspakken'),
  /**
   * Workflows kept in the worker's memory between tasks. A placement that is not cached is rebuilt from
   * its history on its next event (rare: a package wakes a few times a week), so a modest cache bounds
   * the worker's memory without costing much.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(200),
  /**
   * Every so many ms, the worker logs its memory (RSS, V8 heap, external) and its workflow cache's fill
   * ("worker memory"): what bench:engine reads to say where the worker's memory goes. 0: never.
   */
  WORKER_MEMORY_LOG_MS: z.coerce.number().int().min(0).default(0),
  /**
   * Diagnosis: when a file named `request` appears in this directory, the worker removes it and writes
   * V8 heap snapshots of its main thread and of the SDK's workflow thread (where the cached workflows
   * live) there. Unset: nothing is watched.
   */
  WORKER_HEAP_SNAPSHOT_DIR: z.string().min(1).optional(),
  /** Prebuilt workflow bundle (production). Unset: the worker bundles workflows/ at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** The `aud` every bearer token must carry. */
  AUTH_AUDIENCE: z.string().min(1).default('omsorgspakken-api'),
  /**
   * Allow-listed external issuers (OIDC/JWT), JSON: [{"issuer","jwksUri","organisation"}], each issuer
   * mapped to exactly one organisation (service id).
   */
  AUTH_ISSUERS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return trustedIssuersSchema.parse(JSON.parse(text));
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON list of {issuer, jwksUri, organisation}: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  /**
   * The built-in local issuer (real signed tokens for demo users; never a bypass). Unset: on in
   * development and test, off in production.
   */
  AUTH_LOCAL_ISSUER: z.enum(['on', 'off']).optional(),
  /**
   * Login in the web app with OIDC authorization code + PKCE (a public client in the browser). Both set:
   * the login page sends people to this issuer; its access tokens must be accepted by AUTH_ISSUERS (same
   * `iss`) and carry AUTH_AUDIENCE. Unset: no OIDC login (the local issuer's demo users, if on).
   */
  WEB_OIDC_ISSUER: z
    .url()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  WEB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Scopes the web app asks the issuer for (space-separated). */
  WEB_OIDC_SCOPE: z.string().min(1).default('openid'),
  /**
   * API processes on this host (node:cluster; they share the port). One is enough for development; a
   * host of its own gives the API one per core it may use (`npm run bench:api` runs two on two cores).
   * Each process keeps its own rate-limit windows and caches.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * The HTTP server under NestJS: `express` (@nestjs/platform-express, the default) or `fastify`
   * (@nestjs/platform-fastify). `npm run bench:api` measures both; see README, Benchmarks.
   */
  HTTP_ADAPTER: z.enum(['express', 'fastify']).default('express'),
  /**
   * Internal: the local issuer's private key (JWK), handed by the API's first process to the processes it
   * starts, so that they all sign and accept the same demo tokens, and by `npm start`, which keeps it in
   * its data directory so that demo tokens (open browser sessions) survive a restart. Never set by hand;
   * ignored with the local issuer off.
   */
  LOCAL_ISSUER_KEY: z.string().min(1).optional(),
  /** Requests per minute per user (or per address before login). */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /**
   * Which proxies in front of the API to trust for the client's address (X-Forwarded-For), as Express's
   * `trust proxy` takes it: a number of hops, or addresses, subnets and names like `loopback`,
   * `uniquelocal`. Unset: none, and the address is the TCP peer's (behind a proxy, the proxy's: every
   * client would then share one rate-limit window).
   */
  API_TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[\w.:/, -]{1,500})$/, 'a number of hops, or addresses, subnets or names')
    .optional(),
  /**
   * Refused logins (bad, expired or missing tokens) per minute per address: beyond it 429, and one
   * access-log row for the rest of the minute instead of one each, so a flood cannot grow the log.
   */
  API_LOGIN_FAILURE_LIMIT: z.coerce.number().int().min(1).default(60),
  /**
   * Working days a late registration's already-overdue steps wait before they escalate
   * (REGISTRATION_GRACE_WORKING_DAYS in libs/domain/package/decide/time.ts; 0: none). Given to each new
   * registration, so a change never moves a registered package. The browser tests' stack sets 0: its
   * seeded placements, registered weeks late, show escalations at once.
   */
  REGISTRATION_GRACE_WORKING_DAYS: z.coerce.number().int().min(0).max(20).default(5),
  /**
   * The key-encryption key of the personal-data store: 32 bytes, base64. It wraps each child's own data
   * key. The API requires it in production; development and test fall back to a fixed, public development key.
   */
  PERSONAL_DATA_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  /** Days after a placement ended before its personal data may be purged (crypto-shredded). */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(0).default(365),
  /**
   * Notifications by e-mail (libs/notifications): the SMTP server, `smtp://host:port` or `smtps://…`
   * (user and password in the URL if it needs them). Unset: no e-mail is sent and the daily digest does
   * not run. `npm start` sets it to its development mail sink.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender of notification e-mails (RFC 5322 address, optionally with a display name). */
  MAIL_FROM: z.string().min(3).default('Omsorgspakken <ikke-svar@omsorgspakken.example>'),
  /**
   * Where people open the app: links in e-mails and calendar entries, and the calendar feed's own URL.
   * Without a trailing slash.
   */
  PUBLIC_BASE_URL: z
    .url()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:3000'),
  /** The daily digest goes out at DIGEST_HOUR:DIGEST_MINUTE, Oslo time. */
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /**
   * The package timers open tasks and send reminders at 07:00 Oslo (libs/domain/planner/timers.ts): a
   * digest at 07:00 sharp would race them and carry that morning's reminders a day late. A quarter of an
   * hour later they are all in.
   */
  DIGEST_MINUTE: z.coerce.number().int().min(0).max(59).default(15),
  /**
   * How long the API waits for a command's outcome before answering 202 (taken in, outcome not known
   * yet, with where to look it up). A query of the engine is bounded by the same wait (then 503).
   */
  API_COMMAND_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Days an Idempotency-Key stays bound to the body it was first used with (`command_requests`): within
   * them the key with another body is 422; after them the row is deleted and a repeat is answered from
   * the events the command stored, as before the binding.
   */
  IDEMPOTENCY_KEY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * SCIM 2.0 provisioning (apps/api/scim), JSON: [{"organisation", "token", "groupRoles"?}], one entry per
   * service whose identity provider provisions its staff: the bearer token it sends (at least 32
   * characters; compared in constant time, never logged) and, optionally, which of its group names gives
   * which role (otherwise a group named as a role's code or bokmål label gives that role). Empty: no SCIM.
   */
  SCIM_TENANTS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return scimTenantsSchema.parse(JSON.parse(text));
      } catch (error) {
        // The message names the rule broken, never a token (zod's issues do not carry the value).
        const issues =
          error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) : [];
        ctx.addIssue({
          code: 'custom',
          message: `must be a JSON list of {organisation, token, groupRoles?}${issues.length ? `: ${issues.join('; ')}` : ''}`,
        });
        return z.NEVER;
      }
    }),
  /**
   * Test mode only (refused otherwise): the worker kills itself right after its n-th committed append of
   * a kind, `command:N`, `tick:N` or `any:N` (test/e2e/worker-crash.spec.ts).
   */
  FAULT_KILL_AFTER_APPEND: z
    .string()
    .regex(/^(command|tick|any):[1-9]\d{0,3}$/, 'must be command:N, tick:N or any:N')
    .optional(),
});

const trustedIssuersSchema = z
  .array(
    z.strictObject({
      issuer: z.string().min(1),
      jwksUri: z.url(),
      organisation: z.uuid(),
      /** Accepted `acr` values (levels of assurance); absent: not checked. */
      acr: z.array(z.string().min(1)).min(1).optional(),
    }),
  )
  .refine((list) => new Set(list.map((i) => i.issuer)).size === list.length, 'issuers must be unique');

const scimTenantsSchema = z
  .array(
    z.strictObject({
      organisation: z.uuid(),
      token: z
        .string()
        .min(32)
        .max(512)
        .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
      groupRoles: z.record(z.string().min(1).max(200), z.enum(ROLES)).optional(),
    }),
  )
  .refine((list) => new Set(list.map((t) => t.token)).size === list.length, 'tokens must be unique')
  .refine(
    (list) => new Set(list.map((t) => t.organisation)).size === list.length,
    'one entry per organisation',
  );

export type ScimTenant = z.output<typeof scimTenantsSchema>[number];

export type TrustedIssuer = z.output<typeof trustedIssuersSchema>[number];

export type AppConfig = Readonly<z.output<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly issues: readonly { variable: string; reason: string }[]) {
    super('Invalid configuration:\n' + issues.map((i) => `  - ${i.variable}: ${i.reason}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every offending variable at once. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: issue.path.join('.') || '(environment)',
        reason: issue.message,
      })),
    );
  }
  if (result.data.FAULT_KILL_AFTER_APPEND !== undefined && result.data.NODE_ENV !== 'test')
    throw new ConfigError([
      { variable: 'FAULT_KILL_AFTER_APPEND', reason: 'is a fault hook for tests: only with NODE_ENV=test' },
    ]);
  const { WEB_OIDC_ISSUER, WEB_OIDC_CLIENT_ID } = result.data;
  if ((WEB_OIDC_ISSUER === undefined) !== (WEB_OIDC_CLIENT_ID === undefined)) {
    const missing = WEB_OIDC_ISSUER === undefined ? 'WEB_OIDC_ISSUER' : 'WEB_OIDC_CLIENT_ID';
    throw new ConfigError([{ variable: missing, reason: 'is required with the other WEB_OIDC_ variable' }]);
  }
  return Object.freeze(result.data);
}
