import { z } from 'zod';

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
  /** Prebuilt workflow bundle (production). Unset: the worker bundles workflows/ at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
});

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
  return Object.freeze(result.data);
}
