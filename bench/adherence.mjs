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
import { loadavg } from 'node:os';
import { ensureBuilt } from '../test/support/build.mjs';
import { adherenceCounts, measureRebuild } from './lib/adherence-data.mjs';
import { adherenceReport } from './lib/adherence-report.mjs';
import {
  COLD_KINDS,
  computedAfresh,
  DEFAULT_SCENARIOS,
  NETWORK_LEAD,
  resolveQuery,
} from './lib/adherence-scenarios.mjs';
import { benchLog, LOAD_OPTIONS, loadConfig, parseOptions, resultPaths, runRecord } from './lib/cli.mjs';
import { reusableLoad, startBenchDatabase } from './lib/database.mjs';
import { cleanupResources, demoSessions, runBenchmark, startBenchStack } from './lib/harness.mjs';
import { ensureBenchServices, loadInboxData, readModelTables } from './lib/inbox-data.mjs';
import { explain, measureApi, measurePostgres, runLine } from './lib/measure.mjs';
import { memoryOf } from './lib/procs.mjs';
import { formatMs, round } from './lib/stats.mjs';

const { logDir: LOG_DIR, resultPath: RESULT_PATH } = resultPaths('adherence', 'logs-adherence');
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

const TARGETS = {
  p99Ms: 100, // API latency p99 of each report, below
};
/** Nordby and Sørvik's shares of the placements; the extra services share the rest evenly. */
const DEMO_SHARES = [0.3, 0.2];
/** The ceiling runs the report's SQL as the API does: its work_mem (apps/api/adherence/report-reader.ts). */
const REPORT_SESSION = { applicationName: 'bench-adherence-ceiling', sessionSql: [`SET work_mem = '64MB'`] };

// ---------------------------------------------------------------------------------------------------
// Options

const OPTIONS = {
  placements: {
    type: 'string',
    default: process.env.BENCH_PLACEMENTS ?? '10000',
    arg: 'N',
    help: 'placements to load (default 10000, env BENCH_PLACEMENTS)',
  },
  years: {
    type: 'string',
    default: process.env.BENCH_YEARS ?? '3',
    arg: 'Y',
    help: 'placement dates spread over the last Y years (default 3, env BENCH_YEARS); a package runs about a year, its events are recorded at their simulated instants',
  },
  services: {
    type: 'string',
    default: '6',
    arg: 'S',
    help: `services in the demo learning network (default 6: Nordby ${DEMO_SHARES[0] * 100} %, Sørvik ${DEMO_SHARES[1] * 100} %, and S − 2 fictional services sharing the rest)`,
  },
  ...LOAD_OPTIONS,
  scenario: {
    type: 'string',
    multiple: true,
    arg: 'U:Q',
    help:
      'a demo user and a query string for GET /api/adherence/report, e.g. demo-leder:by=month (repeatable). ' +
      'Without from/to: the last 12 whole months before the report date (the network lead: the last quarter ' +
      `published to it); asOf=year-ago: this instant a year ago. Default: ${DEFAULT_SCENARIOS.join(' ')}`,
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    help: "keep PostgreSQL's data in DIR and reuse a load made there with the same --placements, --years, --services and --seed (default: a temporary directory, removed at the end)",
  },
  'skip-rebuild': {
    type: 'boolean',
    default: false,
    help: 'with a reused load: do not rebuild the read models again (the rebuild is measured on every run otherwise)',
  },
  'cold-samples': {
    type: 'string',
    default: '30',
    arg: 'N',
    help: "requests per scenario that the API must compute afresh instead of answering from its cache (default 30): a leader's report right after a change to the facts it reads; a lead's quarter as a new publication; a report as of another instant",
  },
  'timeout-min': {
    type: 'string',
    default: '90',
    arg: 'M',
    help: 'give up (and clean up) after M minutes (default 90)',
  },
};
const options = parseOptions('bench:adherence', OPTIONS);
const config = {
  ...loadConfig(options, DEFAULT_SCENARIOS),
  years: options.int('years'),
  services: options.int('services', 2),
  skipRebuild: options.values['skip-rebuild'],
  coldSamples: options.int('cold-samples'),
};

