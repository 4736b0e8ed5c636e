// The API benchmark: `npm run bench:api [-- --placements N --duration S --connections C]`. See
// bench/README.md.
//
// Loads N placements (default 10,000) whose care packages have run for up to a year into a fresh
// PostgreSQL (domain code → EventStore → projector, see lib/inbox-data.mjs), starts the whole stack on it
// (Temporal dev server, the compiled worker and API), then runs the inbox endpoint GET /api/tasks under
// autocannon for a few users and filters, on the API on Express and on Fastify (HTTP_ADAPTER, both by
// default, one after the other in the same run), and, as the ceiling, the very same SQL directly against
// PostgreSQL with the same concurrency for the same time. Prints a table with the targets and writes
// bench-results/api.json. A MISS is a result, not a failure: the exit code is non-zero only on errors.
import { loadavg } from 'node:os';
import { ensureBuilt } from '../test/support/build.mjs';
import { benchLog, LOAD_OPTIONS, loadConfig, parseOptions, resultPaths, runRecord } from './lib/cli.mjs';
import { reusableLoad, startBenchDatabase } from './lib/database.mjs';
import { cleanupResources, demoSessions, runBenchmark, startBenchStack } from './lib/harness.mjs';
import { loadInboxData } from './lib/inbox-data.mjs';
import { explain, measureApi, measurePostgres, runLine } from './lib/measure.mjs';
import { memoryOf } from './lib/procs.mjs';
import { closingLines, cpuParts, figureTable } from './lib/report.mjs';
import { formatMs, round } from './lib/stats.mjs';

const { logDir: LOG_DIR, resultPath: RESULT_PATH } = resultPaths('api', 'logs-api');
const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;

const TARGETS = {
  p99Ms: 20, // API latency p99, below
  throughputRatio: 0.6, // API throughput ÷ PostgreSQL's for the same SQL (the ceiling), at least
  requestsPerSecond: 1000, // API throughput, at least
};

const ADAPTERS = ['express', 'fastify'];

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

const OPTIONS = {
  placements: {
    type: 'string',
    default: process.env.BENCH_PLACEMENTS ?? '10000',
    arg: 'N',
    help: 'placements to load, dated over the past 12 months (default 10000, env BENCH_PLACEMENTS); the catalog plans about 66 tasks per placement',
  },
  ...LOAD_OPTIONS,
  scenario: {
    type: 'string',
    multiple: true,
    arg: 'U:Q',
    help: `a demo user and a query string for GET /api/tasks, e.g. demo-leder:status=overdue (repeatable; default: ${DEFAULT_SCENARIOS.join(' ')})`,
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    help: "keep PostgreSQL's data in DIR and reuse a load made there with the same --placements and --seed (default: a temporary directory, removed at the end)",
  },
  'api-processes': {
    type: 'string',
    default: '2',
    arg: 'N',
    help: 'API_PROCESSES of the API (default 2: one per core of the 2-core target machine; 1 measures a single Node process)',
  },
  adapter: {
    type: 'string',
    default: 'both',
    arg: 'A',
    help: 'HTTP_ADAPTER of the API: express, fastify, both (default: express then fastify, side by side in one run) or fastify,express',
  },
  'timeout-min': {
    type: 'string',
    default: '60',
    arg: 'M',
    help: 'give up (and clean up) after M minutes (default 60)',
  },
};
const options = parseOptions('bench:api', OPTIONS);
const config = { ...loadConfig(options, DEFAULT_SCENARIOS), apiProcesses: options.int('api-processes') };
config.adapters = options.values.adapter === 'both' ? ADAPTERS : options.values.adapter.split(',');
if (
  !config.adapters.every((a) => ADAPTERS.includes(a)) ||
  new Set(config.adapters).size < config.adapters.length
) {
  process.stderr.write(
    `bench:api: --adapter must be express, fastify, both, or both in an order (fastify,express)\n`,
  );
  process.exit(1);
}

const { log, benchStart } = benchLog();

// ---------------------------------------------------------------------------------------------------
// The run

const resources = {};
const result = {
  ...runRecord('api', config, { targets: TARGETS }),
  data: {},
  scenarios: [],
};

