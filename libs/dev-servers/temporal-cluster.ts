import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import pg from 'pg';
import { parse, stringify } from 'yaml';
import { freePortBelow } from './ports.js';
import { manage, type ManagedProcess, stopLeftover } from './processes.js';
import { cacheDir } from './temporal.js';

/**
 * The production engine on one machine: the Temporal server itself (go.temporal.io/server, built by
 * scripts/tools.sh into the cache, never the CLI's single-process dev server) with its four services as
 * processes of their own, on PostgreSQL: its databases `temporal` and `temporal_visibility` set up by the
 * server's own schema tool, on the same PostgreSQL server as the application's database.
 *
 * The configuration is the module's config/development-postgres12.yaml with the database's address and
 * credentials and free ports put in, one file per service (each its own metrics port), written below
 * `root` (a directory of the stack's data directory, outside the repository).
 */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export const TEMPORAL_DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

/** The server's directory as scripts/tools.sh leaves it: bin/, config/, schema/postgresql/v12. */
export function resolveTemporalServerDir(env: NodeJS.ProcessEnv = process.env): string {
  const dirs = env.TEMPORAL_SERVER_DIR
    ? [env.TEMPORAL_SERVER_DIR]
    : [join(cacheDir(env), 'temporal-server', env.OMSORG_TEMPORAL_SERVER_VERSION ?? 'v1.29.1')];
  for (const dir of dirs) {
    if (existsSync(join(dir, 'bin', 'temporal-server')) && existsSync(join(dir, 'bin', 'temporal-sql-tool')))
      return dir;
  }
  throw new Error(
    `The Temporal server was not found in ${dirs.join(', ')}.\nTo fix: install Go and run \`npm run tools\` ` +
      '(it builds go.temporal.io/server and its schema tool into the cache), or set TEMPORAL_SERVER_DIR.',
  );
}

