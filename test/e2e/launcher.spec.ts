import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { type ChildKind, demoToken, kindOf, type LauncherRun, startLauncher } from '../support/launcher.js';
import { isAlive, portIsFree, processes, until } from '../support/processes.js';

/*
 * `npm start` (apps/launcher) as a user and a service manager meet it: the launcher is a process of its
 * own, killed, interrupted and started again from outside, and judged by what /proc, the ports and
 * the API say.
 */
const SUITE = 'launcher';
/** The launcher's documented bound from a stop signal to "Stoppet." (README, "npm start"). */
const STOP_BOUND_MS = 30_000;

const newDataDir = () => mkdtempSync(join(tmpdir(), 'omsorg-launcher-'));
/** Each test starts the whole system once or more (about 10 s each on two cores). */
const TEST_TIMEOUT_MS = 300_000;

/**
 * Whatever a run started, including processes it left behind when a test killed it on purpose, is
 * stopped after the file (a failed assertion must not leave a system running).
 */
const started = new Map<number, ChildKind | 'launcher'>();
const remember = (run: LauncherRun) => {
  started.set(run.pid, 'launcher');
  for (const [kind, pid] of run.children()) started.set(pid, kind);
};
const launch = async (options: Parameters<typeof startLauncher>[0]) => {
  const run = await startLauncher(options);
  remember(run);
  return run;
};
afterAll(() => {
  for (const p of processes()) {
    const kind = started.get(p.pid);
    const same =
      kind === 'launcher' ? p.argv.some((a) => a.endsWith('apps/launcher/main.js')) : kind === kindOf(p);
    if (kind && same) process.kill(p.pid, 'SIGKILL'); // still the process we started (pids are reused)
  }
});

