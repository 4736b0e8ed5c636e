// The API benchmark: `npm run bench:api [-- --placements N --duration S --connections C]`. See
// bench/README.md.
//
// Loads N placements (default 10,000) whose care packages have run for up to a year into a fresh
// PostgreSQL (domain code → EventStore → projector, see lib/inbox-data.mjs), starts the whole stack on it
// (Temporal dev server, the compiled worker and API), then runs the inbox endpoint GET /api/tasks under
// autocannon for a few users and filters and, as the ceiling, the very same SQL directly against
// PostgreSQL with the same concurrency for the same time. Prints a table with the targets and writes
// bench-results/api.json. A MISS is a result, not a failure: the exit code is non-zero only on errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../test/support/build.mjs';
import { loadInboxData } from './lib/inbox-data.mjs';
import { runAutocannon, runPostgres } from './lib/load-generators.mjs';
import { cpuDelta, cpuSnapshot, memoryOf } from './lib/procs.mjs';
import { cleanupResources, demoToken, runBenchmark, startBenchStack } from './lib/harness.mjs';
import { formatMs, round } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench-results');
const LOG_DIR = join(RESULTS_DIR, 'logs-api');
const RESULT_PATH = join(RESULTS_DIR, 'api.json');
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

const TARGETS = {
  p99Ms: 50, // API latency p99, below
  requestsPerSecond: 1000, // API throughput, at least
};
/** The API's per-user limit is raised far above what the benchmark can send (the default is 600/min). */
const BENCH_RATE_LIMIT = 100_000_000;

/** Default scenarios: `user` asks GET /api/tasks with `query` (a query string, may be empty). */
const DEFAULT_SCENARIOS = [
  'demo-fosterhjemsressurs:',
  'demo-leder:',
  'demo-kontaktperson:',
  'demo-leder:status=overdue',
  'demo-kontaktperson:assignee=me&status=overdue',
];

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    placements: { type: 'string', default: process.env.BENCH_PLACEMENTS ?? '10000' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '20' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    warmup: { type: 'string', default: '5' },
    scenario: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
    'data-dir': { type: 'string' },
    'load-batch': { type: 'string', default: '25' },
    'projector-batch': { type: 'string', default: '1000' },
    'log-level': { type: 'string', default: 'info' },
    'app-node-options': { type: 'string', default: '' },
    'api-processes': { type: 'string', default: '2' },
    'timeout-min': { type: 'string', default: '60' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(`npm run bench:api -- [options]
  --placements N      placements to load, dated over the past 12 months (default 10000, env
                      BENCH_PLACEMENTS); the catalog plans about 66 tasks per placement
  --duration S        seconds of each measured run, API and PostgreSQL alike (default 20, env
                      BENCH_DURATION)
  --connections C     concurrent connections (HTTP for autocannon, PostgreSQL for the ceiling)
                      (default 10, env BENCH_CONNECTIONS)
  --warmup S          unmeasured seconds before each measured run (default 5)
  --scenario U:Q      a demo user and a query string for GET /api/tasks, e.g.
                      demo-leder:status=overdue (repeatable; default: ${DEFAULT_SCENARIOS.join(' ')})
  --seed N            seed of the generated data (default 1)
  --data-dir DIR      keep PostgreSQL's data in DIR and reuse a load made there with the same
                      --placements and --seed (default: a temporary directory, removed at the end)
  --load-batch B      placements appended per transaction while loading (default 25)
  --projector-batch B events per projector transaction while building the read models (default 1000)
  --app-node-options S  extra NODE_OPTIONS for the worker and API (as bench:engine), e.g.
                      "--cpu-prof --cpu-prof-dir=/tmp/prof" for V8 CPU profiles
  --api-processes N   API_PROCESSES of the API (default 2: one per core of the 2-core target machine;
                      1 measures a single Node process)
  --log-level LEVEL   LOG_LEVEL of the worker and API (default info: the API logs every request, as
                      in production)
  --timeout-min M     give up (and clean up) after M minutes (default 60)
`);
  process.exit(0);
}
const positiveInt = (name, min = 1) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
};
const parseScenario = (text) => {
  const colon = text.indexOf(':');
  const user = colon < 0 ? text : text.slice(0, colon);
  const query = colon < 0 ? '' : text.slice(colon + 1).replace(/^\?/, '');
  if (!/^[\w-]+$/.test(user)) throw new Error(`--scenario ${text}: expected user:query`);
  return { user, query };
};
const config = {
  placements: positiveInt('placements'),
  durationS: positiveInt('duration'),
  connections: positiveInt('connections'),
  warmupS: positiveInt('warmup', 0),
  scenarios: (args.scenario ?? DEFAULT_SCENARIOS).map(parseScenario),
  seed: positiveInt('seed', 0),
  dataDir: args['data-dir'] ? resolve(args['data-dir']) : undefined,
  loadBatch: positiveInt('load-batch'),
  projectorBatch: positiveInt('projector-batch'),
  logLevel: args['log-level'],
  appNodeOptions: args['app-node-options'],
  apiProcesses: positiveInt('api-processes'),
  timeoutMin: positiveInt('timeout-min'),
  apiRateLimit: BENCH_RATE_LIMIT,
};

