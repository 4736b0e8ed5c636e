// The engine benchmark: `npm run bench:engine [-- --placements N --concurrency C --engine dev|cluster|both]`.
// See bench/README.md.
//
// Starts the whole system (embedded PostgreSQL, Temporal CLI dev server or, with `--engine cluster`, the
// Temporal server's four services on PostgreSQL, the compiled worker and API),
// then measures the start rate of placements against a no-op baseline, the lag of the read models behind
// the events, the worker's memory with every placement open and, on the time-skipping test server, the
// history size of whole 12-month packages. Prints a table with the targets and writes
// bench-results/engine.json. A MISS is a result, not a failure: the exit code is non-zero only on errors.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ensureBuilt } from '../test/support/build.mjs';
import { benchLog, parseOptions, resultPaths, runRecord } from './lib/cli.mjs';
import { engineReport, enginesSideBySide } from './lib/engine-report.mjs';
import {
  perStart,
  progress,
  sdkDefaultCache,
  slope,
  startLagPoller,
  startSampler,
} from './lib/engine-samplers.mjs';
import { readWorkerMemory, startEngineStack, WORKER_MEMORY_LOG_MS } from './lib/engine-stack.mjs';
import { cleanupStep, runBenchmark } from './lib/harness.mjs';
import { measureBacklogs } from './lib/busiest-morning.mjs';
import { workerHeapSnapshots } from './lib/heap-snapshot.mjs';
import { measureHistories } from './lib/history.mjs';
import { benchRegistrations } from './lib/placements.mjs';
import { cpuDelta, cpuSnapshot, memoryOf } from './lib/procs.mjs';
import { formatMs, round, runPool, sleep, summary } from './lib/stats.mjs';
import { fileTemporalOutput } from './lib/temporal-output.mjs';

const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

/** A fresh placement's registration is one append of PlacementRegistered + TasksPlanned: versions 1–2. */
const REGISTRATION_VERSION = 2;
const CATCH_UP_DEADLINE_MS = 180_000;
const MB = 1e6;

