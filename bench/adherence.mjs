// The adherence benchmark: `npm run bench:adherence [-- --placements N --years Y --duration S]`. See
// bench/README.md.
//
// Loads N placements (default 10,000) whose placement dates are spread over Y years (default 3), in the
// services of the demo learning network (the two demo services and more fictional ones), each event
// recorded at its simulated instant (domain code → EventStore, see lib/inbox-data.mjs); measures the
// full projection rebuild (`rebuild` of libs/projections, adherence_facts included); starts the whole
// stack on that database and runs the network dashboard (GET /api/adherence/report) under autocannon as
// the learning-network lead, by service, step and month and as of a year ago, and a leader's report by
// track; then the very same SQL directly against PostgreSQL as the ceiling. Prints a table with the
// targets and writes bench-results/adherence.json. A MISS is a result, not a failure: the exit code is
// non-zero only on errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../test/support/build.mjs';
import { ensureBenchServices, loadInboxData, readModelTables } from './lib/inbox-data.mjs';
import { runAutocannon, runPostgres } from './lib/load-generators.mjs';
import { cpuDelta, cpuSnapshot, memoryOf } from './lib/procs.mjs';
import { cleanupResources, demoToken, runBenchmark, startBenchStack } from './lib/harness.mjs';
import { formatMs, round, summary } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench-results');
const LOG_DIR = join(RESULTS_DIR, 'logs-adherence');
const RESULT_PATH = join(RESULTS_DIR, 'adherence.json');
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

const TARGETS = {
  p99Ms: 100, // API latency p99 of each report, below
};
/** The API's per-user limit is raised far above what the benchmark can send (the default is 600/min). */
const BENCH_RATE_LIMIT = 100_000_000;
/** What makes the API compute a scenario's report afresh (the cold runs). */
const COLD_KINDS = {
  change: 'after a change to its facts',
  publication: 'a new publication of the quarter',
  instant: 'as of another instant',
};
const NETWORK_LEAD = 'demo-laeringsnettverksleder';
/** Nordby and Sørvik's shares of the placements; the extra services share the rest evenly. */
const DEMO_SHARES = [0.3, 0.2];

/**
 * Default scenarios: `user` asks GET /api/adherence/report with `query`. Without from/to the period is
 * the last 12 whole months before the report date, for the learning-network lead the last calendar
 * quarter published to it (one whole quarter, 31 days after its end, as published: AdherenceService);
 * `asOf=year-ago` is the same instant a year ago.
 */
