import { existsSync, readdirSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * Where the two Temporal servers come from, for tests and for `npm start` (never for production,
 * which runs a real Temporal cluster; see docker-compose.yml):
 *   1. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, set by scripts/tools.sh or by hand;
 *   2. what scripts/tools.sh built earlier into the cache ($OMSORG_CACHE);
 *   3. the Temporal SDK's own download (needs the internet, which our CI machines do not have).
 */
type Executable = { type: 'existing-path'; path: string } | { type: 'cached-download'; downloadDir: string };

export const cacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.OMSORG_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'omsorgspakken');

function executableAt(path: string, variable: string): Executable {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${variable}=${path} is not an executable file`);
  }
  return { type: 'existing-path', path };
}

function fromCache(sub: string, file: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = join(cacheDir(env), sub);
  if (!existsSync(dir)) return undefined;
  const versions = readdirSync(dir)
    .filter((v) => !v.endsWith('.partial') && existsSync(join(dir, v, file)))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  return versions[0] ? join(dir, versions[0], file) : undefined;
}

export function resolveServer(kind: 'cli' | 'test-server', env: NodeJS.ProcessEnv = process.env): Executable {
  const variable = kind === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
  const override = env[variable];
  if (override) return executableAt(override, variable);
  const cached =
    kind === 'cli'
      ? fromCache('temporal-cli', 'temporal', env)
      : fromCache('temporal-test-server', 'temporal-test-server', env);
  if (cached) return executableAt(cached, `cached ${kind}`);
  return { type: 'cached-download', downloadDir: join(cacheDir(env), 'sdk-download') };
}

function explain(kind: 'cli' | 'test-server', error: unknown): Error {
  const what = kind === 'cli' ? 'Temporal CLI dev server' : 'Temporal time-skipping test server';
  const how =
    kind === 'cli'
      ? 'install Go (then `npm run tools` builds it) or set TEMPORAL_CLI_PATH'
      : 'install Java and Maven (then `npm run tools` resolves it) or set TEMPORAL_TEST_SERVER_PATH';
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`Could not start the ${what}: ${message}\nTo fix: ${how}.`, { cause: error });
}

const READINESS_LIMIT = /did not start within/;

/**
 * The SDK gives an ephemeral server 5 s to listen. The JVM test server needs ~1-3 s on 2 idle cores
 * (scripts/tools.sh prepares a class-data-sharing archive for it); on a loaded machine we try again.
 */
async function withReadinessRetry<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !READINESS_LIMIT.test(String(error))) throw error;
    }
  }
}

export async function startTimeSkippingServer(
  env: NodeJS.ProcessEnv = process.env,
  { attempts = 3 }: { attempts?: number } = {},
): Promise<TestWorkflowEnvironment> {
  const executable = resolveServer('test-server', env);
  try {
    return await withReadinessRetry(
      () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
      attempts,
    );
  } catch (error) {
    throw explain('test-server', error);
  }
}

export interface DevServerOptions {
  readonly port?: number;
  readonly uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  readonly dbFilename?: string;
  readonly ui?: boolean;
}

export async function startDevServer(
  options: DevServerOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestWorkflowEnvironment> {
  const executable = resolveServer('cli', env);
  try {
    return await withReadinessRetry(() =>
      TestWorkflowEnvironment.createLocal({
        server: {
          executable,
          ip: '127.0.0.1',
          port: options.port,
          ui: options.ui ?? false,
          uiPort: options.uiPort,
          dbFilename: options.dbFilename,
          log: { format: 'pretty', level: 'warn' },
        },
      }),
    );
  } catch (error) {
    throw explain('cli', error);
  }
}
