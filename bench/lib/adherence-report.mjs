// The table the adherence benchmark (bench/adherence.mjs) prints.
import { COLD_KINDS } from './adherence-scenarios.mjs';
import { closingLines, cpuParts, figureTable } from './report.mjs';
import { formatMs } from './stats.mjs';

/** The run `result` of `config` against `targets`, as text. */
export function adherenceReport({ result, config, targets, resultPath }) {
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

  const { row, lines } = figureTable();
  const r = result.rebuild;
  if (r && !r.skipped) {
    row('Full projection rebuild', formatMs(r.ms));
    row('  events / s', `${r.eventsPerSecond}  (${r.events} events, ${r.batches} batches of ${r.batchSize})`);
    row('  adherence versions / s', `${r.adherenceRowsPerSecond}  (${r.adherenceRows} rows)`);
  } else if (r?.skipped) {
    row('Full projection rebuild', `skipped (--skip-rebuild)`);
  }
  const C = config.connections;
  const p99 = `p99 < ${targets.p99Ms} ms`;
  const latency = (run) => `${run.latencyMs.p50} ms / ${run.latencyMs.p99} ms`;
  for (const s of result.scenarios) {
    if (!s.api?.[C]) continue;
    row(s.name, '');
    row(
      '  rows aggregated',
      `${s.report.due} tasks, ${s.report.placements} placements, ${s.report.cells} cells`,
    );
    row(`  API, ${C} connections: p50 / p99`, latency(s.api[C]), p99, s.pass.p99);
    row(`  API, ${C} connections: throughput`, `${s.api[C].perSecond} req/s`);
    if (C !== 1)
      row(
        '  API, 1 connection: p50 / p99',
        `${latency(s.api[1])}  (${s.api[1].perSecond} req/s)`,
        p99,
        s.pass.p99Alone,
      );
    row(
      `  API computing afresh (${COLD_KINDS[s.cold.kind]}), 1 connection: p50 / p99`,
      `${latency(s.cold)}  (${s.cold.requests} requests, one at a time)`,
      p99,
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
      `${latency(s.postgres[1])}  (${s.postgres[1].perSecond} queries/s; EXPLAIN ANALYZE ${s.explainMs} ms)`,
    );
    if (C !== 1)
      row(
        `  PostgreSQL, same SQL, ${C} connections`,
        `${latency(s.postgres[C])}  (${s.postgres[C].perSecond} queries/s)`,
      );
    row(`  API ÷ PostgreSQL throughput (${C})`, `${s.throughputRatio}`);
  }
  out.push(...lines(), '');
  const cpuLine = (what, usage) => out.push(`CPU (cores) during ${what}: ${cpuParts(usage)}`);
  if (r?.cpu) cpuLine('the rebuild', r.cpu);
  for (const s of result.scenarios) {
    if (s.api?.[C]?.cpu) cpuLine(`API run (${C}) of ${s.name}`, s.api[C].cpu);
    if (s.postgres?.[C]?.cpu) cpuLine(`PostgreSQL run (${C}) of ${s.name}`, s.postgres[C].cpu);
  }
  out.push(...closingLines(result, resultPath));
  return out.join('\n') + '\n';
}