const DEFAULT_SCENARIOS = [
  `${NETWORK_LEAD}:by=service`,
  `${NETWORK_LEAD}:by=step`,
  `${NETWORK_LEAD}:by=month`,
  'demo-leder:by=track',
  'demo-leder:by=service&asOf=year-ago',
];

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    placements: { type: 'string', default: process.env.BENCH_PLACEMENTS ?? '10000' },
    years: { type: 'string', default: process.env.BENCH_YEARS ?? '3' },
    services: { type: 'string', default: '6' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '20' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    warmup: { type: 'string', default: '5' },
    scenario: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
    'data-dir': { type: 'string' },
    'skip-rebuild': { type: 'boolean', default: false },
    'load-batch': { type: 'string', default: '25' },
    'projector-batch': { type: 'string', default: '1000' },
    'log-level': { type: 'string', default: 'info' },
    'app-node-options': { type: 'string', default: '' },
    'cold-samples': { type: 'string', default: '30' },
    'timeout-min': { type: 'string', default: '90' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(`npm run bench:adherence -- [options]
  --placements N      placements to load (default 10000, env BENCH_PLACEMENTS)
  --years Y           placement dates spread over the last Y years (default 3, env BENCH_YEARS); a
                      package runs about a year, its events are recorded at their simulated instants
  --services S        services in the demo learning network (default 6: Nordby ${DEMO_SHARES[0] * 100} %,
                      Sørvik ${DEMO_SHARES[1] * 100} %, and S − 2 fictional services sharing the rest)
  --duration S        seconds of each measured run, API and PostgreSQL alike (default 20, env
                      BENCH_DURATION)
  --connections C     concurrent connections (HTTP for autocannon, PostgreSQL for the ceiling)
                      (default 10, env BENCH_CONNECTIONS); every scenario also runs with 1
  --warmup S          unmeasured seconds before each measured run (default 5)
  --scenario U:Q      a demo user and a query string for GET /api/adherence/report, e.g.
                      demo-leder:by=month (repeatable). Without from/to: the last 12 whole months
                      before the report date (the network lead: the last quarter published to it);
                      asOf=year-ago: this instant a year ago. Default:
                      ${DEFAULT_SCENARIOS.join('\n                      ')}
  --seed N            seed of the generated data (default 1)
  --data-dir DIR      keep PostgreSQL's data in DIR and reuse a load made there with the same
                      --placements, --years, --services and --seed (default: a temporary directory,
                      removed at the end)
  --skip-rebuild      with a reused load: do not rebuild the read models again (the rebuild is
                      measured on every run otherwise)
  --load-batch B      placements appended per transaction while loading (default 25)
  --projector-batch B events per projector transaction in the rebuild (default 1000, as
                      npm run projections:rebuild)
  --app-node-options S  extra NODE_OPTIONS for the worker and API (as bench:engine)
  --log-level LEVEL   LOG_LEVEL of the worker and API (default info: the API logs every request, as
                      in production)
  --cold-samples N    requests per scenario that the API must compute afresh instead of answering from
                      its cache (default 30): a leader's report right after a change to the facts it
                      reads; a lead's quarter as a new publication; a report as of another instant
  --timeout-min M     give up (and clean up) after M minutes (default 90)
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
  years: positiveInt('years'),
  services: positiveInt('services', 2),
  durationS: positiveInt('duration'),
  connections: positiveInt('connections'),
  warmupS: positiveInt('warmup', 0),
  scenarios: (args.scenario ?? DEFAULT_SCENARIOS).map(parseScenario),
  seed: positiveInt('seed', 0),
  dataDir: args['data-dir'] ? resolve(args['data-dir']) : undefined,
  skipRebuild: args['skip-rebuild'],
  loadBatch: positiveInt('load-batch'),
  projectorBatch: positiveInt('projector-batch'),
  logLevel: args['log-level'],
  appNodeOptions: args['app-node-options'],
  coldSamples: positiveInt('cold-samples'),
  timeoutMin: positiveInt('timeout-min'),
  apiRateLimit: BENCH_RATE_LIMIT,
};

const benchStart = performance.now();
const log = (message) =>
  process.stderr.write(`[bench ${((performance.now() - benchStart) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// Periods

/** The calendar month `months` before the month of `date` (YYYY-MM-DD), as its first day. */
function monthStart(date, months) {
  const [y, m] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The last calendar quarter published to a learning-network lead by `date`: it ended at least 31 days
 * before (AdherenceService's publication rule for the task report).
 */
function publishedQuarter(date, addDays) {
  const back = (Number(date.slice(5, 7)) - 1) % 3; // months since the current quarter began
  for (let quarters = 1; ; quarters++) {
    const from = monthStart(date, back + 3 * quarters);
    const to = addDays(monthStart(date, back + 3 * (quarters - 1)), -1);
    if (addDays(to, 31) <= date) return { from, to };
  }
}

/**
 * The query of a scenario with its placeholders filled in: asOf=year-ago becomes this instant a year
 * ago; without from/to, the 12 whole months before the month of the report date (today in Oslo, or
 * the asOf instant's date), or for the network lead the last quarter published to it by then.
 */
function resolveQuery(query, { now, osloDateOf, addDays, user }) {
  const params = new URLSearchParams(query);
  if (params.get('asOf') === 'year-ago') {
    const yearAgo = new Date(now);
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    params.set('asOf', yearAgo.toISOString());
  }
  const reportDate = osloDateOf(params.get('asOf') ?? new Date(now).toISOString());
  const period =
    user === NETWORK_LEAD
      ? publishedQuarter(reportDate, addDays)
      : { from: monthStart(reportDate, 12), to: addDays(monthStart(reportDate, 0), -1) };
  if (!params.has('from')) params.set('from', period.from);
  if (!params.has('to')) params.set('to', period.to);
  return params;
}

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = {
  benchmark: 'adherence',
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
  rebuild: undefined,
  scenarios: [],
  errors: [],
};

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { freePort, startEmbeddedPostgres } = await import(dist('libs/dev-servers/index.js'));
  const { openDatabase } = await import(dist('libs/database/data-source.js'));
  const { DEMO_USERS } = await import(dist('libs/security/index.js'));
  const { rebuild } = await import(dist('libs/projections/rebuild.js'));
  const { reportSql } = await import(dist('apps/api/adherence/report-query.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));

  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });

  // 1. PostgreSQL, the services of the demo network, and the data.
  let t = performance.now();
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'omsorg-bench-adherence-'));
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
  const services = await ensureBenchServices(ds, { extra: config.services - 2, demoShares: DEMO_SHARES });
  result.phases.postgresMs = performance.now() - t;

  const markerPath = join(dataDir, 'bench-adherence-load.json');
  const wanted = {
    placements: config.placements,
    years: config.years,
    services: config.services,
    seed: config.seed,
  };
  const previous = existsSync(markerPath) ? JSON.parse(readFileSync(markerPath, 'utf8')) : undefined;
  const reused = previous && Object.entries(wanted).every(([k, v]) => previous[k] === v);
  if (reused) {
    log(`reusing the load of ${previous.loadedAt} in ${dataDir}`);
    result.data.load = { ...previous, reused: true };
  } else {
    if (previous || (await ds.query(`SELECT count(*)::int AS n FROM events`))[0].n > 0)
      throw new Error(`${dataDir} holds another load: remove it or choose another --data-dir`);
    t = performance.now();
    log(
      `loading ${config.placements} placements over ${config.years} years in ${config.services} services ` +
        `(seed ${config.seed}), events recorded at their simulated instants`,
    );
    const loaded = await loadInboxData({
      dataSource: ds,
      placements: config.placements,
      seed: config.seed,
      spanDays: Math.round(config.years * 365.25),
      services,
      recordedAt: 'simulated',
      project: false, // the rebuild below is measured on its own
      batchSize: config.loadBatch,
      log,
    });
    const loadMs = performance.now() - t;
    result.data.load = { ...wanted, loadedAt: new Date().toISOString(), ...loaded, loadMs, reused: false };
    log(`appended in ${formatMs(loadMs)} (of which generating ${formatMs(loaded.generateMs)})`);
  }
  result.phases.appendMs = result.data.load.reused ? 0 : result.data.load.loadMs;

  // 2. The full projection rebuild, measured: truncate every read model and replay every event.
  if (reused && config.skipRebuild) {
    log('--skip-rebuild: keeping the read models of the reused load');
    result.rebuild = { skipped: true, previous: previous.rebuild };
  } else {
    log(`rebuilding the read models (rebuild of libs/projections, batches of ${config.projectorBatch})`);
    const labels = { [process.pid]: 'bench (projector)' };
    const before = cpuSnapshot(labels);
    t = performance.now();
    const rebuilt = await rebuild(ds, { batchSize: config.projectorBatch });
    const rebuildMs = performance.now() - t;
    const cpu = cpuDelta(before, cpuSnapshot(labels), rebuildMs);
    const [rows] = await ds.query(
      `SELECT (SELECT count(*) FROM adherence_facts)::int AS adherence_facts,
              (SELECT count(*) FROM task_inbox)::int AS task_inbox,
              (SELECT count(*) FROM placement_timeline)::int AS placement_timeline`,
    );
    result.rebuild = {
      events: rebuilt.events,
      batches: rebuilt.batches,
      batchSize: config.projectorBatch,
      ms: rebuildMs,
      eventsPerSecond: round(rebuilt.events / (rebuildMs / 1000)),
      adherenceRows: rows.adherence_facts,
      adherenceRowsPerSecond: round(rows.adherence_facts / (rebuildMs / 1000)),
      taskRows: rows.task_inbox,
      timelineRows: rows.placement_timeline,
      cpu,
    };
    log(
      `rebuilt in ${formatMs(rebuildMs)}: ${rebuilt.events} events (${result.rebuild.eventsPerSecond}/s), ` +
        `${rows.adherence_facts} adherence versions`,
    );
    t = performance.now();
    await ds.query(`VACUUM (ANALYZE) events, ${(await readModelTables()).join(', ')}`);
    result.phases.analyzeMs = performance.now() - t;
    if (!reused || previous.rebuild === undefined) {
      result.data.load.rebuild = result.rebuild;
      writeFileSync(markerPath, JSON.stringify(result.data.load, null, 2) + '\n');
    }
  }
  result.phases.rebuildMs = result.rebuild.ms ?? 0;

  const [counts] = await ds.query(
    `SELECT (SELECT count(*) FROM placements)::int AS placements,
            (SELECT count(*) FROM placements WHERE status = 'completed')::int AS completed_packages,
            (SELECT count(*) FROM task_inbox)::int AS tasks,
            (SELECT count(*) FROM events)::int AS events,
            (SELECT to_json(min(recorded_at)) #>> '{}' FROM events) AS first_recorded,
            (SELECT to_json(max(recorded_at)) #>> '{}' FROM events) AS last_recorded,
            (SELECT count(*) FROM adherence_facts)::int AS adherence_rows,
            (SELECT count(*) FROM adherence_facts WHERE recorded_to IS NULL)::int AS adherence_current,
            pg_database_size(current_database())::bigint AS database_bytes,
            pg_table_size('adherence_facts')::bigint AS adherence_table_bytes,
            pg_indexes_size('adherence_facts')::bigint AS adherence_index_bytes`,
  );
  const byService = await ds.query(
    `SELECT p.service_id::text, s.name, count(*)::int AS n
       FROM placements p LEFT JOIN services s ON s.id = p.service_id GROUP BY 1, 2 ORDER BY n DESC`,
  );
  result.data.counts = {
    placements: counts.placements,
    completedPackages: counts.completed_packages,
    tasks: counts.tasks,
    events: counts.events,
    recordedFrom: counts.first_recorded,
    recordedTo: counts.last_recorded,
    adherenceRows: counts.adherence_rows,
    adherenceCurrentRows: counts.adherence_current,
    databaseMB: round(Number(counts.database_bytes) / 1e6),
    adherenceTableMB: round(Number(counts.adherence_table_bytes) / 1e6),
    adherenceIndexesMB: round(Number(counts.adherence_index_bytes) / 1e6),
    placementsByService: Object.fromEntries(byService.map((r) => [r.name ?? r.service_id, r.n])),
  };
  result.data.adherenceIndexes = (
    await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'adherence_facts' ORDER BY indexname`)
  ).map((r) => r.indexdef);
  log(
    `${counts.placements} placements (${counts.completed_packages} packages completed), ${counts.tasks} tasks, ` +
      `${counts.events} events recorded ${counts.first_recorded} – ${counts.last_recorded}, ` +
      `${counts.adherence_rows} adherence versions (${counts.adherence_current} current), ` +
      `database ${result.data.counts.databaseMB} MB`,
  );

  // 3. The stack on that database: Temporal dev server, worker, API (rate limit raised).
  const started = await startBenchStack({
    databaseUrl,
    dataDir,
    logDir: LOG_DIR,
    logLevel: config.logLevel,
    extraEnv: {
      API_RATE_LIMIT: String(config.apiRateLimit),
      ...(config.appNodeOptions ? { NODE_OPTIONS: config.appNodeOptions } : {}),
    },
  });
  const { stack, labels } = started;
  resources.stack = stack;
  result.phases.stackMs = started.ms;
  log(
    `stack ready in ${formatMs(result.phases.stackMs)} (API ${stack.apiUrl}, rate limit ${config.apiRateLimit}/min)`,
  );

  // 4. Tokens from the local issuer, and the services each user's report covers (as AdherenceService
  // scopes it: a learning-network lead the network's services, anyone else the own service).
  const tokens = {};
  const scopes = {};
  const networks = await ds.query(`SELECT network_id::text, service_id::text FROM learning_network_services`);
  for (const user of new Set(config.scenarios.map((s) => s.user))) {
    const demo = DEMO_USERS.find((u) => u.userId === user);
    if (!demo) throw new Error(`unknown demo user ${user}`);
    tokens[user] = await demoToken(stack.apiUrl, user);
    scopes[user] = demo.roles.includes('laeringsnettverksleder')
      ? networks.filter((n) => n.network_id === demo.network).map((n) => n.service_id)
      : [demo.organisation];
  }

  // 5. The scenarios: the API under autocannon (1 and C connections), the same SQL on PostgreSQL.
  const now = Date.now();
  for (const scenario of config.scenarios) {
    const params = resolveQuery(scenario.query, { now, osloDateOf, addDays, user: scenario.user });
    const query = params.toString();
    const name = `${scenario.user} ${decodeURIComponent(query)}`;
    const url = `${stack.apiUrl}/api/adherence/report?${query}`;
    const token = tokens[scenario.user];
    const by = params.get('by') ?? 'service';
    const lead = scenario.user === NETWORK_LEAD;
    // Same answer: the API's total and its number of cells are the query's.
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!answer.ok) throw new Error(`${name}: ${answer.status} ${await answer.text()}`);
    const report = await answer.json();
    // The instant and report date as AdherenceService computes them: a lead's quarter as published (the
    // answer says when), else the asOf instant and its Oslo date, or now and today in Oslo.
    const asOf = lead ? report.asOf : (params.get('asOf') ?? undefined);
    const reportDate = lead ? report.reportDate : osloDateOf(asOf ?? new Date().toISOString());
    const sql = reportSql({
      services: scopes[scenario.user],
      from: params.get('from'),
      to: params.get('to'),
      by,
      reportDate,
      ...(asOf ? { asOf: new Date(asOf).toISOString() } : {}),
    });
    const entry = {
      name,
      user: scenario.user,
      query,
      services: scopes[scenario.user].length,
      sql: { text: sql.text, params: sql.params },
    };
    result.scenarios.push(entry);
    const direct = await ds.query(sql.text, sql.params);
    const total = direct.find((r) => r.key === null);
    entry.report = {
      reportDate: report.reportDate,
      cells: report.rows.length,
      suppressedCells: report.rows.filter((r) => r.suppressed).length,
      placements: total?.placements ?? 0,
      due: total?.due ?? 0,
      onTimeRate: report.total.onTimeRate,
      completionRate: report.total.completionRate,
      overdue: report.total.overdue,
    };
    entry.sameAnswer =
      report.reportDate === reportDate &&
      report.rows.length === direct.length - 1 &&
      (report.total.suppressed ||
        (report.total.due === total?.due && report.total.placements === total?.placements));
    if (!entry.sameAnswer) throw new Error(`${name}: the API's report differs from the direct query's rows`);
    const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql.text}`, sql.params);
    entry.explain = plan.map((r) => r['QUERY PLAN']);
    entry.explainMs = Number(/Execution Time: ([\d.]+) ms/.exec(entry.explain.join('\n'))?.[1]);
    log(
      `${name}: ${entry.report.cells} cells, ${entry.report.placements} placements, ${entry.report.due} tasks due; ` +
        `EXPLAIN ANALYZE ${entry.explainMs} ms`,
    );

    const apiRun = async (connections) => {
      if (config.warmupS > 0) await runAutocannon({ url, token, connections, durationS: config.warmupS });
      const before = cpuSnapshot(labels);
      const t0 = performance.now();
      const measured = await runAutocannon({ url, token, connections, durationS: config.durationS });
      measured.cpu = cpuDelta(before, cpuSnapshot(labels), performance.now() - t0);
      return measured;
    };
    const pgRun = async (connections) => {
      if (config.warmupS > 0)
        await runPostgres({
          databaseUrl,
          ...sql,
          connections,
          durationS: Math.min(config.warmupS, 2),
          applicationName: 'bench-adherence-ceiling',
          sessionSql: [`SET work_mem = '64MB'`], // as AdherenceService.aggregate
        });
      let before;
      let t0;
      let after;
      const measured = await runPostgres({
        databaseUrl,
        ...sql,
        connections,
        durationS: config.durationS,
        applicationName: 'bench-adherence-ceiling',
        sessionSql: [`SET work_mem = '64MB'`],
        // Snapshots while the connections are open: their server processes' CPU ends with them.
        measure: (when) => {
          if (when === 'start') [before, t0] = [cpuSnapshot(labels), performance.now()];
          else after = [cpuSnapshot(labels), performance.now()];
        },
      });
      measured.cpu = cpuDelta(before, after[0], after[1] - t0);
      return measured;
    };
    const line = (what, r, unit) =>
      `  ${what}: ${r.perSecond} ${unit}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms` +
      (unit === 'req'
        ? `, ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`
        : `, ${r.errors} errors`);

    /*
     * Computed afresh: the API keeps a finished report while what it is computed from stands still
     * (apps/api/adherence/report-cache.ts), so the runs above measure answers from that cache once warm.
     * Here each request is one the API has to compute, one connection, one at a time:
     * - a leader's live report: right after a change of the kind the projector records when it writes a
     *   fact due in the period (adherence_changes);
     * - a lead's quarter: as a new publication (its publication row removed, so the request publishes the
     *   quarter again, as of now; a publication never changes once made);
     * - a report as of a past instant: as of another instant (a second earlier each time), since no
     *   change recorded now can change a report of the past.
     */
    const coldKind = lead ? 'publication' : asOf ? 'instant' : 'change';
    const quarter = `${params.get('from').slice(0, 4)}-Q${(Number(params.get('from').slice(5, 7)) + 2) / 3}`;
    const coldRun = async (samples) => {
      const latencies = [];
      let failures = 0;
      for (let i = 0; i < samples; i++) {
        let target = url;
        if (coldKind === 'publication')
          await ds.query(`DELETE FROM adherence_publications WHERE kind = 'report' AND period = $1`, [
            quarter,
          ]);
        else if (coldKind === 'instant') {
          const shifted = new URLSearchParams(params);
          shifted.set('asOf', new Date(Date.parse(asOf) - (i + 1) * 1000).toISOString());
          target = `${stack.apiUrl}/api/adherence/report?${shifted.toString()}`;
        } else
          await ds.query(
            `INSERT INTO adherence_changes (service_id, month, version)
             SELECT s, date_trunc('month', $2::date)::date, nextval('adherence_change_seq') FROM unnest($1::uuid[]) s
             ON CONFLICT (service_id, month) DO UPDATE SET version = excluded.version`,
            [scopes[scenario.user], params.get('from')],
          );
        const t0 = performance.now();
        const res = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (!res.ok) failures++;
        latencies.push(performance.now() - t0);
      }
      return { requests: samples, failures, latencyMs: summary(latencies) };
    };

    const counts = [...new Set([1, config.connections])];
    entry.api = {};
    entry.postgres = {};
    for (const connections of counts) {
      log(`  API, ${connections} connection(s): warm-up ${config.warmupS} s, then ${config.durationS} s`);
      entry.api[connections] = await apiRun(connections);
      log(line(`API, ${connections}`, entry.api[connections], 'req'));
      log(`  PostgreSQL, ${connections} connection(s)`);
      entry.postgres[connections] = await pgRun(connections);
      log(line(`PostgreSQL, ${connections}`, entry.postgres[connections], 'queries'));
    }
    log(`  API computing afresh (${COLD_KINDS[coldKind]}), 1 connection: ${config.coldSamples} requests`);
    entry.cold = await coldRun(config.coldSamples);
    entry.cold.kind = coldKind;
    log(`  API computing afresh: p50 ${entry.cold.latencyMs.p50} ms, p99 ${entry.cold.latencyMs.p99} ms`);
    const loaded = entry.api[config.connections];
    entry.throughputRatio = round(loaded.perSecond / entry.postgres[config.connections].perSecond, 3);
    entry.pass = {
      p99: loaded.latencyMs.p99 < TARGETS.p99Ms,
      p99Alone: entry.api[1].latencyMs.p99 < TARGETS.p99Ms,
      p99Cold: entry.cold.latencyMs.p99 < TARGETS.p99Ms && entry.cold.failures === 0,
      clean: counts.every(
        (c) =>
          entry.api[c].errors === 0 &&
          entry.api[c].non2xx === 0 &&
          entry.api[c].timeouts === 0 &&
          entry.postgres[c].errors === 0,
      ),
    };
  }
  result.apiMemory = memoryOf(stack.api.child.pid);
  result.loadAverage = loadavg();
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
    `Adherence benchmark: GET /api/adherence/report, 1 and ${config.connections} connections, ` +
      `${config.durationS} s per run (after ${config.warmupS} s warm-up), ${result.machine.cpus} CPUs, Node ${process.version}`,
  );
  if (c) {
    const load = result.data.load;
    out.push(
      `Data: ${c.placements} placements over ${config.years} years in ${config.services} services ` +
        `(${Object.entries(c.placementsByService)
          .map(([s, n]) => `${s.replace(/ barneverntjeneste \(fiktiv\)$/, '')} ${n}`)
          .join(', ')}), ${c.completedPackages} packages completed`,
    );
    out.push(
      `      ${c.tasks} tasks, ${c.events} events recorded ${c.recordedFrom?.slice(0, 10)} – ${c.recordedTo?.slice(0, 10)}, ` +
        `${c.adherenceRows} adherence versions (${c.adherenceCurrentRows} current; ` +
        `table ${c.adherenceTableMB} MB, indexes ${c.adherenceIndexesMB} MB), database ${c.databaseMB} MB`,
    );
    out.push(
      load.reused
        ? `Load: reused from ${load.loadedAt} (appending took ${formatMs(load.loadMs)} then)`
        : `Load: ${formatMs(load.loadMs)} to append (generating ${formatMs(load.generateMs)} of it)`,
    );
  }
  out.push(`API_RATE_LIMIT raised to ${config.apiRateLimit}/min for the run (default 600/min per user).`, '');

  const rows = [];
  const row = (figure, value, target = '', ok = undefined) => rows.push([figure, value, target, verdict(ok)]);
  const r = result.rebuild;
  if (r && !r.skipped) {
    row('Full projection rebuild', formatMs(r.ms));
    row('  events / s', `${r.eventsPerSecond}  (${r.events} events, ${r.batches} batches of ${r.batchSize})`);
    row('  adherence versions / s', `${r.adherenceRowsPerSecond}  (${r.adherenceRows} rows)`);
  } else if (r?.skipped) {
    row('Full projection rebuild', `skipped (--skip-rebuild)`);
  }
  const C = config.connections;
  for (const s of result.scenarios) {
    if (!s.api?.[C]) continue;
    row(s.name, '');
    row(
      '  rows aggregated',
      `${s.report.due} tasks, ${s.report.placements} placements, ${s.report.cells} cells`,
    );
    row(
      `  API, ${C} connections: p50 / p99`,
      `${s.api[C].latencyMs.p50} ms / ${s.api[C].latencyMs.p99} ms`,
      `p99 < ${TARGETS.p99Ms} ms`,
      s.pass.p99,
    );
    row(`  API, ${C} connections: throughput`, `${s.api[C].perSecond} req/s`);
    if (C !== 1)
      row(
        '  API, 1 connection: p50 / p99',
        `${s.api[1].latencyMs.p50} ms / ${s.api[1].latencyMs.p99} ms  (${s.api[1].perSecond} req/s)`,
        `p99 < ${TARGETS.p99Ms} ms`,
        s.pass.p99Alone,
      );
    row(
      `  API computing afresh (${COLD_KINDS[s.cold.kind]}), 1 connection: p50 / p99`,
      `${s.cold.latencyMs.p50} ms / ${s.cold.latencyMs.p99} ms  (${s.cold.requests} requests, one at a time)`,
      `p99 < ${TARGETS.p99Ms} ms`,
      s.pass.p99Cold,
    );
    row(
      '  API errors / non-2xx / timeouts',
      Object.values(s.api)
        .map((a) => `${a.errors} / ${a.non2xx} / ${a.timeouts}`)
        .join(', ') + `  (${Object.values(s.api).reduce((n, a) => n + a.requests, 0)} requests)`,
      '0',
      s.pass.clean,
    );
    row(
      `  PostgreSQL, same SQL, 1 connection`,
      `${s.postgres[1].latencyMs.p50} ms / ${s.postgres[1].latencyMs.p99} ms  (${s.postgres[1].perSecond} queries/s; ` +
        `EXPLAIN ANALYZE ${s.explainMs} ms)`,
    );
    if (C !== 1)
      row(
        `  PostgreSQL, same SQL, ${C} connections`,
        `${s.postgres[C].latencyMs.p50} ms / ${s.postgres[C].latencyMs.p99} ms  (${s.postgres[C].perSecond} queries/s)`,
      );
    row(`  API ÷ PostgreSQL throughput (${C})`, `${s.throughputRatio}`);
  }
  const header = ['Figure', 'Measured', 'Target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '');
  const cpuLine = (what, usage) => {
    const parts = Object.entries(usage)
      .sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds)
      .map(([role, u]) => `${role} ${u.cores.toFixed(2)}`);
    out.push(`CPU (cores) during ${what}: ${parts.join(', ')}`);
  };
  if (r?.cpu) cpuLine('the rebuild', r.cpu);
  for (const s of result.scenarios) {
    if (s.api?.[C]?.cpu) cpuLine(`API run (${C}) of ${s.name}`, s.api[C].cpu);
    if (s.postgres?.[C]?.cpu) cpuLine(`PostgreSQL run (${C}) of ${s.name}`, s.postgres[C].cpu);
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
