// The engine benchmark: `npm run bench:engine [-- --placements N --concurrency C]`. See bench/README.md.
//
// Starts the whole system (embedded PostgreSQL, Temporal CLI dev server, the compiled worker and API),
// then measures the start rate of placements against a no-op baseline, the lag of the read models behind
// the events, the worker's memory with every placement open and, on the time-skipping test server, the
// history size of whole 12-month packages. Prints a table with the targets and writes
// bench-results/engine.json. A MISS is a result, not a failure: the exit code is non-zero only on errors.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { ensureBuilt } from '../test/support/build.mjs';
import { measureHistories } from './lib/history.mjs';
import { PLACEMENT_TYPES, registration } from './lib/placements.mjs';
import { cpuSnapshot, cpuDelta, memoryOf } from './lib/procs.mjs';
import { cleanupStep, runBenchmark } from './lib/harness.mjs';
import { formatMs, round, runPool, sleep, summary } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench-results');
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

const TASK_QUEUE = 'omsorgspakken'; // the application worker's queue
const NOOP_TASK_QUEUE = 'bench-noop'; // the benchmark's own worker
/** A fresh placement's registration is one append of PlacementRegistered + TasksPlanned: versions 1–2. */
const REGISTRATION_VERSION = 2;
const CATCH_UP_DEADLINE_MS = 180_000;
const MB = 1e6;

const TARGETS = {
  startRateRatio: 0.5, // placement starts/s ÷ no-op starts/s, at least
  projectionLagP99Ms: 1000, // below
  workerRssMB: 500, // below
  historyEvents: 2000, // below, per 12-month placement
};

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    placements: { type: 'string', default: process.env.BENCH_PLACEMENTS ?? '2000' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '50' },
    warmup: { type: 'string', default: '20' },
    'poll-ms': { type: 'string', default: '25' },
    history: { type: 'string', default: 'all' },
    'log-level': { type: 'string', default: 'info' },
    'timeout-min': { type: 'string', default: '30' },
    bundle: { type: 'string', default: 'prebuilt' },
    rounds: { type: 'string', default: '4' },
    'profile-apps': { type: 'boolean', default: false },
    'app-node-options': { type: 'string', default: '' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(`npm run bench:engine -- [options]
  --placements N      placements (and no-op workflows) to start (default 2000, env BENCH_PLACEMENTS)
  --concurrency C     requests in flight (default 50, env BENCH_CONCURRENCY)
  --warmup W          unmeasured no-op and placement starts first (default 20)
  --rounds R          alternate no-op and placement batches R times (default 4; fewer when a batch
                      would hold under 2 × concurrency)
  --poll-ms MS        read-model polling interval for the projection lag (default 25)
  --history MODE      all: untouched package of every type + one completed on time; one: a single
                      untouched package; none: skip the time-skipping part (default all)
  --log-level LEVEL   LOG_LEVEL of the worker and API (default info)
  --timeout-min M     give up (and clean up) after M minutes (default 30)
  --bundle MODE       prebuilt: the worker loads a workflow bundle built beforehand, as in production
                      (WORKFLOW_BUNDLE_PATH); runtime: it bundles workflows/ with webpack at start, as
                      \`npm start\` does (default prebuilt)
  --profile-apps      V8 CPU profiles of the worker and API (all threads) into bench-results/profiles/,
                      written when they stop; profiling slows them down, so the rates are not comparable
  --app-node-options S  extra NODE_OPTIONS for the worker and API, e.g. --max-old-space-size=1024 (which
                      also lowers the SDK's default workflow cache size)
`);
  process.exit(0);
}
const positiveInt = (name, min = 1) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
};
const config = {
  placements: positiveInt('placements'),
  concurrency: positiveInt('concurrency'),
  warmup: positiveInt('warmup', 0),
  pollMs: positiveInt('poll-ms'),
  rounds: positiveInt('rounds'),
  history: args.history,
  logLevel: args['log-level'],
  timeoutMin: positiveInt('timeout-min'),
  bundle: args.bundle,
  profileApps: args['profile-apps'],
  appNodeOptions: args['app-node-options'],
};
if (!['all', 'one', 'none'].includes(config.history)) throw new Error('--history must be all, one or none');
if (!['prebuilt', 'runtime'].includes(config.bundle)) throw new Error('--bundle must be prebuilt or runtime');

