import { spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { eachLine, manage, type ManagedProcess, stopLeftover } from './processes.js';

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

export interface DevServerProcessOptions {
  readonly port: number;
  readonly uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  readonly dbFilename?: string;
  /** Where the server's own output goes: the terminal, or appended to a file. */
  readonly output: 'inherit' | { readonly file: string };
  /** Run the server in a process group of its own (signals to the caller's group do not reach it). */
  readonly ownProcessGroup?: boolean;
}

export interface RunningDevServer {
  readonly address: string;
  readonly process: ManagedProcess;
  /** SIGTERM (the CLI then stops cleanly, SQLite included), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** The dev server started with this database file (as we start it: `… --db-filename <file>`)? */
const isDevServerOf =
  (dbFilename: string) =>
  (argv: readonly string[]): boolean =>
    argv.includes('start-dev') && argv[argv.indexOf('--db-filename') + 1] === dbFilename;

/**
 * The Temporal CLI dev server as our own child process (the same arguments the SDK's ephemeral server
 * uses), so that it can be supervised: its exit is seen, it is stopped with SIGTERM rather than the SDK's
 * SIGKILL, and one that outlived a killed launcher (found by its pid file next to the database) is stopped
 * before a new one starts on the same database and port. Needs the CLI binary (TEMPORAL_CLI_PATH or the
 * cache); without it use startDevServer, whose server the SDK owns.
 */
export async function startDevServerProcess(
  options: DevServerProcessOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningDevServer> {
  const executable = resolveServer('cli', env);
  if (executable.type !== 'existing-path')
    throw new Error('the Temporal CLI binary is needed to run the dev server as a process of its own');
  const pidFile = options.dbFilename ? `${options.dbFilename}.pid` : undefined;
  if (options.dbFilename && pidFile && existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) await stopLeftover(pid, isDevServerOf(options.dbFilename));
    rmSync(pidFile, { force: true });
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    'default',
    '--log-format',
    'pretty',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']),
  ];
  // To the terminal through us, so that what the server says while it is being stopped (a screenful of
  // warnings about connections it is closing itself) is not shown; to a file, all of it.
  const out = options.output === 'inherit' ? 'pipe' : openSync(options.output.file, 'a');
  let child;
  try {
    child = spawn(executable.path, args, {
      stdio: ['ignore', out, out],
      detached: options.ownProcessGroup === true,
    });
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
  let stopping = false;
  eachLine(child.stdout, (line) => stopping || process.stdout.write(`${line}\n`));
  eachLine(child.stderr, (line) => stopping || process.stderr.write(`${line}\n`));
  const managed = manage('temporal', child, { stopSignal: 'SIGTERM', stopGraceMs: 10_000 });
  const server: ManagedProcess = {
    ...managed,
    stop: (signal, graceMs) => {
      stopping = true;
      return managed.stop(signal, graceMs);
    },
  };
  if (pidFile) {
    writeFileSync(pidFile, `${server.pid}\n`);
    void server.exited.then(() => rmSync(pidFile, { force: true }));
  }
  const onExit = () => child.kill('SIGTERM');
  process.on('exit', onExit);
  void server.exited.then(() => process.off('exit', onExit));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    // Our own server must answer: another one on the port (if the bind failed) does not count.
    if (server.hasExited()) {
      const where = options.output === 'inherit' ? 'above' : `in ${options.output.file}`;
      throw new Error(`the Temporal dev server exited at start (its output is ${where})`);
    }
    const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch(() => undefined);
    const ok = await connection?.workflowService
      .describeNamespace({ namespace: 'default' })
      .then(() => true)
      .catch(() => false);
    await connection?.close();
    if (ok && !server.hasExited()) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(
        `the Temporal dev server did not become ready on ${address} within ${READY_TIMEOUT_MS} ms`,
      );
    }
    await sleep(250);
  }
  return { address, process: server, stop: () => server.stop().then(() => undefined) };
}
