import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatMs, sleep } from './stats.mjs';

/**
 * The shared tail of every benchmark: runs `run` under a watchdog (`timeoutMin`) and SIGINT/SIGTERM,
 * records an error in `result.errors`, cleans up (at most 60 s, then kills the worker and API of
 * `stack()`), writes `result` to `resultPath`, prints `report()` and exits: 0 when the run completed
 * (figures that miss their targets included), 1 on an error.
 */
export async function runBenchmark({
  run,
  cleanup,
  stack,
  result,
  resultPath,
  report,
  timeoutMin,
  benchStart,
  log,
}) {
  let interrupt;
  const interrupted = new Promise((_, reject) => (interrupt = reject));
  const watchdog = setTimeout(
    () => interrupt(new Error(`gave up after --timeout-min ${timeoutMin}`)),
    timeoutMin * 60_000,
  );
  // Every signal is handled, not only the first: Ctrl-C reaches this process twice (from the terminal, and
  // forwarded by the parent of lib/temporal-output.mjs), and a second SIGINT left to its default would end
  // the process in the middle of its clean-up, leaving the servers it started running.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      if (stopping) return log(`${signal} received again: still cleaning up`);
      stopping = true;
      interrupt(new Error(`${signal} received`));
    });

  let exitCode = 0;
  try {
    await Promise.race([run(), interrupted]);
  } catch (error) {
    exitCode = 1;
    result.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(`error: ${String(error)}`);
  } finally {
    clearTimeout(watchdog);
  }
  log('cleaning up');
  const cleaned = await Promise.race([cleanup().then(() => true), sleep(60_000).then(() => false)]);
  if (!cleaned) {
    log('clean-up took over 60 s: killing the worker and API processes');
    for (const app of [stack()?.worker, stack()?.api]) app?.child.kill('SIGKILL');
  }
  result.wallMs = performance.now() - benchStart;
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');
  report();
  process.exit(exitCode);
}

/** One clean-up step: a failure is logged and the next step still runs. */
export const cleanupStep = (log) => async (what, fn) => {
  try {
    await fn();
  } catch (error) {
    log(`clean-up: ${what}: ${String(error)}`);
  }
};

/**
 * Stops what a benchmark started, each step even if one before it failed: its pg data source, the stack,
 * PostgreSQL, and the data directory unless the user asked to keep it.
 */
export async function cleanupResources(resources, log) {
  const step = cleanupStep(log);
  await step('data source', () => resources.dataSource?.destroy());
  await step('stack', () => resources.stack?.stop());
  await step('postgres', () => resources.postgres?.stop());
  if (resources.removeDataDir && resources.dataDir)
    rmSync(resources.dataDir, { recursive: true, force: true });
}

/**
 * The whole stack (Temporal dev server, the compiled worker, idle, and the API) on a benchmark's own
 * PostgreSQL database, the API's rate limit raised to `rateLimit` a minute, `appNodeOptions` and `env`
 * for the apps. Returns the stack, how long it took to start, and the CPU labels of its processes for
 * `cpuSnapshot`.
 */
export async function startBenchStack({
  databaseUrl,
  dataDir,
  logDir,
  logLevel,
  rateLimit,
  appNodeOptions,
  env = {},
  log,
}) {
  const { freePort, startStack } = await import(
    new URL('../../dist/libs/dev-servers/index.js', import.meta.url).href
  );
  const t = performance.now();
  const stack = await startStack({
    databaseUrl,
    extraEnv: {
      API_RATE_LIMIT: String(rateLimit),
      ...env,
      ...(appNodeOptions ? { NODE_OPTIONS: appNodeOptions } : {}),
    },
    dataDir,
    apiPort: await freePort(),
    pgPort: 0, // unused: the database is the one given
    temporalPort: await freePort(),
    persistent: false,
    logLevel,
    output: { logDir },
  });
  const ms = performance.now() - t;
  log(`stack ready in ${formatMs(ms)} (API ${stack.apiUrl}, rate limit ${rateLimit}/min)`);
  const labels = {
    [stack.api.child.pid]: 'api',
    [stack.worker.child.pid]: 'worker (idle)',
    [process.pid]: 'bench (autocannon, pg client)',
  };
  return { stack, ms, labels };
}

/**
 * Each of `users` (demo user ids) as the API sees them: a bearer token from the local issuer of the API
 * at `apiUrl`, the demo user, and the services of its learning network (none without one).
 */
export async function demoSessions(apiUrl, ds, users) {
  const { DEMO_USERS } = await import(new URL('../../dist/libs/security/index.js', import.meta.url).href);
  const networks = await ds.query(`SELECT network_id::text, service_id::text FROM learning_network_services`);
  const sessions = {};
  for (const user of new Set(users)) {
    const demo = DEMO_USERS.find((u) => u.userId === user);
    if (!demo) throw new Error(`unknown demo user ${user}`);
    const response = await fetch(`${apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user }),
    });
    if (!response.ok) throw new Error(`POST /api/dev/tokens ${user}: ${response.status}`);
    sessions[user] = {
      token: (await response.json()).accessToken,
      demo,
      networkServices: demo.network
        ? networks.filter((n) => n.network_id === demo.network).map((n) => n.service_id)
        : [],
    };
  }
  return sessions;
}