// Issue 16 ("Scale"): the targets at national scale (11,000 children in foster homes).
const TARGETS = {
  startRateRatio: 0.7, // placement starts/s ÷ no-op starts/s, at least
  projectionLagP99Ms: 250, // below
  workerRssMB: 1000, // below, with every placement open (11,000 at national scale)
  nationalPlacements: 11_000, // the open placements the worker's RSS is projected to from its slope
  historyEvents: 2000, // below, per 12-month placement
  busiestMorningMs: 10 * 60_000, // below: three days of timers worked off (for 11,000 placements)
};

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args, int } = parseOptions('bench:engine', {
  placements: {
    type: 'string',
    default: process.env.BENCH_PLACEMENTS ?? '2000',
    arg: 'N',
    help: 'placements (and no-op workflows) to start (default 2000, env BENCH_PLACEMENTS)',
  },
  'ordinary-share': {
    type: 'string',
    default: '0',
    arg: 'F',
    help: "share of the registrations (0–1) that ask for ordinary follow-up (followUp: 'ordinary', issue 16) instead of a package; the table says how many PlacementRegistered events recorded it: a build without ordinary follow-up runs them as packages (default 0)",
  },
  concurrency: {
    type: 'string',
    default: process.env.BENCH_CONCURRENCY ?? '50',
    arg: 'C',
    help: 'requests in flight (default 50, env BENCH_CONCURRENCY)',
  },
  warmup: {
    type: 'string',
    default: '20',
    arg: 'W',
    help: 'unmeasured no-op and placement starts first (default 20)',
  },
  rounds: {
    type: 'string',
    default: '4',
    arg: 'R',
    help: 'alternate no-op and placement batches R times (default 4; fewer when a batch would hold under 2 × concurrency)',
  },
  'poll-ms': {
    type: 'string',
    default: '25',
    arg: 'MS',
    help: 'read-model polling interval for the projection lag (default 25)',
  },
  backlog: {
    type: 'string',
    default: '1000',
    arg: 'M',
    help: 'placements for the busiest morning (three days of timers at once after a long weekend) and the year ahead, on the time-skipping test server; 0 skips them (default 1000)',
  },
  year: {
    type: 'boolean',
    default: false,
    help: 'after the busiest morning, move the clock a year on too (slow: every timer of the year is worked off in virtual time, minutes for tens of placements)',
  },
  history: {
    type: 'string',
    default: 'all',
    arg: 'MODE',
    help: 'all: untouched package of every type + one completed on time; one: a single untouched package; none: skip the time-skipping part (default all)',
  },
  'log-level': {
    type: 'string',
    default: 'info',
    arg: 'LEVEL',
    help: 'LOG_LEVEL of the worker and API (default info)',
  },
  'timeout-min': {
    type: 'string',
    default: '30',
    arg: 'M',
    help: 'give up (and clean up) after M minutes (default 30)',
  },
  bundle: {
    type: 'string',
    default: 'prebuilt',
    arg: 'MODE',
    help: 'prebuilt: the worker loads a workflow bundle built beforehand, as in production (WORKFLOW_BUNDLE_PATH); runtime: it bundles workflows/ with webpack at start, as `npm start` does (default prebuilt)',
  },
  'profile-apps': {
    type: 'boolean',
    default: false,
    help: 'V8 CPU profiles of the worker and API (all threads) into bench-results/profiles/, written when they stop; profiling slows them down, so the rates are not comparable',
  },
  engine: {
    type: 'string',
    default: 'dev',
    arg: 'E',
    help: "dev: the Temporal CLI's dev server (results in engine.json); cluster: the Temporal server's four services as processes of their own on PostgreSQL, as `npm run start:cluster` (engine-cluster.json); both: one run on each, then their figures side by side (default dev)",
  },
  'app-env': {
    type: 'string',
    default: '',
    arg: 'S',
    help: 'extra environment of the worker and API, space-separated NAME=value pairs, e.g. "WORKER_MAX_CACHED_WORKFLOWS=100 MALLOC_ARENA_MAX=2"',
  },
  'app-node-options': {
    type: 'string',
    default: '',
    arg: 'S',
    help: "extra NODE_OPTIONS for the worker and API, e.g. --max-old-space-size=1024 (which also lowers the SDK's default workflow cache size)",
  },
});
const config = {
  placements: int('placements'),
  concurrency: int('concurrency'),
  warmup: int('warmup', 0),
  pollMs: int('poll-ms'),
  rounds: int('rounds'),
  history: args.history,
  backlog: int('backlog', 0),
  year: args.year,
  logLevel: args['log-level'],
  timeoutMin: int('timeout-min'),
  bundle: args.bundle,
  profileApps: args['profile-apps'],
  appNodeOptions: args['app-node-options'],
  ordinaryShare: Number(args['ordinary-share']),
  appEnv: Object.fromEntries(
    args['app-env']
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--app-env: ${pair} is not NAME=value`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  ),
};
if (!(config.ordinaryShare >= 0 && config.ordinaryShare <= 1))
  throw new Error('--ordinary-share must be a number from 0 to 1');
if (!['all', 'one', 'none'].includes(config.history)) throw new Error('--history must be all, one or none');
if (!['prebuilt', 'runtime'].includes(config.bundle)) throw new Error('--bundle must be prebuilt or runtime');
if (!['dev', 'cluster', 'both'].includes(args.engine))
  throw new Error('--engine must be dev, cluster or both');
config.engine = args.engine;

const resultFor = (engine) => resultPaths(engine === 'cluster' ? 'engine-cluster' : 'engine', 'logs');
if (config.engine === 'both') {
  // One run on each engine, each a process of its own (as if run alone), then the two side by side.
  const rest = process.argv.slice(2).filter((a, i, all) => a !== '--engine' && all[i - 1] !== '--engine');
  const results = [];
  for (const engine of ['dev', 'cluster']) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...rest, '--engine', engine], {
      stdio: 'inherit',
    });
    if (run.status !== 0) process.exit(run.status ?? 1);
    results.push({ engine, result: JSON.parse(readFileSync(resultFor(engine).resultPath, 'utf8')) });
  }
  process.stdout.write(enginesSideBySide(results));
  process.exit(0);
}
const { resultsDir: RESULTS_DIR, logDir: LOG_DIR, resultPath: RESULT_PATH } = resultFor(config.engine);

await fileTemporalOutput({
  script: fileURLToPath(import.meta.url),
  logDir: LOG_DIR,
  resultPath: RESULT_PATH,
});

const { log, benchStart } = benchLog();

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = { ...runRecord('engine', config), figures: {} };

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { projectionLag } = await import(dist('libs/projections/projector.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { PLACEMENT_TYPES, registration } = await benchRegistrations();

  // The SDK's logger says only what matters; our own signal handlers stop the benchmark.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  // 1. The stack.
  let t = performance.now();
  const { labels, workerPid, register, startNoop } = await startEngineStack({
    bundle: config.bundle,
    appNodeOptions: config.appNodeOptions,
    appEnv: config.appEnv,
    profileDir: config.profileApps ? join(RESULTS_DIR, 'profiles') : undefined,
    logDir: LOG_DIR,
    logLevel: config.logLevel,
    registrationVersion: REGISTRATION_VERSION,
    resources,
    log,
    temporal: config.engine,
  });
  result.phases.setupMs = performance.now() - t;
  const idleMemory = memoryOf(workerPid);
  log(
    `stack ready in ${formatMs(result.phases.setupMs)}; worker pid ${workerPid}, ` +
      `RSS ${round(idleMemory.rssBytes / MB)} MB before any workflow`,
  );

  const placementDate = addDays(osloDateOf(Date.now()), 14);

  // Warm-up: the bundles load, the connections and the caches fill; not measured.
  if (config.warmup > 0) {
    t = performance.now();
    const warm = (offset) =>
      Array.from({ length: config.warmup }, (_, i) => registration(offset + i, placementDate));
    await runPool(warm(0), config.concurrency, startNoop);
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
  // Every 1/share-th registration asks for ordinary follow-up (spread evenly over the run).
  const ordinary = (i) => Math.floor((i + 1) * config.ordinaryShare) > Math.floor(i * config.ordinaryShare);
  // A child in ordinary follow-up has lived in the foster home for at least a year (the engine refuses
  // a newer one): those placements began two years and a bit before the package placements' date.
  const settledDate = addDays(placementDate, -800);
  const regs = Array.from({ length: N }, (_, i) =>
    ordinary(i)
      ? { ...registration(config.warmup + i, settledDate), followUp: 'ordinary' }
      : registration(config.warmup + i, placementDate),
  );
  const slice = (items, r) => items.slice(Math.floor((r * N) / rounds), Math.floor(((r + 1) * N) / rounds));
  const poller = startLagPoller(resources.db, { pollMs: config.pollMs, version: REGISTRATION_VERSION });
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
  const kind = (label) => ({
    elapsedMs: 0,
    latencies: [],
    cpu: { roles: {}, machine: 0 },
    tick: progress(label, N, log),
  });
  const totals = { noop: kind('no-op starts'), placements: kind('registrations') };
  const batch = async (name, items, fn) => {
    const total = totals[name];
    const before = cpuSnapshot(labels);
    const measured = await runPool(items, config.concurrency, async (reg) => {
      await fn(reg);
      total.tick();
    });
    const after = cpuSnapshot(labels);
    total.elapsedMs += measured.elapsedMs;
    total.latencies.push(...measured.latencies);
    for (const [role, seconds] of Object.entries(after.roles))
      total.cpu.roles[role] = (total.cpu.roles[role] ?? 0) + seconds - (before.roles[role] ?? 0);
    total.cpu.machine += after.machine - before.machine;
  };
  /** Until the projector has caught up with what the last batch appended, and a little longer. */
  const caughtUp = async () => {
    await poller.drain(CATCH_UP_DEADLINE_MS);
    const deadline = performance.now() + CATCH_UP_DEADLINE_MS;
    let backlog = await projectionLag(resources.dataSource);
    while (backlog.pendingEvents > 0 && performance.now() < deadline) {
      await sleep(100);
      backlog = await projectionLag(resources.dataSource);
    }
    return backlog;
  };
  // Quiet checkpoints, between rounds and at the end: with nothing in flight, the worker's RSS and (from
  // its next memory line, after a forced GC with --expose-gc) its main thread's heap. Unlike the samples
  // taken under load they hardly depend on how busy the machine was, so their slope over the open
  // placements beyond the cache is the figure that says whether memory is bounded by the cache.
  const quiet = [];
  const quietCheckpoint = async (open) => {
    const since = Date.now();
    await sleep(WORKER_MEMORY_LOG_MS + 500); // the worker's next "worker memory" line
    const line = readWorkerMemory(LOG_DIR);
    const rssMB = round(memoryOf(workerPid).rssBytes / MB);
    // With --app-env WORKER_HEAP_SNAPSHOT_DIR=<dir>: the live heap of both threads, from snapshots.
    const snapshotDir = config.appEnv.WORKER_HEAP_SNAPSHOT_DIR;
    const heaps = snapshotDir
      ? await workerHeapSnapshots({ dir: snapshotDir, logDir: LOG_DIR, n: quiet.length })
      : {};
    return {
      openPlacements: open,
      rssMB,
      ...(line && line.at >= since ? { heapUsedMB: line.heapUsedMB, heapTotalMB: line.heapTotalMB } : {}),
      ...heaps,
    };
  };
  for (let r = 0; r < rounds; r++) {
    await batch('noop', slice(noopRegs, r), startNoop);
    await sleep(500);
    await batch('placements', slice(regs, r), async (reg) => {
      poller.watch(reg.placementId);
      await register(reg);
      registered++;
    });
    if (r < rounds - 1) {
      await caughtUp();
      await sleep(500);
      quiet.push(await quietCheckpoint(config.warmup + registered));
    }
  }
  const cpuAfterRegistration = cpuSnapshot(labels);
  result.rounds = rounds;
  result.cpu = {};
  result.cpuMsPerStart = {};
  for (const [name, total] of Object.entries(totals)) {
    result.phases[`${name}Ms`] = total.elapsedMs;
    result.cpu[name] = cpuDelta({ roles: {}, machine: 0 }, total.cpu, total.elapsedMs);
    result.cpuMsPerStart[name] = perStart(result.cpu[name], N);
  }
  result.loadAverage = loadavg();
  const rate = (name) => N / (totals[name].elapsedMs / 1000);
  const startRate = (name) => ({
    perSecond: round(rate(name)),
    elapsedMs: round(totals[name].elapsedMs),
    latencyMs: summary(totals[name].latencies),
  });
  result.figures.noopStartRate = startRate('noop');
  result.figures.placementStartRate = startRate('placements');
  result.figures.startRateRatio = round(rate('placements') / rate('noop'), 3);
  result.figures.registrationRetries = resources.registrationRetries ?? 0;
  const cpuTotal = (name) => Object.values(result.cpuMsPerStart[name]).reduce((a, b) => a + b, 0);
  // On a machine whose cores are the limit, rates go as the inverse of CPU per start.
  result.figures.cpuPerStartRatio = round(cpuTotal('noop') / cpuTotal('placements'), 3);
  log(
    `no-op ${round(rate('noop'))} starts/s, placements ${round(rate('placements'))} registrations/s ` +
      `(ratio ${result.figures.startRateRatio})`,
  );

  // Catch-up: every placement seen in the read model and nothing left after the checkpoint.
  t = performance.now();
  const backlog = await caughtUp();
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
  const { rows: ordinaryRows } = await resources.db.query(
    `SELECT count(*)::int AS n FROM events WHERE type = 'PlacementRegistered' AND payload->>'followUp' = 'ordinary'`,
  );
  result.figures.mix = {
    method:
      "registrations with followUp: 'ordinary'; recorded: PlacementRegistered events whose payload says so",
    ordinaryRequested: regs.filter((r) => r.followUp === 'ordinary').length,
    ordinaryRecorded: ordinaryRows[0].n,
    placements: N,
  };
  const { rows: counts } = await resources.db.query(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM placements)::int AS placements`,
  );
  const open = N + config.warmup;
  quiet.push(await quietCheckpoint(open));
  const memory = memoryOf(workerPid);
  // The worker's workflow cache (WORKER_MAX_CACHED_WORKFLOWS, libs/config: default 200).
  const cacheSize = Number(config.appEnv.WORKER_MAX_CACHED_WORKFLOWS ?? 200);
  result.figures.workerMemory = {
    openPlacements: open,
    idleRssMB: round(idleMemory.rssBytes / MB),
    idlePeakRssMB: round(idleMemory.peakRssBytes / MB),
    rssMB: round(memory.rssBytes / MB),
    perPlacementKB: round((memory.rssBytes - idleMemory.rssBytes) / open / 1000),
    // Slope of RSS over registrations done (least squares over the samples): the marginal cost.
    marginalPerPlacementKB: round(slope(during.map((s) => [s.registered, s.workerRssBytes])) / 1000),
    // The same once the workflow cache is full (the worker keeps at most this many workflows): what
    // each further open placement costs when the memory is bounded by the cache.
    cacheSize,
    marginalPerPlacementAfterCacheKB: round(
      slope(during.filter((s) => s.registered > cacheSize).map((s) => [s.registered, s.workerRssBytes])) /
        1000,
    ),
    quiet,
    // The slope of the quiet checkpoints beyond the cache (at least two needed).
    quietMarginalPerPlacementAfterCacheKB: round(
      (slope(
        quiet.filter((q) => q.openPlacements > cacheSize).map((q) => [q.openPlacements, q.rssMB * MB]),
      ) ?? NaN) / 1000,
    ),
    peakRssMB: round(memory.peakRssBytes / MB),
    sampledPeakRssMB: round(Math.max(0, ...during.map((s) => s.workerRssBytes)) / MB),
    storedEvents: counts[0].events,
    readModelPlacements: counts[0].placements,
    // What the SDK caches by default in this Node (all open placements fit if this is ≥ openPlacements).
    sdkDefaultMaxCachedWorkflows: sdkDefaultCache(config.appNodeOptions),
    // The worker's own account (its last "worker memory" log line): V8 heap, external, cache fill.
    breakdown: readWorkerMemory(LOG_DIR),
  };
  // At national scale: this RSS plus the marginal cost (slope) of each further open placement, from the
  // quiet checkpoints when there are two beyond the cache (load-independent), else from the samples.
  const m = result.figures.workerMemory;
  if (Number.isNaN(m.quietMarginalPerPlacementAfterCacheKB))
    m.quietMarginalPerPlacementAfterCacheKB = undefined;
  if (Number.isNaN(m.marginalPerPlacementAfterCacheKB)) m.marginalPerPlacementAfterCacheKB = undefined;
  m.projectionSlope = m.quietMarginalPerPlacementAfterCacheKB !== undefined ? 'quiet' : 'under load';
  const projectionSlopeKB = m.quietMarginalPerPlacementAfterCacheKB ?? m.marginalPerPlacementAfterCacheKB;
  m.projectedRssMB =
    open >= TARGETS.nationalPlacements || projectionSlopeKB === undefined
      ? m.rssMB
      : round(m.rssMB + ((TARGETS.nationalPlacements - open) * Math.max(0, projectionSlopeKB)) / 1000);
  log(`worker RSS ${result.figures.workerMemory.rssMB} MB with ${open} placements open`);

  // 6. The busiest morning and the year ahead on the time-skipping server.
  if (config.backlog > 0) {
    t = performance.now();
    result.figures.backlogs = await measureBacklogs({
      dataSource: resources.dataSource,
      projectionLag,
      placements: config.backlog,
      concurrency: config.concurrency,
      phases: [
        { name: 'busiest morning', days: 3 },
        ...(config.year ? [{ name: 'a year later', days: 365 }] : []),
      ],
      drainDeadlineMs: 30 * 60_000,
      cacheSize: Number(config.appEnv.WORKER_MAX_CACHED_WORKFLOWS ?? 200),
      log,
    });
    result.phases.backlogMs = performance.now() - t;
  }

  // 7. History size on the time-skipping server.
  if (config.history !== 'none') {
    t = performance.now();
    log('history: 12-month packages on the time-skipping test server');
    const histories = await measureHistories({
      dataSource: resources.dataSource,
      untouchedTypes: config.history === 'all' ? PLACEMENT_TYPES : ['omsorgsovertakelse'],
      completedTypes: config.history === 'all' ? ['omsorgsovertakelse'] : [],
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
  resultPath: RESULT_PATH,
  report: () =>
    process.stdout.write(engineReport({ result, config, targets: TARGETS, resultPath: RESULT_PATH })),
  timeoutMin: config.timeoutMin,
  benchStart,
  log,
});
