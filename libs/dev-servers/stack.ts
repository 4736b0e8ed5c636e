import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase } from '../database/data-source.js';
import { startMailSink, type RunningMailSink } from './mail-sink.js';
import { startEmbeddedPostgres, type RunningPostgres } from './postgres.js';
import { startDevServer } from './temporal.js';

/**
 * The whole system on one machine: PostgreSQL, the Temporal dev server, the worker and the API, the
 * last two as separate Node processes running the compiled apps in dist/ (exactly what production runs).
 * Used by `npm start` (apps/launcher) and by the end-to-end tests.
 */
export interface StackOptions {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly pgPort: number;
  readonly temporalPort: number;
  readonly temporalUiPort?: number;
  /** Keep PostgreSQL and Temporal data across restarts. */
  readonly persistent: boolean;
  readonly databaseUrl?: string;
  readonly temporalAddress?: string;
  readonly logLevel: string;
  /** Where the apps' output goes: inherit the terminal, or a log file per app. */
  readonly output: 'inherit' | { readonly logDir: string };
  readonly extraEnv?: Record<string, string>;
  /**
   * Start the development mail sink on this port (mails to `<dataDir>/mail/*.eml`) and point the apps'
   * SMTP_URL at it. Unset: the apps get SMTP_URL from the environment, if any.
   */
  readonly mailSinkPort?: number;
}

export interface AppProcess {
  readonly name: 'api' | 'worker';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export interface RunningStack {
  readonly apiUrl: string;
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl?: string;
  /** The development mail sink's folder, when one was started. */
  readonly mailDir?: string;
  worker: AppProcess;
  api: AppProcess;
  startApp(name: 'api' | 'worker'): Promise<AppProcess>;
  stopApp(app: AppProcess, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

const distRoot = () => resolve(fileURLToPath(new URL('.', import.meta.url)), '../../').replace(/\/?$/, '/');

/** dist/ holds the compiled apps whether this file runs from dist/ or from source (tests). */
function appEntry(name: 'api' | 'worker'): string {
  const root = distRoot();
  const base = root.includes('/dist/') ? root : join(root, 'dist/');
  return join(base, 'apps', name, 'main.js');
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
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    let databaseUrl = options.databaseUrl;
    let postgres: RunningPostgres | undefined;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({
        dataDir: join(options.dataDir, 'postgres'),
        port: options.pgPort,
        persistent: options.persistent,
        unsafeFast: !options.persistent,
      });
      cleanups.push(() => postgres!.stop());
      await postgres.ensureDatabase('omsorgspakken');
      databaseUrl = postgres.url('omsorgspakken');
    }
    // Apply migrations once here, so the apps start against an up-to-date schema.
    await (await openDatabase(databaseUrl, 2)).destroy();

    let temporalAddress = options.temporalAddress;
    let temporal: TestWorkflowEnvironment | undefined;
    if (!temporalAddress) {
      mkdirSync(options.dataDir, { recursive: true });
      temporal = await startDevServer({
        port: options.temporalPort,
        ui: options.temporalUiPort !== undefined,
        uiPort: options.temporalUiPort,
        dbFilename: options.persistent ? resolve(options.dataDir, 'temporal.db') : undefined,
      });
      cleanups.push(() => temporal!.teardown());
      temporalAddress = `127.0.0.1:${options.temporalPort}`;
    }

    let mailSink: RunningMailSink | undefined;
    if (options.mailSinkPort !== undefined) {
      const sink = await startMailSink({ port: options.mailSinkPort, dir: resolve(options.dataDir, 'mail') });
      cleanups.push(() => sink.stop());
      mailSink = sink;
    }

    const env = {
      ...process.env,
      // Links in mails and the calendar feed point at this API unless PUBLIC_BASE_URL says otherwise.
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${options.apiPort}`,
      ...(mailSink ? { SMTP_URL: mailSink.url } : {}),
      ...options.extraEnv,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      LOG_LEVEL: options.logLevel,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      API_PORT: String(options.apiPort),
      API_HOST: '127.0.0.1',
    };
    const apiUrl = `http://127.0.0.1:${options.apiPort}`;

    const startApp = async (name: 'api' | 'worker'): Promise<AppProcess> => {
      const child = spawn(process.execPath, ['--enable-source-maps', appEntry(name)], {
        env,
        stdio: options.output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      });
      if (options.output !== 'inherit') {
        mkdirSync(options.output.logDir, { recursive: true });
        const log = createWriteStream(join(options.output.logDir, `${name}.log`), { flags: 'a' });
        child.stdout?.pipe(log);
        child.stderr?.pipe(log);
      }
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const app = { name, child, exited };
      if (name === 'api') await waitFor(`${apiUrl}/health/ready`, 60_000, exited);
      return app;
    };
    const stopApp = async (app: AppProcess, signal: NodeJS.Signals = 'SIGTERM') => {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill(signal);
      await app.exited;
    };

    const stack: RunningStack = {
      apiUrl,
      databaseUrl,
      temporalAddress,
      temporalUiUrl:
        temporal && options.temporalUiPort ? `http://127.0.0.1:${options.temporalUiPort}` : undefined,
      mailDir: mailSink?.dir,
      worker: await startApp('worker'),
      api: undefined as unknown as AppProcess,
      startApp,
      stopApp,
      stop: async () => {
        await Promise.all([stopApp(stack.api), stopApp(stack.worker)]);
        await cleanup();
      },
    };
    cleanups.push(() => stopApp(stack.worker));
    stack.api = await startApp('api');
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
