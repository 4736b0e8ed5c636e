import { z } from 'zod';
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
});

export type LauncherConfig = Readonly<z.output<typeof launcherConfigSchema>>;

export function parseLauncherConfig(env: Record<string, string | undefined>): LauncherConfig {
  const result = launcherConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', reason: i.message })),
    );
  }
  return Object.freeze(result.data);
}
