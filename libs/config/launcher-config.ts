import { z } from 'zod';
import { localIssuerOn } from '../security/local-issuer.js';
import { ConfigError } from './config.js';

const port = z.coerce.number().int().min(1).max(65535);

/** Settings of `npm start`, the local all-in-one launcher. Anything unset uses the embedded defaults. */
export const launcherConfigSchema = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  API_PORT: port.default(3000),
  EMBEDDED_PG_PORT: port.default(5433),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How the apps' JSON log lines are shown: `auto` readably (pino-pretty) on a terminal and unchanged
   * (JSON, one object a line) when the output goes to a file or a pipe; `pretty` or `json` always.
   */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  /** External PostgreSQL: when set, no embedded server is started. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL')
    .optional(),
  /** Port of the development mail sink (notification e-mails land in DATA_DIR/mail/*.eml). */
  MAIL_SINK_PORT: port.default(2525),
  /** A real SMTP server (smtp:// or smtps:// URL): when set, no mail sink is started. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /**
   * `dev`: the Temporal CLI's dev server, one worker, one API (`npm start`). `cluster`: the Temporal
   * server's four services as separate processes on PostgreSQL, two workers, two APIs
   * (`npm run start:cluster`, which also sets DATA_DIR to .data-cluster unless it is set).
   */
  TOPOLOGY: z.enum(['dev', 'cluster']).default('dev'),
  /** External Temporal frontend (host:port): when set, no dev server is started. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'must be host:port')
    .optional(),
  /** As the apps read them: production (or the local issuer off) never gets demo data. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  AUTH_LOCAL_ISSUER: z.enum(['on', 'off']).optional(),
  /**
   * Demo data (apps/launcher/demo): `on` seeds realistic placements through the API on a first start
   * with an empty database; `off` (or `npm start -- --no-demo`) does not. Unset: on, except in
   * production or with the local issuer off, where `on` is refused.
   */
  DEMO_DATA: z.enum(['on', 'off']).optional(),
  /** How many demo placements (default 300). */
  DEMO_PLACEMENTS: z.coerce.number().int().min(1).max(2000).default(300),
});

export type LauncherConfig = Readonly<
  Omit<z.output<typeof launcherConfigSchema>, 'DEMO_DATA'> & { DEMO_DATA: boolean }
>;

/**
 * The launcher's settings. `args` are the command line's (`npm start -- --no-demo`). Demo data needs the
 * local issuer (it is sent as the demo users): it is refused where the local issuer is off
 * (AUTH_LOCAL_ISSUER=off, or production by default), and in production always.
 */
export function parseLauncherConfig(
  env: Record<string, string | undefined>,
  args: readonly string[] = [],
): LauncherConfig {
  const result = launcherConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', reason: i.message })),
    );
  }
  const unknown = args.filter((a) => a !== '--no-demo');
  if (unknown.length > 0)
    throw new ConfigError([
      { variable: '(command line)', reason: `unknown: ${unknown.join(' ')} (only --no-demo)` },
    ]);
  const allowed = result.data.NODE_ENV !== 'production' && localIssuerOn(result.data);
  if (result.data.DEMO_DATA === 'on' && !allowed)
    throw new ConfigError([
      {
        variable: 'DEMO_DATA',
        reason:
          result.data.NODE_ENV === 'production'
            ? 'demo data is never on in production (NODE_ENV=production)'
            : 'demo data needs the local issuer (AUTH_LOCAL_ISSUER=off)',
      },
    ]);
  const demo = allowed && result.data.DEMO_DATA !== 'off' && !args.includes('--no-demo');
  return Object.freeze({ ...result.data, DEMO_DATA: demo });
}
