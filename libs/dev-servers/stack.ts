import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase } from '../database/data-source.js';
import { localIssuerKey } from './local-issuer-key.js';
import { startMailSink, type RunningMailSink } from './mail-sink.js';
import { startEmbeddedPostgres, type RunningPostgres } from './postgres.js';
import { type Exit, manage, type ManagedProcess } from './processes.js';
import {
  DEFAULT_RESTART_POLICY,
  type RestartPolicy,
  supervise,
  type Supervised,
  type SupervisorEvent,
} from './supervisor.js';
import { freePort } from './ports.js';
import { resolveServer, startDevServer, startDevServerProcess, type RunningDevServer } from './temporal.js';
import {
  clusterDatabaseOf,
  startTemporalCluster,
  TEMPORAL_SERVICES,
  type TemporalService,
} from './temporal-cluster.js';

/**
 * The whole system on one machine: PostgreSQL, the Temporal dev server, the worker and the API, the
 * last two as separate Node processes running the compiled apps in dist/ (exactly what production runs).
 * Used by `npm start` (apps/launcher) and by the end-to-end tests.
 *
 * With `restart`, a part whose process dies is started again (lib/dev-servers/supervisor.ts: the delay
 * doubles from 1 s up to 30 s while it keeps dying). `stop()` stops the apps first, then the Temporal dev
 * server and PostgreSQL, each within its own bound (STOP_GRACE_MS), so the whole stops within
 * STOP_BOUND_MS.
 */