const benchStart = performance.now();
const log = (message) =>
  process.stderr.write(`[bench ${((performance.now() - benchStart) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = {
  benchmark: 'api',
  startedAt: new Date().toISOString(),
  config: { ...config, scenarios: config.scenarios.map((s) => `${s.user}:${s.query}`) },
  targets: TARGETS,
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  commit: spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || null,
  phases: {},
  data: {},
  scenarios: [],
  errors: [],
};

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { freePort, startEmbeddedPostgres } = await import(dist('libs/dev-servers/index.js'));
  const { openDatabase } = await import(dist('libs/database/data-source.js'));
  const { DEMO_USERS, demoPrincipal, visibleTasksSql } = await import(dist('libs/security/index.js'));
  const { inboxSql, TASK_FROM } = await import(dist('apps/api/tasks/inbox-query.js'));

  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });

  // 1. PostgreSQL and the data.
  let t = performance.now();
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'omsorg-bench-api-'));
  resources.dataDir = dataDir;
  resources.removeDataDir = !config.dataDir;
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'postgres'),
    port: await freePort(),
    persistent: true, // removed with the temporary directory; kept with --data-dir
    unsafeFast: true,
  });
  resources.postgres = postgres;
  await postgres.ensureDatabase('omsorgspakken');
  const databaseUrl = postgres.url('omsorgspakken');
  resources.dataSource = await openDatabase(databaseUrl, 4);
  const ds = resources.dataSource;
  result.phases.postgresMs = performance.now() - t;

  const markerPath = join(dataDir, 'bench-api-load.json');
  const wanted = { placements: config.placements, seed: config.seed };
  const previous = existsSync(markerPath) ? JSON.parse(readFileSync(markerPath, 'utf8')) : undefined;
  if (previous && previous.placements === wanted.placements && previous.seed === wanted.seed) {
    log(`reusing the load of ${previous.loadedAt} in ${dataDir}`);
    result.data.load = { ...previous, reused: true };
  } else {
    if (previous || (await ds.query(`SELECT count(*)::int AS n FROM events`))[0].n > 0)
      throw new Error(`${dataDir} holds another load: remove it or choose another --data-dir`);
    t = performance.now();
    log(`loading ${config.placements} placements (seed ${config.seed})`);
    const loaded = await loadInboxData({
      dataSource: ds,
      placements: config.placements,
      seed: config.seed,
      batchSize: config.loadBatch,
      projectorBatchSize: config.projectorBatch,
      log,
    });
    const loadMs = performance.now() - t;
    result.data.load = { ...wanted, loadedAt: new Date().toISOString(), ...loaded, loadMs, reused: false };
    writeFileSync(markerPath, JSON.stringify(result.data.load, null, 2) + '\n');
    log(
      `loaded in ${formatMs(loadMs)}: append ${formatMs(loaded.appendMs)} (of which generating ` +
        `${formatMs(loaded.generateMs)}), projector ${formatMs(loaded.projectMs)}, analyze ${formatMs(loaded.analyzeMs)}`,
    );
  }
  result.phases.loadMs = result.data.load.reused ? 0 : result.data.load.loadMs;
  const [counts] = await ds.query(
    `SELECT (SELECT count(*) FROM placements)::int AS placements,
            (SELECT count(*) FROM task_inbox)::int AS tasks,
            (SELECT count(*) FROM events)::int AS events,
            pg_database_size(current_database())::bigint AS database_bytes,
            pg_total_relation_size('task_inbox')::bigint AS task_inbox_bytes`,
  );
  const byStatus = await ds.query(
    `SELECT status, count(*)::int AS n FROM task_inbox GROUP BY status ORDER BY n DESC`,
  );
  const byService = await ds.query(
    `SELECT service_id::text, count(*)::int AS n FROM placements GROUP BY 1 ORDER BY n DESC`,
  );
  result.data.counts = {
    placements: counts.placements,
    tasks: counts.tasks,
    events: counts.events,
    databaseMB: round(Number(counts.database_bytes) / 1e6),
    taskInboxMB: round(Number(counts.task_inbox_bytes) / 1e6),
    tasksByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
    placementsByService: Object.fromEntries(byService.map((r) => [r.service_id, r.n])),
  };
  log(
    `${counts.placements} placements, ${counts.tasks} tasks, ${counts.events} events, ` +
      `database ${result.data.counts.databaseMB} MB`,
  );

  // 2. The stack on that database: Temporal dev server, worker, API (rate limit raised).
  const started = await startBenchStack({
    databaseUrl,
    dataDir,
    logDir: LOG_DIR,
    logLevel: config.logLevel,
    extraEnv: {
      API_RATE_LIMIT: String(config.apiRateLimit),
      API_PROCESSES: String(config.apiProcesses),
      ...(config.appNodeOptions ? { NODE_OPTIONS: config.appNodeOptions } : {}),
    },
  });
  const { stack, labels } = started;
  resources.stack = stack;
  result.phases.stackMs = started.ms;
  log(
    `stack ready in ${formatMs(result.phases.stackMs)} (API ${stack.apiUrl}, rate limit ${config.apiRateLimit}/min)`,
  );

  // 3. Tokens from the local issuer, and what each demo user may see.
  const tokens = {};
  const principals = {};
  const networks = await ds.query(`SELECT network_id::text, service_id::text FROM learning_network_services`);
  for (const user of new Set([
    ...config.scenarios.map((s) => s.user),
    'demo-leder',
    'demo-kontaktperson',
    'demo-fosterhjemsressurs',
  ])) {
    const demo = DEMO_USERS.find((u) => u.userId === user);
    if (!demo) throw new Error(`unknown demo user ${user}`);
    tokens[user] = await demoToken(stack.apiUrl, user);
    // The principal as AuthGuard builds it from the token (network services from reference data).
    principals[user] = {
      ...demoPrincipal(demo),
      networkServices: demo.network
        ? networks.filter((n) => n.network_id === demo.network).map((n) => n.service_id)
        : [],
    };
  }
  result.data.visible = {};
  for (const [user, principal] of Object.entries(principals)) {
    const params = [];
    const visible = visibleTasksSql(principal, params);
    const [row] = await ds.query(
      `SELECT count(*)::int AS tasks,
              count(*) FILTER (WHERE t.status IN ('open', 'due-soon', 'overdue'))::int AS open,
              count(*) FILTER (WHERE t.status = 'overdue')::int AS overdue,
              count(*) FILTER (WHERE t.assignee_id = $${params.length + 1})::int AS assigned
         FROM ${TASK_FROM} WHERE ${visible}`,
      [...params, principal.userId],
    );
    result.data.visible[user] = row;
    log(
      `${user} sees ${row.tasks} tasks (${row.open} open, ${row.overdue} overdue, ${row.assigned} assigned to them)`,
    );
  }

  // 4. The scenarios: API under autocannon, then the same SQL on PostgreSQL.
  for (const scenario of config.scenarios) {
    const name = `${scenario.user} GET /api/tasks${scenario.query ? `?${scenario.query}` : ''}`;
    const url = `${stack.apiUrl}/api/tasks${scenario.query ? `?${scenario.query}` : ''}`;
    const token = tokens[scenario.user];
    // The query object as the API's validation pipe hands it to the service (limit as a number).
    const query = Object.fromEntries(new URLSearchParams(scenario.query));
    if (query.limit !== undefined) query.limit = Number(query.limit);
    const sql = inboxSql(principals[scenario.user], query);
    const entry = {
      name,
      user: scenario.user,
      query: scenario.query,
      sql: { text: sql.text, params: sql.params },
    };
    result.scenarios.push(entry);

    // Same answer: the API's page is the first `limit` rows of the query.
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!answer.ok) throw new Error(`${name}: ${answer.status} ${await answer.text()}`);
    const page = await answer.json();
    const direct = await ds.query(sql.text, sql.params);
    const key = (placementId, taskId) => `${placementId}/${taskId}`;
    const apiKeys = page.items.map((i) => key(i.placementId, i.taskId));
    const pgKeys = direct.slice(0, sql.limit).map((r) => key(r.placement_id, r.task_id));
    entry.pageItems = apiKeys.length;
    entry.sameRows = JSON.stringify(apiKeys) === JSON.stringify(pgKeys);
    if (!entry.sameRows) throw new Error(`${name}: the API's page differs from the direct query's rows`);
    const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql.text}`, sql.params);
    entry.explain = plan.map((r) => r['QUERY PLAN']);

    log(`${name}: ${entry.pageItems} items; API warm-up ${config.warmupS} s, then ${config.durationS} s`);
    if (config.warmupS > 0)
      await runAutocannon({ url, token, connections: config.connections, durationS: config.warmupS });
    let before = cpuSnapshot(labels);
    let t0 = performance.now();
    entry.api = await runAutocannon({
      url,
      token,
      connections: config.connections,
      durationS: config.durationS,
    });
    entry.api.cpu = cpuDelta(before, cpuSnapshot(labels), performance.now() - t0);
    log(
      `  API: ${entry.api.perSecond} req/s, p50 ${entry.api.latencyMs.p50} ms, p99 ${entry.api.latencyMs.p99} ms, ` +
        `${entry.api.errors} errors, ${entry.api.non2xx} non-2xx`,
    );

    log(`  PostgreSQL: warm-up ${Math.min(config.warmupS, 2)} s, then ${config.durationS} s`);
    if (config.warmupS > 0) {
      await runPostgres({
        databaseUrl,
        ...sql,
        connections: config.connections,
        durationS: Math.min(config.warmupS, 2),
      });
    }
    let after;
    entry.postgres = await runPostgres({
      databaseUrl,
      ...sql,
      connections: config.connections,
      durationS: config.durationS,
      // Snapshots while the connections are open: their server processes' CPU ends with them.
      measure: (when) => {
        if (when === 'start') [before, t0] = [cpuSnapshot(labels), performance.now()];
        else after = [cpuSnapshot(labels), performance.now()];
      },
    });
    entry.postgres.cpu = cpuDelta(before, after[0], after[1] - t0);
    log(
      `  PostgreSQL: ${entry.postgres.perSecond} queries/s, p50 ${entry.postgres.latencyMs.p50} ms, ` +
        `p99 ${entry.postgres.latencyMs.p99} ms`,
    );
    entry.throughputRatio = round(entry.api.perSecond / entry.postgres.perSecond, 3);
    entry.p99Ratio = round(entry.api.latencyMs.p99 / entry.postgres.latencyMs.p99, 2);
    entry.pass = {
      p99: entry.api.latencyMs.p99 < TARGETS.p99Ms,
      throughput: entry.api.perSecond >= TARGETS.requestsPerSecond,
      clean:
        entry.api.errors === 0 &&
        entry.api.non2xx === 0 &&
        entry.api.timeouts === 0 &&
        entry.postgres.errors === 0,
    };
  }
  result.apiMemory = memoryOf(stack.api.child.pid);
  result.loadAverage = loadavg();
  const [logged] = await ds.query(`SELECT count(*)::int AS n FROM access_log`);
  result.data.accessLogRows = logged.n;
}