/** Where PostgreSQL is, as the Temporal server and its schema tool take it. */
export interface ClusterDatabase {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** The server behind a postgres:// URL (the application's database; Temporal's are next to it). */
export function clusterDatabaseOf(url: string): ClusterDatabase {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export interface TemporalClusterOptions {
  /** Configuration, pid files and (unless `logDir`) logs go here. */
  readonly root: string;
  readonly database: ClusterDatabase;
  /**
   * The frontend's gRPC port (the address clients use); every other port is chosen free, below 32768:
   * the server keeps its services' ports in a smallint column (cluster_membership).
   */
  readonly frontendPort: number;
  /** One log file per service here; default `<root>/logs`. */
  readonly logDir?: string;
  readonly namespace?: string;
  /** Run each service in a process group of its own (signals to the caller's group do not reach it). */
  readonly ownProcessGroup?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunningTemporalCluster {
  readonly address: string;
  readonly logDir: string;
  /** Prometheus metrics of each service. */
  readonly metrics: Readonly<Record<TemporalService, string>>;
  /** Starts one service's process (at start, and again after it died). */
  startService(service: TemporalService): ManagedProcess;
}

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 120_000;

/** Creates Temporal's two databases (once) and brings their schemas up to the server's version. */
export async function setupTemporalSchema(serverDir: string, db: ClusterDatabase): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: db.host,
    SQL_PORT: String(db.port),
    SQL_USER: db.user,
    SQL_PASSWORD: db.password,
  };
  const tool = (args: string[]) =>
    execFileAsync(join(serverDir, 'bin', 'temporal-sql-tool'), args, { env }).catch((error: unknown) => {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`temporal-sql-tool ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
    });
  const admin = new pg.Client({ ...db, database: 'postgres' });
  await admin.connect();
  const existing = await admin
    .query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [
      Object.values(TEMPORAL_DATABASES),
    ])
    .finally(() => admin.end());
  const exists = new Set(existing.rows.map((r) => r.datname));
  for (const [kind, name] of Object.entries(TEMPORAL_DATABASES)) {
    const versioned = join(serverDir, 'schema', 'postgresql', 'v12', kind, 'versioned');
    if (!exists.has(name)) {
      await tool(['--db', name, 'create-database']);
      await tool(['--db', name, 'setup-schema', '-v', '0.0']);
    }
    await tool(['--db', name, 'update-schema', '-d', versioned]);
  }
}

type Yaml = Record<string, unknown>;
const at = (node: unknown, ...path: string[]): Yaml => {
  let n = node as Yaml;
  for (const key of path) n = n[key] as Yaml;
  return n;
};

/** A service's configuration: the module's postgres12 development file with our database and ports. */
function serviceConfig(
  base: Yaml,
  db: ClusterDatabase,
  ports: Readonly<Record<TemporalService, { grpc: number; membership: number; metrics: number }>>,
  frontendHttpPort: number,
  service: TemporalService,
): Yaml {
  const config = structuredClone(base);
  for (const store of Object.values(at(config, 'persistence', 'datastores'))) {
    Object.assign(at(store, 'sql'), {
      connectAddr: `${db.host}:${db.port}`,
      user: db.user,
      password: db.password,
    });
  }
  at(config, 'log').level = 'warn';
  const global = at(config, 'global');
  delete global.pprof; // one pprof port for four processes would collide; not needed here
  at(global, 'metrics', 'prometheus').listenAddress = `127.0.0.1:${ports[service].metrics}`;
  for (const s of TEMPORAL_SERVICES) {
    Object.assign(at(config, 'services', s, 'rpc'), {
      grpcPort: ports[s].grpc,
      membershipPort: ports[s].membership,
      bindOnLocalHost: true,
      ...(s === 'frontend' ? { httpPort: frontendHttpPort } : {}),
    });
  }
  at(config, 'clusterMetadata', 'clusterInformation', 'active').rpcAddress =
    `127.0.0.1:${ports.frontend.grpc}`;
  // Archival is off in the namespaces and needs no provider here.
  delete config.archival;
  delete config.namespaceDefaults;
  at(config, 'dynamicConfigClient').filepath = 'config/dynamicconfig/cluster.yaml';
  return config;
}

/** The dev server's dynamic settings (libs/dev-servers/temporal.ts) on top of the module's SQL ones. */
function dynamicConfig(serverDir: string): string {
  const base = readFileSync(join(serverDir, 'config', 'dynamicconfig', 'development-sql.yaml'), 'utf8');
  const extra = {
    'frontend.enableUpdateWorkflowExecution': [{ value: true }],
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
  };
  return `${base.trimEnd()}\n${stringify(extra)}`;
}

/** The command line of one of this cluster's service processes (as we start them)? */
const isServiceOf =
  (root: string, service: TemporalService) =>
  (argv: readonly string[]): boolean =>
    argv.includes('--root') && argv[argv.indexOf('--root') + 1] === root && argv.at(-1) === service;

/**
 * Sets up the schema, writes the configuration and returns the cluster, ready (the namespace exists
 * and the frontend serves it), with each service's first process started through `startService`, which
 * the caller supervises.
 */
export async function startTemporalCluster(
  options: TemporalClusterOptions,
  onStarted: (service: TemporalService, process: ManagedProcess) => void,
): Promise<RunningTemporalCluster> {
  const env = options.env ?? process.env;
  const serverDir = resolveTemporalServerDir(env);
  const root = resolve(options.root);
  const logDir = resolve(options.logDir ?? join(root, 'logs'));
  mkdirSync(join(root, 'config', 'dynamicconfig'), { recursive: true });
  mkdirSync(logDir, { recursive: true });

  await setupTemporalSchema(serverDir, options.database);

  const ports = {} as Record<TemporalService, { grpc: number; membership: number; metrics: number }>;
  for (const s of TEMPORAL_SERVICES) {
    ports[s] = {
      grpc: s === 'frontend' ? options.frontendPort : await freePortBelow(),
      membership: await freePortBelow(),
      metrics: await freePortBelow(),
    };
  }
  const httpPort = await freePortBelow();
  const base = parse(readFileSync(join(serverDir, 'config', 'development-postgres12.yaml'), 'utf8')) as Yaml;
  for (const s of TEMPORAL_SERVICES) {
    const config = serviceConfig(base, options.database, ports, httpPort, s);
    writeFileSync(join(root, 'config', `${s}.yaml`), stringify(config), { mode: 0o600 });
  }
  writeFileSync(join(root, 'config', 'dynamicconfig', 'cluster.yaml'), dynamicConfig(serverDir));
  cpSync(
    join(serverDir, 'config', 'dynamicconfig', 'README.md'),
    join(root, 'config', 'dynamicconfig', 'README.md'),
  );

  const startService = (service: TemporalService): ManagedProcess => {
    const out = openSync(join(logDir, `temporal-${service}.log`), 'a');
    let child;
    try {
      child = spawn(
        join(serverDir, 'bin', 'temporal-server'),
        [
          '--root',
          root,
          '--config',
          'config',
          '--env',
          service,
          '--allow-no-auth',
          'start',
          '--service',
          service,
        ],
        { stdio: ['ignore', out, out], detached: options.ownProcessGroup === true, cwd: root },
      );
    } finally {
      closeSync(out);
    }
    const proc = manage(`temporal-${service}`, child, { stopSignal: 'SIGTERM', stopGraceMs: 10_000 });
    const pidFile = join(root, `${service}.pid`);
    writeFileSync(pidFile, `${proc.pid}\n`);
    void proc.exited.then(() => rmSync(pidFile, { force: true }));
    const onExit = () => child.kill('SIGTERM');
    process.on('exit', onExit);
    void proc.exited.then(() => process.off('exit', onExit));
    return proc;
  };

  // A service that outlived a killed launcher (found by its pid file) is stopped first.
  for (const s of TEMPORAL_SERVICES) {
    const pidFile = join(root, `${s}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) await stopLeftover(pid, isServiceOf(root, s));
    rmSync(pidFile, { force: true });
  }
  const started: ManagedProcess[] = [];
  const dead = () => started.find((p) => p.hasExited());
  const deadError = (p: ManagedProcess) =>
    new Error(`${p.name} exited at start (its output is in ${logDir}/${p.name}.log)`);
  for (const [i, s] of TEMPORAL_SERVICES.entries()) {
    const proc = startService(s);
    started.push(proc);
    onStarted(s, proc);
    // On a new database each service would write the cluster's metadata record, and all but one fail
    // when they race: the first service writes it alone, the others start once it is there.
    if (i === 0) await untilClusterMetadata(options.database, proc, () => deadError(proc));
  }

  const address = `127.0.0.1:${options.frontendPort}`;
  const namespace = options.namespace ?? 'default';
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const exited = dead();
    if (exited) throw deadError(exited);
    if (await namespaceReady(address, namespace)) break;
    if (Date.now() > deadline)
      throw new Error(
        `the Temporal cluster did not become ready on ${address} within ${READY_TIMEOUT_MS} ms`,
      );
    await sleep(500);
  }
  const metrics = Object.fromEntries(
    TEMPORAL_SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s].metrics}/metrics`]),
  ) as Record<TemporalService, string>;
  return { address, logDir, metrics, startService };
}

/** Waits until the cluster's metadata record exists (written by the first service at its start). */
async function untilClusterMetadata(
  db: ClusterDatabase,
  first: ManagedProcess,
  failed: () => Error,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (first.hasExited()) throw failed();
    const client = new pg.Client({ ...db, database: TEMPORAL_DATABASES.temporal });
    const found = await client
      .connect()
      .then(() => client.query('SELECT 1 FROM cluster_metadata_info LIMIT 1'))
      .then((r) => (r.rowCount ?? 0) > 0)
      .catch(() => false)
      .finally(() => client.end().catch(() => undefined));
    if (found) return;
    if (Date.now() > deadline) throw new Error('the Temporal server wrote no cluster metadata');
    await sleep(200);
  }
}

/** The namespace exists (registered now if not) and the system's own workflows can run in it. */
async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch(() => undefined);
  if (!connection) return false;
  try {
    const service = connection.workflowService;
    const exists = await service.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await service
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
        .catch(() => undefined);
      return false;
    }
    // The history and matching services answer through the frontend.
    await service.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1 });
    await service.describeTaskQueue({ namespace, taskQueue: { name: 'omsorgspakken-readiness' } });
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}