async function run() {
  log('building dist/ (tsc, incremental)');
  ensureBuilt();
  const { demoPrincipal, visibleTasksSql } = await import(dist('libs/security/index.js'));
  const { inboxSql, TASK_FROM } = await import(dist('apps/api/tasks/inbox-query.js'));

  // 1. PostgreSQL and the data.
  const t = performance.now();
  const { ds, databaseUrl, dataDir } = await startBenchDatabase({
    name: 'api',
    dataDir: config.dataDir,
    resources,
  });
  result.phases.postgresMs = performance.now() - t;
  const wanted = { placements: config.placements, seed: config.seed };
  const loading = await reusableLoad({
    ds,
    dataDir,
    marker: 'bench-api-load.json',
    wanted,
    log,
    load: () => {
      log(`loading ${config.placements} placements (seed ${config.seed})`);
      return loadInboxData({
        dataSource: ds,
        placements: config.placements,
        seed: config.seed,
        batchSize: config.loadBatch,
        projectorBatchSize: config.projectorBatch,
        log,
      });
    },
  });
  result.data.load = loading.record;
  if (!loading.reused) {
    const load = loading.record;
    loading.save(load);
    log(
      `loaded in ${formatMs(load.loadMs)}: append ${formatMs(load.appendMs)} (of which generating ` +
        `${formatMs(load.generateMs)}), projector ${formatMs(load.projectMs)}, analyze ${formatMs(load.analyzeMs)}`,
    );
  }
  result.phases.loadMs = loading.reused ? 0 : loading.record.loadMs;
  result.data.counts = await countData(ds);
  const c = result.data.counts;
  log(`${c.placements} placements, ${c.tasks} tasks, ${c.events} events, database ${c.databaseMB} MB`);

  // 2. Per adapter, one after the other: the stack on that database (Temporal dev server, worker, the
  // API with the rate limit raised and HTTP_ADAPTER set), then every scenario's API run. The first
  // adapter's stack is stopped before the next starts, so only one API runs at a time.
  const users = ['demo-leder', 'demo-kontaktperson', 'demo-fosterhjemsressurs'];
  let stack;
  let labels;
  for (const [round, adapter] of config.adapters.entries()) {
    if (stack) {
      await stack.stop();
      resources.stack = undefined;
    }
    const started = await startBenchStack({
      databaseUrl,
      dataDir,
      logDir: `${LOG_DIR}/${adapter}`,
      logLevel: config.logLevel,
      rateLimit: config.apiRateLimit,
      appNodeOptions: config.appNodeOptions,
      env: { API_PROCESSES: String(config.apiProcesses), HTTP_ADAPTER: adapter },
      log,
    });
    ({ stack, labels } = started);
    resources.stack = stack;
    result.phases[`stack ${adapter}Ms`] = started.ms;
    labels[stack.api.child.pid] = `api (${adapter})`;

    // 3. Tokens from the local issuer, and (once) what each demo user may see: the principal as
    // AuthGuard builds it from the token (network services from reference data).
    const sessions = await demoSessions(stack.apiUrl, ds, [...config.scenarios.map((s) => s.user), ...users]);
    if (round === 0)
      await prepareScenarios(ds, sessions, { demoPrincipal, visibleTasksSql, inboxSql, TASK_FROM });

    // 4. The scenarios on this adapter: the same page as the query's first rows, then autocannon.
    const run = { connections: config.connections, warmupS: config.warmupS, durationS: config.durationS };
    for (const entry of result.scenarios) {
      const path = `/api/tasks${entry.query ? `?${entry.query}` : ''}`;
      const { token } = sessions[entry.user];
      const answer = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!answer.ok) throw new Error(`${entry.name} (${adapter}): ${answer.status} ${await answer.text()}`);
      const page = await answer.json();
      const apiKeys = page.items.map((i) => `${i.placementId}/${i.taskId}`);
      entry.pageItems = apiKeys.length;
      entry.sameRows = JSON.stringify(apiKeys) === JSON.stringify(entry.pgKeys);
      if (!entry.sameRows)
        throw new Error(`${entry.name} (${adapter}): the API's page differs from the direct query's rows`);
      log(
        `${entry.name} on ${adapter}: ${entry.pageItems} items; warm-up ${config.warmupS} s, then ${config.durationS} s`,
      );
      entry.apis[adapter] = await measureApi({ url: `${stack.apiUrl}${path}`, token, labels, ...run });
      log(runLine(`API (${adapter})`, entry.apis[adapter], 'req'));
    }
  }

  // 5. The ceiling: each scenario's SQL directly on PostgreSQL (the last stack idle).
  const run = { connections: config.connections, warmupS: config.warmupS, durationS: config.durationS };
  for (const entry of result.scenarios) {
    log(`${entry.name}: PostgreSQL warm-up ${Math.min(config.warmupS, 2)} s, then ${config.durationS} s`);
    entry.postgres = await measurePostgres({ databaseUrl, sql: entry.sql, labels, ...run });
    log(runLine('PostgreSQL', entry.postgres, 'queries'));
    delete entry.pgKeys;
    for (const api of Object.values(entry.apis)) {
      api.throughputRatio = round(api.perSecond / entry.postgres.perSecond, 3);
      api.p99Ratio = round(api.latencyMs.p99 / entry.postgres.latencyMs.p99, 2);
      api.pass = {
        p99: api.latencyMs.p99 < TARGETS.p99Ms,
        ratio: api.throughputRatio >= TARGETS.throughputRatio,
        throughput: api.perSecond >= TARGETS.requestsPerSecond,
        clean: api.errors === 0 && api.non2xx === 0 && api.timeouts === 0 && entry.postgres.errors === 0,
      };
    }
  }
  result.apiMemory = memoryOf(stack.api.child.pid);
  result.adapters = config.adapters;
  result.loadAverage = loadavg();
  const [logged] = await ds.query(`SELECT count(*)::int AS n FROM access_log`);
  result.data.accessLogRows = logged.n;
}