// ---------------------------------------------------------------------------------------------------
// Report

function verdict(ok) {
  return ok === undefined ? '' : ok ? 'PASS' : 'MISS';
}

function report() {
  const out = [''];
  const c = result.data.counts;
  out.push(
    `API benchmark: GET /api/tasks, ${config.connections} connections, ${config.durationS} s per run ` +
      `(after ${config.warmupS} s warm-up), ${result.machine.cpus} CPUs, Node ${process.version}`,
  );
  if (c) {
    const load = result.data.load;
    out.push(
      `Data: ${c.placements} placements, ${c.tasks} tasks (${Object.entries(c.tasksByStatus)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}), ${c.events} events, database ${c.databaseMB} MB`,
    );
    out.push(
      load.reused
        ? `Load: reused from ${load.loadedAt} (took ${formatMs(load.loadMs)} then)`
        : `Load: ${formatMs(load.loadMs)} (append ${formatMs(load.appendMs)} incl. generating ${formatMs(load.generateMs)}, ` +
            `projector ${formatMs(load.projectMs)} for ${load.projectedEvents} events, analyze ${formatMs(load.analyzeMs)})`,
    );
  }
  for (const [user, v] of Object.entries(result.data.visible ?? {}))
    out.push(
      `  ${user} sees ${v.tasks} tasks: ${v.open} open, ${v.overdue} overdue, ${v.assigned} assigned to them`,
    );
  out.push(
    `API_RATE_LIMIT raised to ${config.apiRateLimit}/min for the run (default 600/min per user); ` +
      `API_PROCESSES ${config.apiProcesses}.`,
    '',
  );

  const rows = [];
  const row = (figure, value, target = '', ok = undefined) => rows.push([figure, value, target, verdict(ok)]);
  for (const s of result.scenarios) {
    if (!s.api) continue;
    row(s.name, '');
    row(
      '  API latency p50 / p99',
      `${s.api.latencyMs.p50} ms / ${s.api.latencyMs.p99} ms`,
      `p99 < ${TARGETS.p99Ms} ms`,
      s.pass.p99,
    );
    row(
      '  API throughput',
      `${s.api.perSecond} req/s`,
      `≥ ${TARGETS.requestsPerSecond}/s`,
      s.pass.throughput,
    );
    row(
      '  API errors / non-2xx / timeouts',
      `${s.api.errors} / ${s.api.non2xx} / ${s.api.timeouts}  (${s.api.requests} requests, ${s.pageItems} items a page)`,
      '0',
      s.pass.clean,
    );
    if (s.postgres) {
      row(
        '  PostgreSQL, same SQL: p50 / p99',
        `${s.postgres.latencyMs.p50} ms / ${s.postgres.latencyMs.p99} ms`,
      );
      row('  PostgreSQL throughput (ceiling)', `${s.postgres.perSecond} queries/s`);
      row('  API ÷ PostgreSQL throughput', `${s.throughputRatio}  (p99 ${s.p99Ratio}×)`);
    }
  }
  const header = ['Figure', 'Measured', 'Target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '');
  for (const s of result.scenarios) {
    for (const kind of ['api', 'postgres']) {
      const usage = s[kind]?.cpu;
      if (!usage) continue;
      const parts = Object.entries(usage)
        .sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds)
        .map(([role, u]) => `${role} ${u.cores.toFixed(2)}`);
      out.push(
        `CPU (cores) during ${kind === 'api' ? 'API' : 'PostgreSQL'} run of ${s.name}: ${parts.join(', ')}`,
      );
    }
  }
  const phases = Object.entries(result.phases)
    .map(([k, v]) => `${k.replace(/Ms$/, '')} ${formatMs(v)}`)
    .join(', ');
  out.push(`Wall time ${formatMs(result.wallMs)} (${phases})`);
  for (const error of result.errors) out.push(`ERROR: ${error}`);
  out.push(`Results: ${RESULT_PATH}`, '');
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------------
// Clean-up and exit

const cleanup = () => cleanupResources(resources, log);

await runBenchmark({
  run,
  cleanup,
  stack: () => resources.stack,
  result,
  resultPath: RESULT_PATH,
  report,
  timeoutMin: config.timeoutMin,
  benchStart,
  log,
});