const { log, benchStart } = benchLog();

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = {
  ...runRecord('adherence', config, { targets: TARGETS }),
  data: {},
  rebuild: undefined,
  scenarios: [],
};

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { reportSql } = await import(dist('apps/api/adherence/report-query.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));

  // 1. PostgreSQL, the services of the demo network, and the data.
  let t = performance.now();
  const { ds, databaseUrl, dataDir } = await startBenchDatabase({
    name: 'adherence',
    dataDir: config.dataDir,
    resources,
  });
  const services = await ensureBenchServices(ds, { extra: config.services - 2, demoShares: DEMO_SHARES });
  result.phases.postgresMs = performance.now() - t;
  const { placements, years, seed } = config;
  const loading = await reusableLoad({
    ds,
    dataDir,
    marker: 'bench-adherence-load.json',
    wanted: { placements, years, services: config.services, seed },
    log,
    load: () => {
      log(
        `loading ${placements} placements over ${years} years in ${config.services} services ` +
          `(seed ${seed}), events recorded at their simulated instants`,
      );
      return loadInboxData({
        dataSource: ds,
        placements,
        seed,
        spanDays: Math.round(years * 365.25),
        services,
        recordedAt: 'simulated',
        project: false, // the rebuild below is measured on its own
        batchSize: config.loadBatch,
        log,
      });
    },
  });
  const { reused, previous } = loading;
  result.data.load = loading.record;
  if (!reused)
    log(
      `appended in ${formatMs(loading.record.loadMs)} (of which generating ${formatMs(loading.record.generateMs)})`,
    );
  result.phases.appendMs = reused ? 0 : loading.record.loadMs;

  // 2. The full projection rebuild, measured: truncate every read model and replay every event.
  if (reused && config.skipRebuild) {
    log('--skip-rebuild: keeping the read models of the reused load');
    result.rebuild = { skipped: true, previous: previous.rebuild };
  } else {
    result.rebuild = await measureRebuild(ds, { batchSize: config.projectorBatch, log });
    t = performance.now();
    await ds.query(`VACUUM (ANALYZE) events, ${(await readModelTables()).join(', ')}`);
    result.phases.analyzeMs = performance.now() - t;
    // A load is reusable once rebuilt.
    if (!reused || previous.rebuild === undefined) {
      result.data.load.rebuild = result.rebuild;
      loading.save(result.data.load);
    }
  }
  result.phases.rebuildMs = result.rebuild.ms ?? 0;
  const counted = await adherenceCounts(ds, { log });
  result.data.counts = counted.counts;
  result.data.adherenceIndexes = counted.indexes;

  // 3. The stack on that database: Temporal dev server, worker, API (rate limit raised).
  const { stack, labels, ms } = await startBenchStack({
    databaseUrl,
    dataDir,
    logDir: LOG_DIR,
    logLevel: config.logLevel,
    rateLimit: config.apiRateLimit,
    appNodeOptions: config.appNodeOptions,
    log,
  });
  resources.stack = stack;
  result.phases.stackMs = ms;

  // 4. Tokens from the local issuer, and the services each user's report covers (as ReportWindows
  // scopes it: a learning-network lead the network's services, anyone else the own service).
  const sessions = await demoSessions(
    stack.apiUrl,
    ds,
    config.scenarios.map((s) => s.user),
  );
  const scopes = Object.fromEntries(
    Object.entries(sessions).map(([user, s]) => [
      user,
      s.demo.roles.includes('laeringsnettverksleder') ? s.networkServices : [s.demo.organisation],
    ]),
  );

  // 5. The scenarios: the API under autocannon (1 and C connections), the same SQL on PostgreSQL.
  const now = Date.now();
  for (const scenario of config.scenarios) {
    const params = resolveQuery(scenario.query, { now, osloDateOf, addDays, user: scenario.user });
    const query = params.toString();
    const name = `${scenario.user} ${decodeURIComponent(query)}`;
    const url = `${stack.apiUrl}/api/adherence/report?${query}`;
    const { token } = sessions[scenario.user];
    const lead = scenario.user === NETWORK_LEAD;
    // Same answer: the API's total and its number of cells are the query's.
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!answer.ok) throw new Error(`${name}: ${answer.status} ${await answer.text()}`);
    const report = await answer.json();
    // The instant and report date as ReportWindows computes them: a lead's quarter as published (the
    // answer says when), else the asOf instant and its Oslo date, or now and today in Oslo.
    const asOf = lead ? report.asOf : (params.get('asOf') ?? undefined);
    const reportDate = lead ? report.reportDate : osloDateOf(asOf ?? new Date().toISOString());
    const sql = reportSql({
      services: scopes[scenario.user],
      from: params.get('from'),
      to: params.get('to'),
      by: params.get('by') ?? 'service',
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
    entry.explain = await explain(ds, sql);
    entry.explainMs = Number(/Execution Time: ([\d.]+) ms/.exec(entry.explain.join('\n'))?.[1]);
    log(
      `${name}: ${entry.report.cells} cells, ${entry.report.placements} placements, ${entry.report.due} tasks due; ` +
        `EXPLAIN ANALYZE ${entry.explainMs} ms`,
    );

    const counts = [...new Set([1, config.connections])];
    entry.api = {};
    entry.postgres = {};
    const { warmupS, durationS } = config;
    for (const connections of counts) {
      log(`  API, ${connections} connection(s): warm-up ${warmupS} s, then ${durationS} s`);
      entry.api[connections] = await measureApi({ url, token, connections, warmupS, durationS, labels });
      log(runLine(`API, ${connections}`, entry.api[connections], 'req'));
      log(`  PostgreSQL, ${connections} connection(s)`);
      entry.postgres[connections] = await measurePostgres({
        databaseUrl,
        sql,
        connections,
        warmupS,
        durationS,
        labels,
        ...REPORT_SESSION,
      });
      log(runLine(`PostgreSQL, ${connections}`, entry.postgres[connections], 'queries'));
    }
    const coldKind = lead ? 'publication' : asOf ? 'instant' : 'change';
    log(`  API computing afresh (${COLD_KINDS[coldKind]}), 1 connection: ${config.coldSamples} requests`);
    entry.cold = await computedAfresh({
      kind: coldKind,
      ds,
      apiUrl: stack.apiUrl,
      token,
      params,
      asOf,
      services: scopes[scenario.user],
      samples: config.coldSamples,
    });
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
// Report, clean-up and exit

await runBenchmark({
  run,
  cleanup: () => cleanupResources(resources, log),
  stack: () => resources.stack,
  result,
  resultPath: RESULT_PATH,
  report: () =>
    process.stdout.write(adherenceReport({ result, config, targets: TARGETS, resultPath: RESULT_PATH })),
  timeoutMin: config.timeoutMin,
  benchStart,
  log,
});