/**
 * What each demo user may see (result.data.visible), and per scenario its SQL as the API builds it for
 * the user's principal, the query's first page (to compare with the API's) and its plan.
 */
async function prepareScenarios(ds, sessions, { demoPrincipal, visibleTasksSql, inboxSql, TASK_FROM }) {
  const principals = Object.fromEntries(
    Object.entries(sessions).map(([user, s]) => [
      user,
      { ...demoPrincipal(s.demo), networkServices: s.networkServices },
    ]),
  );
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
  for (const scenario of config.scenarios) {
    // The query object as the API's validation pipe hands it to the service (limit as a number).
    const query = Object.fromEntries(new URLSearchParams(scenario.query));
    if (query.limit !== undefined) query.limit = Number(query.limit);
    const sql = inboxSql(principals[scenario.user], query);
    const direct = await ds.query(sql.text, sql.params);
    result.scenarios.push({
      name: `${scenario.user} GET /api/tasks${scenario.query ? `?${scenario.query}` : ''}`,
      user: scenario.user,
      query: scenario.query,
      sql: { text: sql.text, params: sql.params },
      pgKeys: direct.slice(0, sql.limit).map((r) => `${r.placement_id}/${r.task_id}`),
      explain: await explain(ds, sql),
      apis: {},
    });
  }
}

/** What was loaded: placements, tasks by status, events, sizes, placements by service. */
async function countData(ds) {
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
  return {
    placements: counts.placements,
    tasks: counts.tasks,
    events: counts.events,
    databaseMB: round(Number(counts.database_bytes) / 1e6),
    taskInboxMB: round(Number(counts.task_inbox_bytes) / 1e6),
    tasksByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
    placementsByService: Object.fromEntries(byService.map((r) => [r.service_id, r.n])),
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

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
      `API_PROCESSES ${config.apiProcesses}; HTTP_ADAPTER ${config.adapters.join(' and ')}, measured one after the ` +
      'other in this run, then PostgreSQL: compare figures within one run only.',
    `Load average at the end: ${(result.loadAverage ?? loadavg()).map((l) => l.toFixed(2)).join(' ')} ` +
      '(other processes on the machine weigh on every figure).',
    '',
  );

  const { row, lines } = figureTable();
  for (const s of result.scenarios) {
    if (!s.postgres) continue;
    row(s.name, '');
    row('  PostgreSQL, same SQL: throughput (ceiling)', `${s.postgres.perSecond} queries/s`);
    row(
      '  PostgreSQL, same SQL: p50 / p99',
      `${s.postgres.latencyMs.p50} ms / ${s.postgres.latencyMs.p99} ms`,
    );
    if (s.postgres.cpu?.postgresql && s.postgres.perSecond > 0)
      row(
        '  PostgreSQL CPU per query',
        `${round((s.postgres.cpu.postgresql.cores * 1000) / s.postgres.perSecond, 2)} ms`,
      );
    for (const [adapter, api] of Object.entries(s.apis)) {
      row(`  API on ${adapter}`, '');
      row(
        '    throughput ÷ PostgreSQL',
        `${api.throughputRatio}  (${api.perSecond} req/s)`,
        `≥ ${TARGETS.throughputRatio}`,
        api.pass.ratio,
      );
      row(
        '    latency p50 / p99',
        `${api.latencyMs.p50} ms / ${api.latencyMs.p99} ms  (p99 ${api.p99Ratio}× PostgreSQL's)`,
        `p99 < ${TARGETS.p99Ms} ms`,
        api.pass.p99,
      );
      row(
        '    throughput',
        `${api.perSecond} req/s`,
        `≥ ${TARGETS.requestsPerSecond}/s`,
        api.pass.throughput,
      );
      // CPU time per answer depends less on what else runs on the machine than the rates do.
      const cpu = api.cpu?.[`api (${adapter})`];
      if (cpu && api.perSecond > 0)
        row('    API CPU per request', `${round((cpu.cores * 1000) / api.perSecond, 2)} ms`);
      row(
        '    errors / non-2xx / timeouts',
        `${api.errors} / ${api.non2xx} / ${api.timeouts}  (${api.requests} requests, ${s.pageItems} items a page)`,
        '0',
        api.pass.clean,
      );
    }
  }
  out.push(...lines(), '');
  for (const s of result.scenarios) {
    for (const [adapter, api] of Object.entries(s.apis))
      if (api.cpu) out.push(`CPU (cores) during the API run (${adapter}) of ${s.name}: ${cpuParts(api.cpu)}`);
    if (s.postgres?.cpu)
      out.push(`CPU (cores) during the PostgreSQL run of ${s.name}: ${cpuParts(s.postgres.cpu)}`);
  }
  out.push(...closingLines(result, RESULT_PATH));
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------------
// Clean-up and exit

await runBenchmark({
  run,
  cleanup: () => cleanupResources(resources, log),
  stack: () => resources.stack,
  result,
  resultPath: RESULT_PATH,
  report,
  timeoutMin: config.timeoutMin,
  benchStart,
  log,
});
