import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../libs/dev-servers/index.js';
import { descendants, type ProcessInfo, until } from './processes.js';

/*
 * `npm start` as a user runs it: the compiled launcher (dist/apps/launcher/main.js) as a process of its
 * own, with its own data directory and ports, driven only from outside (signals, HTTP, /proc). Its
 * output is kept for assertions and written to test-results/logs/<suite>/launcher-<n>.log.
 */

export type LauncherPorts = {
  readonly api: number;
  readonly postgres: number;
  readonly temporal: number;
  readonly temporalUi: number;
  readonly mail: number;
};

export const allocatePorts = async (): Promise<LauncherPorts> => ({
  api: await freePort(),
  postgres: await freePort(),
  temporal: await freePort(),
  temporalUi: await freePort(),
  mail: await freePort(),
});

export type ChildKind = 'postgres' | 'temporal' | 'worker' | 'api';

/** Which of the launcher's children a process is, by its command line. */
export function kindOf(p: ProcessInfo): ChildKind | undefined {
  const args = p.argv.join(' ');
  if (/\/postgres$/.test(p.argv[0] ?? '') && p.argv.includes('-D')) return 'postgres';
  if (/\bserver start-dev\b/.test(args)) return 'temporal';
  if (args.includes('apps/worker/main.js')) return 'worker';
  if (args.includes('apps/api/main.js')) return 'api';
  return undefined;
}

export interface LauncherRun {
  readonly process: ChildProcess;
  /** The launcher's own pid (under a terminal: not the pid of `script`, which holds the terminal). */
  readonly pid: number;
  readonly dataDir: string;
  readonly ports: LauncherPorts;
  readonly apiUrl: string;
  /** Everything the launcher printed so far (stdout and stderr). */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The launcher's direct children by kind (the ones it supervises). */
  children(): Map<ChildKind, number>;
  /** The launcher and everything below it. */
  tree(): number[];
}

let runs = 0;

export async function startLauncher(options: {
  readonly suite: string;
  readonly dataDir: string;
  readonly ports?: LauncherPorts;
  readonly env?: Record<string, string>;
  /** Run it on a terminal (a pseudo-terminal made by util-linux `script`), as a person at a shell would. */
  readonly terminal?: boolean;
  readonly readyTimeoutMs?: number;
}): Promise<LauncherRun> {
  const ports = options.ports ?? (await allocatePorts());
  const entry = fileURLToPath(new URL('../../dist/apps/launcher/main.js', import.meta.url));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir,
    API_PORT: String(ports.api),
    EMBEDDED_PG_PORT: String(ports.postgres),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    MAIL_SINK_PORT: String(ports.mail),
    ...options.env,
  };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'LOG_FORMAT'] as const) {
    if (!options.env?.[name]) delete env[name];
  }
  const child = options.terminal
    ? spawn('script', ['-qfec', `exec '${process.execPath}' '${entry}'`, '/dev/null'], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  const logDir = fileURLToPath(new URL(`../../test-results/logs/${options.suite}/`, import.meta.url));
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(`${logDir}launcher-${++runs}.log`);
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    log.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // The output ends when every process holding the launcher's stdout has closed it (a killed
  // launcher's children may write after it is gone), which can be after the launcher's exit.
  child.once('close', () => log.end());
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const pid = options.terminal
    ? await until(
        'the launcher under the terminal',
        () =>
          descendants(child.pid ?? 0).find((p) => p.argv.some((a) => a.endsWith('apps/launcher/main.js')))
            ?.pid,
      )
    : (child.pid ?? 0);

  const run: LauncherRun = {
    process: child,
    pid,
    dataDir: options.dataDir,
    ports,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    output: () => text,
    exited,
    children: () => {
      const found = new Map<ChildKind, number>();
      for (const p of descendants(pid).filter((q) => q.ppid === pid)) {
        const kind = kindOf(p);
        if (kind) found.set(kind, p.pid);
      }
      return found;
    },
    tree: () => [pid, ...descendants(pid).map((p) => p.pid)],
  };
  try {
    await until(
      'the launcher to say it runs',
      () => {
        if (gone) throw new Error(`the launcher exited before it was ready:\n${text}`);
        return text.includes('Trykk Ctrl-C for å stoppe.') ? true : undefined;
      },
      options.readyTimeoutMs ?? 120_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return run;
}

/** A real signed token of a demo user from the local issuer. */
export async function demoToken(apiUrl: string, userId: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!res.ok) throw new Error(`token for ${userId}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
