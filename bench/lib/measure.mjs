// One scenario of an API benchmark, measured the same way in bench/api.mjs and bench/adherence.mjs: the
// API under autocannon, then the very same SQL directly on PostgreSQL (the ceiling), each after a warm-up
// and with the CPU of every process of the run.
import { runAutocannon, runPostgres } from './load-generators.mjs';
import { cpuDelta, cpuSnapshot } from './procs.mjs';

/** `url` under autocannon with `token`: `warmupS` unmeasured, then `durationS` measured, with its CPU. */
export async function measureApi({ url, token, connections, warmupS, durationS, labels }) {
  if (warmupS > 0) await runAutocannon({ url, token, connections, durationS: warmupS });
  const before = cpuSnapshot(labels);
  const t0 = performance.now();
  const measured = await runAutocannon({ url, token, connections, durationS });
  measured.cpu = cpuDelta(before, cpuSnapshot(labels), performance.now() - t0);
  return measured;
}

/**
 * `sql` ({ text, params }) back to back on `connections` PostgreSQL connections: up to 2 s unmeasured,
 * then `durationS` measured, with its CPU. `sessionSql` are the settings the API makes for the query.
 */
export async function measurePostgres({
  databaseUrl,
  sql,
  connections,
  warmupS,
  durationS,
  labels,
  applicationName,
  sessionSql,
}) {
  const common = { databaseUrl, ...sql, connections, applicationName, sessionSql };
  if (warmupS > 0) await runPostgres({ ...common, durationS: Math.min(warmupS, 2) });
  let before;
  let t0;
  let after;
  const measured = await runPostgres({
    ...common,
    durationS,
    // Snapshots while the connections are open: their server processes' CPU ends with them.
    measure: (when) => {
      if (when === 'start') [before, t0] = [cpuSnapshot(labels), performance.now()];
      else after = [cpuSnapshot(labels), performance.now()];
    },
  });
  measured.cpu = cpuDelta(before, after[0], after[1] - t0);
  return measured;
}

/** A run as one log line: rate, p50, p99 and what went wrong. */
export const runLine = (what, r, unit) =>
  `  ${what}: ${r.perSecond} ${unit}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms` +
  (unit === 'req'
    ? `, ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`
    : `, ${r.errors} errors`);

/** `EXPLAIN (ANALYZE, BUFFERS)` of `sql`, its lines. */
export async function explain(ds, sql) {
  const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${sql.text}`, sql.params);
  return plan.map((r) => r['QUERY PLAN']);
}