// ---------------------------------------------------------------------------------------------------
// Supervisor: the Temporal servers inherit this process's stderr and warn there (the dev server logs a
// "Slow gRPC call" line for every slow Update, thousands under load). So the benchmark runs itself as a
// child, files the servers' lines under bench-results/logs/temporal-servers.log and counts them.

const LOG_DIR = join(RESULTS_DIR, 'logs');
const SERVER_LINE = /^(time=\S+ level=|SLF4J:)|temporal(io)?_sdk_core/;

if (!process.env.BENCH_ENGINE_CHILD) {
  rmSync(LOG_DIR, { recursive: true, force: true });
  rmSync(join(RESULTS_DIR, 'engine.json'), { force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  const serverLogPath = join(LOG_DIR, 'temporal-servers.log');
  const serverLog = createWriteStream(serverLogPath);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    env: { ...process.env, BENCH_ENGINE_CHILD: '1' },
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  // A terminal's Ctrl-C reaches the child too; a signal sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const warnings = { lines: 0, slowGrpcCalls: 0 };
  const sort = (input, output) =>
    new Promise((resolve) =>
      createInterface({ input })
        .on('line', (line) => {
          if (!SERVER_LINE.test(line)) return void output.write(`${line}\n`);
          serverLog.write(`${line}\n`);
          warnings.lines++;
          if (line.includes('Slow gRPC call')) warnings.slowGrpcCalls++;
        })
        .once('close', resolve),
    );
  const sorted = Promise.all([sort(child.stdout, process.stdout), sort(child.stderr, process.stderr)]);
  const code = await new Promise((resolve) =>
    child.once('close', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
  );
  await sorted;
  await new Promise((resolve) => serverLog.end(resolve));
  const resultPath = join(RESULTS_DIR, 'engine.json');
  if (existsSync(resultPath)) {
    const saved = JSON.parse(readFileSync(resultPath, 'utf8'));
    saved.temporalServerLog = { path: serverLogPath, ...warnings };
    writeFileSync(resultPath, JSON.stringify(saved, null, 2) + '\n');
  }
  process.stdout.write(
    `Temporal server output: ${warnings.lines} lines, ${warnings.slowGrpcCalls} "Slow gRPC call" warnings ` +
      `(${serverLogPath})\n`,
  );
  process.exit(code);
}

const benchStart = performance.now();
const log = (message) =>
  process.stderr.write(`[bench ${((performance.now() - benchStart) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// Samplers

/**
 * Projection lag per placement, in the database's clock: from the recorded_at of its registration
 * events to the first poll that finds the `placements` read model at that version.
 */
function startLagPoller(db, pollMs) {
  const watching = new Set();
  const lags = [];
  let stopped = false;
  let polls = 0;
  let failure;
  const loop = (async () => {
    while (!stopped) {
      if (watching.size > 0) {
        const { rows } = await db.query(
          `SELECT p.placement_id::text AS id,
                  (extract(epoch FROM clock_timestamp() - e.recorded_at) * 1000)::float8 AS lag_ms
             FROM placements p
             JOIN events e ON e.stream_id = p.placement_id AND e.stream_version = $2
            WHERE p.placement_id = ANY($1::uuid[]) AND p.version >= $2`,
          [[...watching], REGISTRATION_VERSION],
        );
        polls++;
        for (const row of rows) {
          lags.push(row.lag_ms);
          watching.delete(row.id);
        }
      }
      await sleep(pollMs);
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    watch: (placementId) => watching.add(placementId),
    lags,
    get polls() {
      return polls;
    },
    get pending() {
      return watching.size;
    },
    /** Resolves once every watched placement was seen, or at the deadline (the rest stay pending). */
    async drain(deadlineMs) {
      const deadline = performance.now() + deadlineMs;
      while (watching.size > 0 && failure === undefined && performance.now() < deadline) await sleep(20);
      if (failure !== undefined) throw failure;
    },
    async stop() {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/** Every `everyMs`: the projector's backlog (projectionLag) and the worker's RSS. */
function startSampler({ dataSource, projectionLag, workerPid, registered, everyMs = 100 }) {
  const samples = [];
  let stopped = false;
  let failure;
  const loop = (async () => {
    while (!stopped) {
      const lag = await projectionLag(dataSource);
      samples.push({
        atMs: performance.now(),
        pendingEvents: lag.pendingEvents,
        oldestPendingAgeMs: lag.oldestPendingAgeMs,
        workerRssBytes: memoryOf(workerPid).rssBytes,
        registered: registered(),
      });
      await sleep(everyMs);
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

async function waitForPollers(client, taskQueue, workerExited, timeoutMs = 120_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (workerExited()) throw new Error('the worker process exited during start-up (see bench-results/logs)');
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if (pollers.length > 0) return;
    if (performance.now() > deadline) throw new Error(`no worker polls ${taskQueue} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** Milliseconds of CPU per started workflow, by role (other users' processes left out). */
function perStart(usage, n) {
  return Object.fromEntries(
    Object.entries(usage)
      .filter(([role]) => !role.startsWith('other'))
      .map(([role, u]) => [role, round((u.cpuSeconds * 1000) / n)]),
  );
}

/**
 * The workflow cache size the SDK picks for the worker when maxCachedWorkflows is not set (as in
 * apps/worker): it follows the V8 heap limit of a Node started with the worker's NODE_OPTIONS.
 */
function sdkDefaultCache() {
  const probe = spawnSync(
    process.execPath,
    ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: [process.env.NODE_OPTIONS, config.appNodeOptions].filter(Boolean).join(' '),
      },
      encoding: 'utf8',
    },
  );
  const heapMiB = Number(probe.stdout) / 2 ** 20;
  if (probe.status !== 0 || !(heapMiB > 0)) return undefined;
  // @temporalio/worker worker-options.js, reuseV8Context (the default)
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? undefined : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

function progress(label, total) {
  let done = 0;
  let last = performance.now();
  return () => {
    done++;
    if (performance.now() - last > 5000 || done === total) {
      last = performance.now();
      log(`${label}: ${done}/${total}`);
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = {
  benchmark: 'engine',
  startedAt: new Date().toISOString(),
  config,
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  commit: spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || null,
  phases: {},
  figures: {},
  errors: [],
};

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { freePort, startStack } = await import(dist('libs/dev-servers/index.js'));
  const { openDatabase } = await import(dist('libs/database/data-source.js'));
  const { projectionLag } = await import(dist('libs/projections/projector.js'));
  const { PlacementCommands } = await import(dist('libs/temporal/placement-commands.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));

  // The SDK's logger says only what matters; our own signal handlers stop the benchmark.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  // 1. The stack.
  let t = performance.now();
  const logDir = LOG_DIR;
  resources.dataDir = mkdtempSync(join(tmpdir(), 'omsorg-bench-'));
  const extraEnv = {};
  if (config.bundle === 'prebuilt') {
    // What the Dockerfile does: the worker then starts without webpack.
    extraEnv.WORKFLOW_BUNDLE_PATH = join(resources.dataDir, 'workflow-bundle.js');
    const built = spawnSync(
      process.execPath,
      [fileURLToPath(dist('apps/worker/bundle.js')), extraEnv.WORKFLOW_BUNDLE_PATH],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (built.status !== 0)
      throw new Error('could not build the workflow bundle (dist/apps/worker/bundle.js)');
  }
  const nodeOptions = [process.env.NODE_OPTIONS, config.appNodeOptions];
  if (config.profileApps) {
    const dir = join(RESULTS_DIR, 'profiles');
    rmSync(dir, { recursive: true, force: true });
    nodeOptions.push(`--cpu-prof --cpu-prof-dir=${dir}`);
  }
  if (config.appNodeOptions || config.profileApps)
    extraEnv.NODE_OPTIONS = nodeOptions.filter(Boolean).join(' ');
  log(`starting the stack (data in ${resources.dataDir}, logs in ${logDir})`);
  const stack = await startStack({
    extraEnv,
    dataDir: resources.dataDir,
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    persistent: false,
    logLevel: config.logLevel,
    output: { logDir },
  });
  resources.stack = stack;
  const workerPid = stack.worker.child.pid;
  const labels = { [workerPid]: 'worker (app)', [stack.api.child.pid]: 'api (app, idle)' };

  resources.connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection: resources.connection });
  const commands = new PlacementCommands(client, TASK_QUEUE);
  resources.nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  resources.noopWorker = await Worker.create({
    connection: resources.nativeConnection,
    taskQueue: NOOP_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./noop.workflow.js', import.meta.url)),
  });
  resources.noopRunning = resources.noopWorker.run();
  const workerExited = () => stack.worker.child.exitCode !== null || stack.worker.child.signalCode !== null;
  await waitForPollers(client, TASK_QUEUE, workerExited);
  await waitForPollers(client, NOOP_TASK_QUEUE, () => false);
  resources.dataSource = await openDatabase(stack.databaseUrl, 4);
  resources.db = new pg.Client({ connectionString: stack.databaseUrl, application_name: 'bench-lag' });
  await resources.db.connect();
  result.phases.setupMs = performance.now() - t;
  const idleMemory = memoryOf(workerPid);
  log(
    `stack ready in ${formatMs(result.phases.setupMs)}; worker pid ${workerPid}, ` +
      `RSS ${round(idleMemory.rssBytes / MB)} MB before any workflow`,
  );

  const placementDate = addDays(osloDateOf(Date.now()), 14);
  const noop = async (reg) => {
    // Exactly what PlacementCommands.register does, on a workflow that does nothing.
    const workflowId = `bench-noop-${reg.placementId}`;
    try {
      await client.workflow.start('noop', {
        workflowId,
        taskQueue: NOOP_TASK_QUEUE,
        args: [{ registration: reg }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    await client.workflow
      .getHandle(workflowId)
      .executeUpdate('ready', { args: [reg], updateId: `ready-${reg.commandId}` });
  };
  const register = async (reg) => {
    const answer = await commands.register(reg);
    if (!answer.applied || answer.version < REGISTRATION_VERSION) {
      throw new Error(`registration of ${reg.placementId} answered ${JSON.stringify(answer)}`);
    }
  };

  // Warm-up: the bundles load, the connections and the caches fill; not measured.
  if (config.warmup > 0) {
    t = performance.now();
    const warm = (offset) =>
      Array.from({ length: config.warmup }, (_, i) => registration(offset + i, placementDate));
    await runPool(warm(0), config.concurrency, noop);
    await runPool(warm(0), config.concurrency, register);
    result.phases.warmupMs = performance.now() - t;
    log(
      `warm-up (${config.warmup} no-op + ${config.warmup} placements) in ${formatMs(result.phases.warmupMs)}`,
    );
  }

  // 2-4. No-op starts (the baseline) and placement registrations, alternating in rounds so that a
  // change in the machine's load between them (other processes) weighs on both alike; the projection
  // lag is sampled throughout.
  const N = config.placements;
  const rounds = Math.max(1, Math.min(config.rounds, Math.floor(N / (2 * config.concurrency))));
  const noopRegs = Array.from({ length: N }, (_, i) => registration(i, placementDate));
  const regs = Array.from({ length: N }, (_, i) => registration(config.warmup + i, placementDate));
  const slice = (items, r) => items.slice(Math.floor((r * N) / rounds), Math.floor(((r + 1) * N) / rounds));
  const poller = startLagPoller(resources.db, config.pollMs);
  let registered = 0;
  const sampler = startSampler({
    dataSource: resources.dataSource,
    projectionLag,
    workerPid,
    registered: () => registered,
  });
  resources.stoppers = [() => poller.stop(), () => sampler.stop()];
  log(
    `${N} no-op starts and ${N} registrations (placement date ${placementDate}) in ${rounds} round(s), ` +
      `${config.concurrency} in flight`,
  );
  const totals = {
    noop: { elapsedMs: 0, latencies: [], cpu: { roles: {}, machine: 0 }, tick: progress('no-op starts', N) },
    placements: {
      elapsedMs: 0,
      latencies: [],
      cpu: { roles: {}, machine: 0 },
      tick: progress('registrations', N),
    },
  };
  const batch = async (kind, items, fn) => {
    const total = totals[kind];
    const before = cpuSnapshot(labels);
    const run = await runPool(items, config.concurrency, async (reg) => {
      await fn(reg);
      total.tick();
    });
    const after = cpuSnapshot(labels);
    total.elapsedMs += run.elapsedMs;
    total.latencies.push(...run.latencies);
    for (const [role, seconds] of Object.entries(after.roles))
      total.cpu.roles[role] = (total.cpu.roles[role] ?? 0) + seconds - (before.roles[role] ?? 0);
    total.cpu.machine += after.machine - before.machine;
  };
  /** Until the projector has caught up with what the last batch appended, and a little longer. */
  const settle = async () => {
    await poller.drain(CATCH_UP_DEADLINE_MS);
    const deadline = performance.now() + CATCH_UP_DEADLINE_MS;
    while ((await projectionLag(resources.dataSource)).pendingEvents > 0 && performance.now() < deadline)
      await sleep(100);
    await sleep(500);
  };
  for (let r = 0; r < rounds; r++) {
    await batch('noop', slice(noopRegs, r), noop);
    await sleep(500);
    await batch('placements', slice(regs, r), async (reg) => {
      poller.watch(reg.placementId);
      await register(reg);
      registered++;
    });
    if (r < rounds - 1) await settle();
  }
  const cpuAfterRegistration = cpuSnapshot(labels);
  result.rounds = rounds;
  result.cpu = {};
  result.cpuMsPerStart = {};
  for (const [kind, total] of Object.entries(totals)) {
    result.phases[`${kind}Ms`] = total.elapsedMs;
    result.cpu[kind] = cpuDelta({ roles: {}, machine: 0 }, total.cpu, total.elapsedMs);
    result.cpuMsPerStart[kind] = perStart(result.cpu[kind], N);
  }
  result.loadAverage = loadavg();
  const rate = (kind) => N / (totals[kind].elapsedMs / 1000);
  result.figures.noopStartRate = {
    perSecond: round(rate('noop')),
    elapsedMs: round(totals.noop.elapsedMs),
    latencyMs: summary(totals.noop.latencies),
  };
  result.figures.placementStartRate = {
    perSecond: round(rate('placements')),
    elapsedMs: round(totals.placements.elapsedMs),
    latencyMs: summary(totals.placements.latencies),
  };
  result.figures.startRateRatio = round(rate('placements') / rate('noop'), 3);
  const cpuTotal = (kind) => Object.values(result.cpuMsPerStart[kind]).reduce((a, b) => a + b, 0);
  // On a machine whose cores are the limit, rates go as the inverse of CPU per start.
  result.figures.cpuPerStartRatio = round(cpuTotal('noop') / cpuTotal('placements'), 3);
  log(
    `no-op ${round(rate('noop'))} starts/s, placements ${round(rate('placements'))} registrations/s ` +
      `(ratio ${result.figures.startRateRatio})`,
  );

  // Catch-up: every placement seen in the read model and nothing left after the checkpoint.
  t = performance.now();
  await poller.drain(CATCH_UP_DEADLINE_MS);
  let backlog = await projectionLag(resources.dataSource);
  while (backlog.pendingEvents > 0 && performance.now() - t < CATCH_UP_DEADLINE_MS) {
    await sleep(100);
    backlog = await projectionLag(resources.dataSource);
  }
  result.phases.catchUpMs = performance.now() - t;
  result.cpu.catchUp = cpuDelta(cpuAfterRegistration, cpuSnapshot(labels), result.phases.catchUpMs);
  resources.stoppers = [];
  await poller.stop();
  await sampler.stop();
  if (poller.pending > 0 || backlog.pendingEvents > 0) {
    throw new Error(
      `the projector did not catch up within ${CATCH_UP_DEADLINE_MS} ms: ${poller.pending} placements ` +
        `not in the read model, ${backlog.pendingEvents} events after the checkpoint`,
    );
  }
  log(`projector caught up ${formatMs(result.phases.catchUpMs)} after the last registration`);
  const during = sampler.samples;
  result.figures.projectionLag = {
    method: `per placement: first poll (every ${config.pollMs} ms) finding placements.version ≥ ${REGISTRATION_VERSION}, minus recorded_at of its event ${REGISTRATION_VERSION}, both in PostgreSQL's clock`,
    samples: poller.lags.length,
    polls: poller.polls,
    ms: summary(poller.lags),
    backlog: {
      method: 'projectionLag() every 100 ms while registering and catching up',
      samples: during.length,
      maxPendingEvents: Math.max(0, ...during.map((s) => s.pendingEvents)),
      oldestPendingAgeMs: summary(during.map((s) => s.oldestPendingAgeMs)),
    },
  };

  // 5. Worker memory with every placement open.
  const { rows: eventTypes } = await resources.db.query(
    `SELECT type, count(*)::int AS n FROM events GROUP BY type ORDER BY n DESC`,
  );
  result.figures.storedEventsByType = Object.fromEntries(eventTypes.map((r) => [r.type, r.n]));
  const { rows: counts } = await resources.db.query(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM placements)::int AS placements`,
  );
  const memory = memoryOf(workerPid);
  result.figures.workerMemory = {
    openPlacements: N + config.warmup,
    idleRssMB: round(idleMemory.rssBytes / MB),
    idlePeakRssMB: round(idleMemory.peakRssBytes / MB),
    rssMB: round(memory.rssBytes / MB),
    perPlacementKB: round((memory.rssBytes - idleMemory.rssBytes) / (N + config.warmup) / 1000),
    // Slope of RSS over registrations done (least squares over the samples): the marginal cost.
    marginalPerPlacementKB: round(slope(during.map((s) => [s.registered, s.workerRssBytes])) / 1000),
    peakRssMB: round(memory.peakRssBytes / MB),
    sampledPeakRssMB: round(Math.max(0, ...during.map((s) => s.workerRssBytes)) / MB),
    storedEvents: counts[0].events,
    readModelPlacements: counts[0].placements,
    // What the SDK caches by default in this Node (all open placements fit if this is ≥ openPlacements).
    sdkDefaultMaxCachedWorkflows: sdkDefaultCache(),
  };
  log(`worker RSS ${result.figures.workerMemory.rssMB} MB with ${N + config.warmup} placements open`);

  // 6. History size on the time-skipping server.
  if (config.history !== 'none') {
    t = performance.now();
    log('history: 12-month packages on the time-skipping test server');
    const untouchedTypes = config.history === 'all' ? PLACEMENT_TYPES : ['omsorgsovertakelse'];
    const completedTypes = config.history === 'all' ? ['omsorgsovertakelse'] : [];
    const histories = await measureHistories({
      dataSource: resources.dataSource,
      untouchedTypes,
      completedTypes,
      log,
    });
    result.phases.historyMs = performance.now() - t;
    const worst = (variant) =>
      histories.filter((h) => h.variant === variant).sort((a, b) => b.historyEvents - a.historyEvents)[0];
    result.figures.history = {
      worstUntouched: worst('untouched')?.historyEvents,
      worstCompleted: worst('completed')?.historyEvents,
      packages: histories,
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function verdict(ok) {
  return ok === undefined ? '' : ok ? 'PASS' : 'MISS';
}

function report() {
  const f = result.figures;
  const rows = [];
  const row = (figure, value, target = '', ok = undefined) => rows.push([figure, value, target, verdict(ok)]);
  if (f.noopStartRate) {
    row(
      'No-op starts/s (start + Update)',
      `${f.noopStartRate.perSecond}/s  (p50 ${formatMs(f.noopStartRate.latencyMs.p50)}, p99 ${formatMs(f.noopStartRate.latencyMs.p99)})`,
    );
  }
  if (f.placementStartRate) {
    row(
      'Placement registrations/s',
      `${f.placementStartRate.perSecond}/s  (p50 ${formatMs(f.placementStartRate.latencyMs.p50)}, p99 ${formatMs(f.placementStartRate.latencyMs.p99)})`,
    );
    row(
      'Placement rate ÷ no-op rate',
      String(f.startRateRatio),
      `≥ ${TARGETS.startRateRatio}`,
      f.startRateRatio >= TARGETS.startRateRatio,
    );
    row('CPU per no-op start ÷ CPU per placement', String(f.cpuPerStartRatio));
  }
  if (f.projectionLag) {
    const lag = f.projectionLag.ms;
    row('Projection lag p50 (event → read model)', formatMs(lag.p50));
    row(
      'Projection lag p99',
      formatMs(lag.p99),
      `< ${TARGETS.projectionLagP99Ms} ms`,
      lag.p99 < TARGETS.projectionLagP99Ms,
    );
    row('Projection lag max', formatMs(lag.max));
    row(
      'Projector backlog (max events / oldest)',
      `${f.projectionLag.backlog.maxPendingEvents} events / ${formatMs(f.projectionLag.backlog.oldestPendingAgeMs.max)}`,
    );
  }
  if (f.workerMemory) {
    const m = f.workerMemory;
    row(
      `Worker RSS, ${m.openPlacements} placements open`,
      `${m.rssMB} MB`,
      `< ${TARGETS.workerRssMB} MB`,
      m.rssMB < TARGETS.workerRssMB,
    );
    row('Worker peak RSS (VmHWM / sampled)', `${m.peakRssMB} MB / ${m.sampledPeakRssMB} MB`);
    row(
      'Worker RSS before any workflow (idle)',
      `${m.idleRssMB} MB  (+${m.perPlacementKB} kB per open placement; slope ${m.marginalPerPlacementKB} kB)`,
    );
  }
  if (f.history) {
    for (const h of f.history.packages) {
      const runs = h.runs.length > 1 ? `, ${h.runs.length} runs` : '';
      row(
        `History events, 12 months, ${h.variant} (${h.placementType})`,
        `${h.historyEvents}  (${h.tasks} tasks, ${h.storedEvents} stored events${runs})`,
        `< ${TARGETS.historyEvents}`,
        h.historyEvents < TARGETS.historyEvents,
      );
    }
  }
  const header = ['Figure', 'Measured', 'Target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    '',
    `Engine benchmark: ${config.placements} placements, concurrency ${config.concurrency}, ` +
      `${result.rounds ?? '?'} round(s), ` +
      `${result.machine.cpus} CPUs, Node ${process.version}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ];
  const phases = Object.entries(result.phases)
    .map(([k, v]) => `${k.replace(/Ms$/, '')} ${formatMs(v)}`)
    .join(', ');
  out.push(`Wall time ${formatMs(result.wallMs)} (${phases})`);
  for (const [phase, usage] of Object.entries(result.cpu ?? {})) {
    if (Object.keys(usage).length === 0) continue;
    const parts = Object.entries(usage)
      .sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds)
      .map(([role, u]) => `${role} ${u.cpuSeconds.toFixed(1)} s (${u.cores.toFixed(2)} cores)`);
    out.push(`CPU during ${phase}: ${parts.join(', ')}`);
  }
  for (const [phase, usage] of Object.entries(result.cpuMsPerStart ?? {})) {
    const parts = Object.entries(usage)
      .sort((a, b) => b[1] - a[1])
      .map(([role, ms]) => `${role} ${ms} ms`);
    const total = Object.values(usage).reduce((a, b) => a + b, 0);
    out.push(`CPU per ${phase} start: ${round(total)} ms = ${parts.join(' + ')}`);
  }
  for (const error of result.errors) out.push(`ERROR: ${error}`);
  out.push(`Results: ${join(RESULTS_DIR, 'engine.json')}`, '');
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------------
// Clean-up and exit

async function cleanup() {
  const step = cleanupStep(log);
  for (const stop of resources.stoppers ?? []) await step('samplers', stop);
  await step('database client', () => resources.db?.end());
  await step('data source', () => resources.dataSource?.destroy());
  if (resources.noopWorker) {
    await step('no-op worker', async () => {
      if (resources.noopWorker.getState() === 'RUNNING') resources.noopWorker.shutdown();
      await resources.noopRunning;
    });
  }
  await step('worker connection', () => resources.nativeConnection?.close());
  await step('client connection', () => resources.connection?.close());
  await step('stack', () => resources.stack?.stop());
  if (resources.dataDir) rmSync(resources.dataDir, { recursive: true, force: true });
}

await runBenchmark({
  run,
  cleanup,
  stack: () => resources.stack,
  result,
  resultPath: join(RESULTS_DIR, 'engine.json'),
  report,
  timeoutMin: config.timeoutMin,
  benchStart,
  log,
});
