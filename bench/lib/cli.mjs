// What every benchmark starts with: its options (parsed, with --help made from the same table), its log
// on stderr, and the record of the run that ends up in bench-results/<name>.json.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HELP_COLUMN = 22;

/** The API's per-user limit is raised far above what a benchmark can send (the default is 600/min). */
const BENCH_RATE_LIMIT = 100_000_000;

/**
 * The options the two API benchmarks (api.mjs, adherence.mjs) share; each adds its own. An option is
 * node:util parseArgs' description plus `arg` (the value's name in --help) and `help` (its lines).
 */
export const LOAD_OPTIONS = {
  duration: {
    type: 'string',
    default: process.env.BENCH_DURATION ?? '20',
    arg: 'S',
    help: 'seconds of each measured run, API and PostgreSQL alike (default 20, env BENCH_DURATION)',
  },
  connections: {
    type: 'string',
    default: process.env.BENCH_CONNECTIONS ?? '10',
    arg: 'C',
    help: 'concurrent connections (HTTP for autocannon, PostgreSQL for the ceiling) (default 10, env BENCH_CONNECTIONS)',
  },
  warmup: {
    type: 'string',
    default: '5',
    arg: 'S',
    help: 'unmeasured seconds before each measured run (default 5)',
  },
  seed: { type: 'string', default: '1', arg: 'N', help: 'seed of the generated data (default 1)' },
  'load-batch': {
    type: 'string',
    default: '25',
    arg: 'B',
    help: 'placements appended per transaction while loading (default 25)',
  },
  'projector-batch': {
    type: 'string',
    default: '1000',
    arg: 'B',
    help: 'events per projector transaction while building the read models (default 1000, as npm run projections:rebuild)',
  },
  'app-node-options': {
    type: 'string',
    default: '',
    arg: 'S',
    help: 'extra NODE_OPTIONS for the worker and API (as bench:engine), e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for V8 CPU profiles',
  },
  'log-level': {
    type: 'string',
    default: 'info',
    arg: 'LEVEL',
    help: 'LOG_LEVEL of the worker and API (default info: the API logs every request, as in production)',
  },
};

/** `text` cut into lines of at most `width` characters at spaces. */
function wrap(text, width) {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines;
}

/** --help, from the options' `arg` and `help`. */
function usage(command, options) {
  const out = [`npm run ${command} -- [options]`];
  for (const [name, o] of Object.entries(options)) {
    const flag = `  --${name}${o.arg ? ` ${o.arg}` : ''}`;
    const [first, ...rest] = wrap(o.help ?? '', 100 - HELP_COLUMN);
    out.push(
      flag.length < HELP_COLUMN
        ? `${flag.padEnd(HELP_COLUMN)}${first}`
        : `${flag}\n${' '.repeat(HELP_COLUMN)}${first}`,
      ...rest.map((line) => `${' '.repeat(HELP_COLUMN)}${line}`),
    );
  }
  return out.join('\n') + '\n';
}

/**
 * The command line's options (`options`, see LOAD_OPTIONS); with --help prints them and exits. Returns
 * the values and `int(name, min)`, an option as an integer ≥ min (default 1), or an error naming it.
 */
export function parseOptions(command, options) {
  const PARSE_ARGS_KEYS = ['type', 'default', 'multiple', 'short'];
  const spec = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      Object.fromEntries(PARSE_ARGS_KEYS.filter((k) => k in o).map((k) => [k, o[k]])),
    ]),
  );
  const { values } = parseArgs({
    options: { ...spec, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(usage(command, options));
    process.exit(0);
  }
  const int = (name, min = 1) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  return { values, int };
}

/** A --scenario: a demo user and a query string (`demo-leder:status=overdue`). */
export function parseScenario(text) {
  const colon = text.indexOf(':');
  const user = colon < 0 ? text : text.slice(0, colon);
  const query = colon < 0 ? '' : text.slice(colon + 1).replace(/^\?/, '');
  if (!/^[\w-]+$/.test(user)) throw new Error(`--scenario ${text}: expected user:query`);
  return { user, query };
}

/**
 * The configuration of an API benchmark from LOAD_OPTIONS and its own --placements, --scenario (else
 * `defaultScenarios`), --data-dir and --timeout-min.
 */
export function loadConfig({ values, int }, defaultScenarios) {
  return {
    placements: int('placements'),
    durationS: int('duration'),
    connections: int('connections'),
    warmupS: int('warmup', 0),
    scenarios: (values.scenario ?? defaultScenarios).map(parseScenario),
    seed: int('seed', 0),
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : undefined,
    loadBatch: int('load-batch'),
    projectorBatch: int('projector-batch'),
    logLevel: values['log-level'],
    appNodeOptions: values['app-node-options'],
    timeoutMin: int('timeout-min'),
    apiRateLimit: BENCH_RATE_LIMIT,
  };
}

/** `log(message)` to stderr with the seconds since the benchmark began, and that beginning. */
export function benchLog() {
  const start = performance.now();
  const log = (message) =>
    process.stderr.write(`[bench ${((performance.now() - start) / 1000).toFixed(1)}s] ${message}\n`);
  return { log, benchStart: start };
}

/** Where a benchmark writes: bench-results/<name>.json, its apps' logs in bench-results/<logs>/. */
export function resultPaths(name, logs) {
  // BENCH_RESULTS_DIR: another directory, e.g. for two runs side by side.
  const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench-results');
  return { resultsDir, logDir: join(resultsDir, logs), resultPath: join(resultsDir, `${name}.json`) };
}

/** The record of a run: what was asked, on which machine and commit; the benchmark adds its figures. */
export function runRecord(benchmark, config, more = {}) {
  const scenarios = config.scenarios?.map((s) => `${s.user}:${s.query}`);
  return {
    benchmark,
    startedAt: new Date().toISOString(),
    config: scenarios ? { ...config, scenarios } : config,
    ...more,
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model,
      totalMemoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    commit: spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || null,
    phases: {},
    errors: [],
  };
}