export interface StackOptions {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly pgPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort?: number;
  /** Keep PostgreSQL and Temporal data (and the local issuer's key) across restarts. */
  readonly persistent: boolean;
  readonly databaseUrl?: string;
  readonly temporalAddress?: string;
  readonly logLevel: string;
  /**
   * Where the apps' output goes: inherit the terminal, a log file per app (and one for the Temporal dev
   * server), or to a function that reads the app's stdout and stderr (`npm start` on a terminal).
   */
  readonly output:
    | 'inherit'
    | { readonly logDir: string }
    | {
        readonly pipe: (name: AppName, stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => void;
      };
  readonly extraEnv?: Record<string, string>;
  /**
   * Start the development mail sink on this port (mails to `<dataDir>/mail/*.eml`) and point the apps'
   * SMTP_URL at it. Unset: the apps get SMTP_URL from the environment, if any.
   */
  readonly mailSinkPort?: number;
  /** Start a part again when its process dies (`npm start`). Off by default: tests kill parts on purpose. */
  readonly restart?: boolean;
  readonly restartPolicy?: RestartPolicy;
  /** Told when a supervised part dies and when it is back. */
  readonly onEvent?: (event: SupervisorEvent) => void;
  /**
   * The Temporal engine: the CLI's single-process dev server (default), or the Temporal server itself
   * with its four services as processes of their own on PostgreSQL (libs/dev-servers/temporal-cluster.ts;
   * `temporalPort` is then the frontend's).
   */
  readonly temporal?: 'dev' | 'cluster';
  /**
   * How many worker processes and API processes (each API on a port of its own: the first on apiPort,
   * the others free). Default 1. The workers share the task queues; one of them runs the projector at a
   * time (an advisory lock); the APIs share their rate limits in PostgreSQL.
   */
  readonly replicas?: number;
}

export type AppName = 'api' | 'worker';

export interface AppProcess {
  readonly name: AppName;
  readonly child: ChildProcess;
  /** The exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
}

export interface RunningStack {
  readonly apiUrl: string;
  /** Every API process's address (the first is apiUrl); more than one with `replicas`. */
  readonly apiUrls: readonly string[];
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl?: string;
  /** The development mail sink's folder, when one was started. */
  readonly mailDir?: string;
  /** The apps' processes (with `restart`, the ones running now). */
  worker: AppProcess;
  api: AppProcess;
  /** The supervised processes of an app running now, one per replica. */
  replicas(name: AppName): AppProcess[];
  /** The Temporal cluster's service processes running now (`temporal: 'cluster'` only). */
  temporalServices(): { readonly service: TemporalService; readonly pid: number }[];
  /** The Temporal cluster's logs and metrics (`temporal: 'cluster'` only). */
  readonly temporalCluster?: { readonly logDir: string; readonly metrics: Readonly<Record<string, string>> };
  /** Starts another process of an app, with `env` on top of the stack's (a test's fault hook). */
  startApp(name: AppName, env?: Record<string, string>): Promise<AppProcess>;
  stopApp(app: AppProcess, signal?: NodeJS.Signals): Promise<void>;
  /** The processes the stack runs now, by part. */
  pids(): { readonly name: string; readonly pid: number }[];
  /** Stops everything, apps first; each part within its bound. Safe to call more than once. */
  stop(): Promise<void>;
}

/** How long each part may take to stop cleanly before it is killed (SIGKILL). */
export const STOP_GRACE_MS = {
  /** The API finishes answers in progress for up to 10 s (apps/api/common/http-drain.ts). */
  app: 12_000,
  temporal: 5_000,
  postgres: 5_000,
} as const;
/** From stop() to everything gone: the apps (in parallel), then Temporal, then PostgreSQL. */
export const STOP_BOUND_MS = STOP_GRACE_MS.app + STOP_GRACE_MS.temporal + STOP_GRACE_MS.postgres + 3_000;

const distRoot = () => resolve(fileURLToPath(new URL('.', import.meta.url)), '../../').replace(/\/?$/, '/');

/** dist/ holds the compiled apps whether this file runs from dist/ or from source (tests). */
function distDir(): string {
  const root = distRoot();
  return root.includes('/dist/') ? root : join(root, 'dist/');
}

function appEntry(name: AppName): string {
  return join(distDir(), 'apps', name, 'main.js');
}

/**
 * The prebuilt workflow bundle (`npm run build` and the test tiers' setup write it), so that a worker,
 * started or restarted, loads it in a second instead of bundling the workflows again. Undefined when
 * there is none: the worker bundles at start.
 */
export function prebuiltWorkflowBundle(): string | undefined {
  const file = join(distDir(), 'workflow-bundle.js');
  return existsSync(file) ? file : undefined;
}

async function waitFor(url: string, timeoutMs: number, exited: Promise<unknown>): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`process exited before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** A part of the stack as the supervisor sees it. */
interface Part extends ManagedProcess {
  stop(): Promise<Exit>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  const policy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
  const slots: Supervised<Part>[] = [];
  const keep = <T extends Part>(name: string, first: T, again: () => Promise<T>): Supervised<T> => {
    const slot = supervise(name, first, again, { policy, onEvent: options.onEvent });
    slots.push(slot);
    return slot;
  };
  const unsupervised = <T extends Part>(name: string, first: T): Supervised<T> => {
    const slot = {
      name,
      current: () => first,
      retire: () => undefined,
      stop: () => first.stop().then(() => undefined),
    };
    slots.push(slot);
    return slot;
  };
  const run = options.restart ? keep : unsupervised;
  // A supervised system is stopped by its supervisor alone, in order: each part in a process group of
  // its own, so that Ctrl-C (SIGINT to the terminal's whole foreground group) reaches the launcher only.
  // (Unsupervised, as in the tests, the parts stay in the caller's group and go with it.)
  const ownProcessGroup = options.restart === true;
  const logFile = (name: string) => {
    if (typeof options.output !== 'object' || !('logDir' in options.output)) return undefined;
    mkdirSync(options.output.logDir, { recursive: true });
    return join(options.output.logDir, `${name}.log`);
  };

  try {
    let databaseUrl = options.databaseUrl;
    let postgres: Supervised<Part> | undefined;
    if (!databaseUrl) {
      const startPostgres = () =>
        startEmbeddedPostgres({
          dataDir: join(options.dataDir, 'postgres'),
          port: options.pgPort,
          persistent: options.persistent,
          unsafeFast: !options.persistent,
          ownProcessGroup,
        });
      const first = await startPostgres();
      const part = (pg: RunningPostgres): Part => ({
        ...pg.process,
        stop: () => pg.process.stop('SIGINT', STOP_GRACE_MS.postgres),
      });
      postgres = run('PostgreSQL', part(first), async () => part(await startPostgres()));
      // The last to stop; a throwaway (test) cluster's directory goes with it.
      cleanups.push(async () => {
        await postgres?.stop();
        if (!options.persistent) await first.stop();
      });
      await first.ensureDatabase('omsorgspakken');
      databaseUrl = first.url('omsorgspakken');
    }
    // Apply migrations once here, so the apps start against an up-to-date schema.
    await (await openDatabase(databaseUrl, 2)).destroy();

    let temporalAddress = options.temporalAddress;
    let temporalUi = false;
    const serviceSlots = new Map<TemporalService, Supervised<Part>>();
    let temporalCluster: RunningStack['temporalCluster'];
    if (!temporalAddress && options.temporal === 'cluster') {
      const part = (proc: ManagedProcess): Part => ({
        ...proc,
        stop: () => proc.stop('SIGTERM', STOP_GRACE_MS.temporal),
      });
      const firsts = new Map<TemporalService, ManagedProcess>();
      const clusterRoot = join(options.dataDir, 'temporal-cluster');
      const logDir =
        typeof options.output === 'object' && 'logDir' in options.output ? options.output.logDir : undefined;
      // Until they are supervised (below), the services started are stopped by the cleanup.
      cleanups.push(() =>
        Promise.all([...firsts.values()].map((p) => p.stop('SIGTERM', STOP_GRACE_MS.temporal))),
      );
      const cluster = await startTemporalCluster(
        {
          root: clusterRoot,
          database: clusterDatabaseOf(databaseUrl),
          frontendPort: options.temporalPort,
          ...(logDir ? { logDir } : {}),
          ownProcessGroup,
        },
        (service, proc) => firsts.set(service, proc),
      );
      for (const service of TEMPORAL_SERVICES) {
        const slot = run(`Temporal ${service}`, part(firsts.get(service)!), () =>
          Promise.resolve(part(cluster.startService(service))),
        );
        serviceSlots.set(service, slot);
      }
      // Stopped after the apps, before PostgreSQL: all four at once.
      cleanups.push(async () => {
        await Promise.all([...serviceSlots.values()].map((slot) => slot.stop()));
        // A throwaway cluster's configuration (it holds the database password) goes with it.
        if (!options.persistent) rmSync(clusterRoot, { recursive: true, force: true });
      });
      temporalAddress = cluster.address;
      temporalCluster = { logDir: cluster.logDir, metrics: cluster.metrics };
    }
    if (!temporalAddress) {
      mkdirSync(options.dataDir, { recursive: true });
      const devServer = {
        port: options.temporalPort,
        uiPort: options.temporalUiPort,
        dbFilename: options.persistent ? resolve(options.dataDir, 'temporal.db') : undefined,
      };
      if (resolveServer('cli').type === 'existing-path') {
        const file = logFile('temporal');
        const startTemporal = () =>
          startDevServerProcess({ ...devServer, output: file ? { file } : 'inherit', ownProcessGroup });
        const part = (server: RunningDevServer): Part => ({
          ...server.process,
          stop: () => server.process.stop('SIGTERM', STOP_GRACE_MS.temporal),
        });
        const temporal = run('Temporal', part(await startTemporal()), async () =>
          part(await startTemporal()),
        );
        cleanups.push(() => temporal.stop());
      } else {
        // No CLI binary: the SDK's download, whose process the SDK owns (not supervised).
        const env: TestWorkflowEnvironment = await startDevServer({
          ...devServer,
          ui: devServer.uiPort !== undefined,
        });
        cleanups.push(() => env.teardown());
      }
      temporalAddress = `127.0.0.1:${options.temporalPort}`;
      temporalUi = options.temporalUiPort !== undefined;
    }

    let mailSink: RunningMailSink | undefined;
    if (options.mailSinkPort !== undefined) {
      const sink = await startMailSink({ port: options.mailSinkPort, dir: resolve(options.dataDir, 'mail') });
      cleanups.push(() => Promise.race([sink.stop(), sleep(2_000)]));
      mailSink = sink;
    }

    const nodeEnv = process.env.NODE_ENV ?? 'development';
    // The local issuer's key: kept in the data directory (persistent) or made once for this stack, so
    // that demo tokens stay valid when the API is restarted. None when the local issuer is off.
    const issuerKey = await localIssuerKey(options.dataDir, options.persistent, {
      NODE_ENV: options.extraEnv?.NODE_ENV ?? nodeEnv,
      AUTH_LOCAL_ISSUER: options.extraEnv?.AUTH_LOCAL_ISSUER ?? process.env.AUTH_LOCAL_ISSUER,
    });
    const bundle = prebuiltWorkflowBundle();
    const env = {
      ...process.env,
      ...(bundle ? { WORKFLOW_BUNDLE_PATH: bundle } : {}),
      // Links in mails and the calendar feed point at this API unless PUBLIC_BASE_URL says otherwise.
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${options.apiPort}`,
      ...(mailSink ? { SMTP_URL: mailSink.url } : {}),
      ...(issuerKey ? { LOCAL_ISSUER_KEY: issuerKey } : {}),
      ...options.extraEnv,
      NODE_ENV: nodeEnv,
      LOG_LEVEL: options.logLevel,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      API_PORT: String(options.apiPort),
      API_HOST: '127.0.0.1',
    };
    const apiUrl = `http://127.0.0.1:${options.apiPort}`;
    const replicas = Math.max(1, options.replicas ?? 1);
    const apiPorts = [options.apiPort];
    while (apiPorts.length < replicas) apiPorts.push(await freePort());
    const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);

    const output = options.output;
    // The IPC channel is how an app knows that whoever started it is gone (it then stops: see the apps'
    // main.ts), so that a killed launcher leaves no app behind on its port.
    const stdio: StdioOptions =
      output === 'inherit' ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'];
    const spawnApp = async (
      name: AppName,
      readyPath: string,
      moreEnv: Record<string, string> = {},
    ): Promise<Part> => {
      const port = Number(moreEnv.API_PORT ?? options.apiPort);
      const child = spawn(process.execPath, ['--enable-source-maps', appEntry(name)], {
        env: { ...env, ...moreEnv },
        stdio,
        detached: ownProcessGroup,
      });
      if (output !== 'inherit' && child.stdout && child.stderr) {
        if ('pipe' in output) output.pipe(name, child.stdout, child.stderr);
        else {
          const log = createWriteStream(logFile(name) ?? '/dev/null', { flags: 'a' });
          child.stdout.pipe(log);
          child.stderr.pipe(log);
        }
      }
      const app = manage(name, child, { stopSignal: 'SIGTERM', stopGraceMs: STOP_GRACE_MS.app });
      const part: Part = { ...app, name, stop: () => app.stop('SIGTERM', STOP_GRACE_MS.app) };
      if (name === 'api') {
        try {
          await waitFor(`http://127.0.0.1:${port}${readyPath}`, 60_000, app.exited);
        } catch (error) {
          await part.stop();
          throw error;
        }
      }
      return part;
    };
    // Every app process started (by the stack or by a test through startApp), for a bounded stop.
    const appParts = new Map<ChildProcess, Part>();
    const startPart = async (name: AppName, readyPath: string, moreEnv?: Record<string, string>) => {
      const part = await spawnApp(name, readyPath, moreEnv);
      appParts.set(part.child, part);
      void part.exited.then(() => appParts.delete(part.child));
      return part;
    };
    const asApp = (name: AppName, part: Part): AppProcess => ({
      name,
      child: part.child,
      exited: part.exited.then((e) => e.code),
    });
    // At start the API must be ready (PostgreSQL and Temporal reachable); a restarted one must listen.
    const startApp = async (name: AppName, moreEnv?: Record<string, string>) =>
      asApp(name, await startPart(name, '/health/ready', moreEnv));
    const stopApps = () => Promise.all([...appParts.values()].map((part) => part.stop()));
    cleanups.push(stopApps);

    const workerSlots: Supervised<Part>[] = [];
    const apiSlots: Supervised<Part>[] = [];
    for (let i = 0; i < replicas; i++) {
      const label = replicas > 1 ? `worker ${i + 1}` : 'worker';
      workerSlots.push(
        run(label, await startPart('worker', '/health/ready'), () => startPart('worker', '/health/live')),
      );
    }
    for (const [i, port] of apiPorts.entries()) {
      const label = replicas > 1 ? `API ${i + 1}` : 'API';
      const portEnv = { API_PORT: String(port) };
      apiSlots.push(
        run(label, await startPart('api', '/health/ready', portEnv), () =>
          startPart('api', '/health/live', portEnv),
        ),
      );
    }
    const [worker, api] = [workerSlots[0], apiSlots[0]];

    // The app a test set (stack.worker = await stack.startApp(…)) stays the stack's until its supervisor
    // restarts the part: then the restarted process is.
    const follow = (slot: Supervised<Part>, name: AppName) => {
      let app = asApp(name, slot.current());
      let seen = slot.current().child;
      return {
        get: () => {
          if (slot.current().child !== seen) {
            seen = slot.current().child;
            app = asApp(name, slot.current());
          }
          return app;
        },
        set: (next: AppProcess) => {
          app = next;
          seen = slot.current().child;
        },
      };
    };
    const workerApp = follow(worker, 'worker');
    const apiApp = follow(api, 'api');
    let stopping: Promise<void> | undefined;
    const stack: RunningStack = {
      apiUrl,
      apiUrls,
      databaseUrl,
      temporalAddress,
      temporalUiUrl: temporalUi ? `http://127.0.0.1:${options.temporalUiPort}` : undefined,
      mailDir: mailSink?.dir,
      get worker() {
        return workerApp.get();
      },
      set worker(app: AppProcess) {
        workerApp.set(app);
      },
      get api() {
        return apiApp.get();
      },
      set api(app: AppProcess) {
        apiApp.set(app);
      },
      replicas: (name) =>
        (name === 'api' ? apiSlots : workerSlots).map((slot) => asApp(name, slot.current())),
      temporalServices: () =>
        [...serviceSlots.entries()]
          .filter(([, slot]) => !slot.current().hasExited())
          .map(([service, slot]) => ({ service, pid: slot.current().pid })),
      ...(temporalCluster ? { temporalCluster } : {}),
      startApp,
      stopApp: async (app, signal = 'SIGTERM') => {
        if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill(signal);
        await app.exited;
      },
      pids: () =>
        [...slots.map((slot) => slot.current()), ...appParts.values()]
          .filter((part, i, all) => !part.hasExited() && all.indexOf(part) === i)
          .map((part) => ({ name: part.name, pid: part.pid })),
      stop: () => {
        // No part is restarted from here on (one that ends now is stopping, not crashing); the apps
        // first (each within its bound, in parallel), then the servers.
        for (const slot of slots) slot.retire();
        stopping ??= Promise.all([...workerSlots, ...apiSlots].map((slot) => slot.stop()))
          .then(stopApps)
          .then(cleanup);
        return stopping;
      },
    };
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