/** One placement registered through the API and one self-test (API → Temporal → worker → PostgreSQL). */
async function commandsWork(apiUrl: string, timeoutMs = 120_000): Promise<void> {
  const key = randomUUID();
  const body = JSON.stringify(placementRequestBody(addDays(osloDateOf(Date.now()), -3)));
  await until(
    'a registration to be accepted',
    async () => {
      const token = await demoToken(apiUrl, 'demo-kontaktperson').catch(() => undefined);
      if (!token) return undefined;
      const res = await fetch(`${apiUrl}/api/placements`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
      }).catch(() => undefined);
      return res?.status === 201 ? true : undefined;
    },
    timeoutMs,
    500,
  );
  await until(
    'a self-test to pass',
    async () => {
      const token = await demoToken(apiUrl, 'demo-admin').catch(() => undefined);
      if (!token) return undefined;
      const res = await fetch(`${apiUrl}/api/system/probes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
      return res?.status === 201 ? true : undefined;
    },
    timeoutMs,
    500,
  );
}

/**
 * Stops a run with a signal to the launcher, or with Ctrl-C on its terminal (SIGINT to the terminal's
 * whole foreground process group), and checks the outcome: "Stoppet.", exit 0 within the bound, no part
 * taken for crashed and restarted on the way, nothing left running, every port free.
 */
async function stopAndCheck(run: LauncherRun, how: NodeJS.Signals | 'Ctrl-C'): Promise<number> {
  remember(run);
  const tree = run.tree();
  const printed = run.output().length;
  const signalled = Date.now();
  if (how === 'Ctrl-C') run.process.stdin?.write('\x03');
  else process.kill(run.pid, how);
  const timeout = new AbortController();
  const exit = await Promise.race([
    run.exited,
    sleep(STOP_BOUND_MS + 5_000, 'timeout' as const, { signal: timeout.signal }).catch(() => 'aborted'),
  ]);
  timeout.abort();
  const took = Date.now() - signalled;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(took).toBeLessThan(STOP_BOUND_MS);
  const said = run.output().slice(printed);
  expect(said).toMatch(/^Stoppet\.\r?$/m);
  expect(said).not.toMatch(/stoppet uventet/);
  // Everything it started is gone, and every port is free, by the time it says so.
  expect(tree.filter(isAlive)).toEqual([]);
  for (const port of Object.values<number>(run.ports)) expect(await portIsFree(port)).toBe(true);
  return took;
}

describe('npm start supervises its children', () => {
  it(
    'brings back the worker, the API, the Temporal dev server and PostgreSQL after kill -9, and commands work again',
    async () => {
      const run = await launch({ suite: SUITE, dataDir: newDataDir() });
      await commandsWork(run.apiUrl);
      for (const kind of ['worker', 'api', 'temporal', 'postgres'] as ChildKind[]) {
        const before = run.children().get(kind);
        expect(before).toBeDefined();
        process.kill(before!, 'SIGKILL');
        const after = await until(
          `a new ${kind}`,
          () => {
            const pid = run.children().get(kind);
            return pid !== undefined && pid !== before ? pid : undefined;
          },
          90_000,
        );
        expect(isAlive(before!)).toBe(false);
        expect(isAlive(after)).toBe(true);
        await commandsWork(run.apiUrl);
        // Still the same launcher, and all four parts run.
        expect(isAlive(run.pid)).toBe(true);
        expect([...run.children().keys()].sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
      }
      await stopAndCheck(run, 'SIGTERM');
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm start stops', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s within its bound while keep-alive clients keep the API busy: every child and port gone, "Stoppet." printed',
    async (signal) => {
      const run = await launch({ suite: SUITE, dataDir: newDataDir(), env: { API_RATE_LIMIT: '1000000' } });
      expect([...run.children().keys()].sort()).toEqual(['api', 'postgres', 'temporal', 'worker']);
      const token = await demoToken(run.apiUrl, 'demo-leder');
      // Three clients that never let their kept-alive connections rest.
      const agent = new Agent({ keepAlive: true, maxSockets: 3 });
      let load = true;
      const get = () =>
        new Promise<void>((resolve) => {
          const req = request(
            `${run.apiUrl}/api/tasks`,
            { agent, headers: { authorization: `Bearer ${token}` } },
            (res) => {
              statuses.push(res.statusCode ?? 0);
              res.resume();
              res.on('end', resolve);
            },
          );
          req.on('error', () => setTimeout(resolve, 50)); // closed or refused: it is stopping
          req.end();
        });
      const statuses: number[] = [];
      const clients = Array.from({ length: 3 }, async () => {
        while (load) await get();
      });
      await new Promise((r) => setTimeout(r, 1_000));
      try {
        await stopAndCheck(run, signal);
      } finally {
        load = false;
        await Promise.all(clients);
        agent.destroy();
      }
      // Every request was answered properly until the API was gone: none met a half-stopped system (500).
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      // Not on a terminal: the apps' log lines stay JSON, one object a line (for files and collectors).
      expect(run.output()).toMatch(/^\{"level":30,.*"msg":"Nest application successfully started"\}$/m);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm start after a crash', () => {
  it(
    'starts again on the same data directory after the launcher was killed with SIGKILL, and after everything was (stale postmaster.pid naming a live process)',
    async () => {
      const dataDir = newDataDir();
      const first = await launch({ suite: SUITE, dataDir });
      await commandsWork(first.apiUrl);
      const orphans = first.tree().filter((pid) => pid !== first.pid);
      process.kill(first.pid, 'SIGKILL');
      await first.exited;

      // Same data directory, same ports: what the first one left behind must not stand in the way.
      const second = await launch({ suite: SUITE, dataDir, ports: first.ports });
      expect(orphans.filter(isAlive)).toEqual([]);
      await commandsWork(second.apiUrl);

      // Now as if the machine lost power: every process gone at once, PostgreSQL's lock file left behind.
      // After a reboot its pid may belong to another process; here one of the postgres user's own.
      const everything = second.tree();
      for (const pid of everything) process.kill(pid, 'SIGKILL');
      await second.exited;
      // Gone for good, not even left to be reaped: PostgreSQL takes any pid it can signal for alive.
      await until('every process of the second run to be gone', () =>
        everything.some((pid) => existsSync(`/proc/${pid}`)) ? undefined : true,
      );
      const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
      const owner = statSync(join(dataDir, 'postgres'));
      const stranger = spawn('sleep', ['600'], { uid: owner.uid, gid: owner.gid, stdio: 'ignore' });
      try {
        const lines = readFileSync(pidFile, 'utf8').split('\n');
        lines[0] = String(stranger.pid);
        writeFileSync(pidFile, lines.join('\n'));

        const third = await launch({ suite: SUITE, dataDir, ports: first.ports });
        await commandsWork(third.apiUrl);
        expect(isAlive(stranger.pid ?? 0)).toBe(true); // not ours: left alone
        await stopAndCheck(third, 'SIGTERM');
      } finally {
        stranger.kill('SIGKILL');
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('npm start in development', () => {
  it(
    "keeps the local issuer's key in the data directory: a token from before a restart is still accepted",
    async () => {
      const dataDir = newDataDir();
      const first = await launch({ suite: SUITE, dataDir });
      const token = await demoToken(first.apiUrl, 'demo-kontaktperson');
      const me = (apiUrl: string) =>
        fetch(`${apiUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await me(first.apiUrl)).toBe(200);
      const keyFile = join(dataDir, 'local-issuer-key.json');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      await stopAndCheck(first, 'SIGTERM');

      const second = await launch({ suite: SUITE, dataDir, ports: first.ports });
      expect(await me(second.apiUrl)).toBe(200);
      // And across a restart by the launcher itself.
      const api = second.children().get('api');
      process.kill(api!, 'SIGKILL');
      await until('the API back', async () => {
        const pid = second.children().get('api');
        return pid !== undefined && pid !== api && (await me(second.apiUrl).catch(() => 0)) === 200
          ? true
          : undefined;
      });
      await stopAndCheck(second, 'SIGTERM');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows the apps' log lines readably on a terminal, and stops in order on Ctrl-C there",
    async () => {
      const run = await launch({ suite: SUITE, dataDir: newDataDir(), terminal: true });
      // eslint-disable-next-line no-control-regex
      const plain = () => run.output().replace(/\u001b\[[0-9;]*m/g, '');
      expect(plain()).toMatch(/^\[[\d:.]+\] INFO: api .*Nest application successfully started\r?$/m);
      expect(plain()).not.toMatch(/^\{"level"/m);
      await stopAndCheck(run, 'Ctrl-C');
    },
    TEST_TIMEOUT_MS,
  );
});
