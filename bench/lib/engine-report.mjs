// The table the engine benchmark (bench/engine.mjs) prints.
import { closingLines, cpuParts, figureTable } from './report.mjs';
import { formatMs, round } from './stats.mjs';

/** The run `result` of `config` against `targets`, as text. */
export function engineReport({ result, config, targets, resultPath }) {
  const f = result.figures;
  const { row, lines } = figureTable();
  const latencies = (rate) => `p50 ${formatMs(rate.latencyMs.p50)}, p99 ${formatMs(rate.latencyMs.p99)}`;
  if (f.noopStartRate) {
    row('No-op starts/s (start + Update)', `${f.noopStartRate.perSecond}/s  (${latencies(f.noopStartRate)})`);
  }
  if (f.placementStartRate) {
    row(
      'Placement registrations/s',
      `${f.placementStartRate.perSecond}/s  (${latencies(f.placementStartRate)})`,
    );
    row(
      'Placement rate ÷ no-op rate',
      String(f.startRateRatio),
      `≥ ${targets.startRateRatio}`,
      f.startRateRatio >= targets.startRateRatio,
    );
    row('CPU per no-op start ÷ CPU per placement', String(f.cpuPerStartRatio));
    if (f.registrationRetries > 0)
      row('Registrations sent again (Update failed)', String(f.registrationRetries));
  }
  if (f.projectionLag) {
    const lag = f.projectionLag.ms;
    row('Projection lag p50 (event → read model)', formatMs(lag.p50));
    row(
      'Projection lag p99',
      formatMs(lag.p99),
      `< ${targets.projectionLagP99Ms} ms`,
      lag.p99 < targets.projectionLagP99Ms,
    );
    row('Projection lag max', formatMs(lag.max));
    row(
      'Projector backlog (max events / oldest)',
      `${f.projectionLag.backlog.maxPendingEvents} events / ${formatMs(f.projectionLag.backlog.oldestPendingAgeMs.max)}`,
    );
  }
  if (f.workerMemory) {
    const m = f.workerMemory;
    const national = targets.nationalPlacements;
    if (m.openPlacements >= national) {
      row(
        `Worker RSS, ${m.openPlacements} placements open`,
        `${m.rssMB} MB`,
        `< ${targets.workerRssMB} MB`,
        m.rssMB < targets.workerRssMB,
      );
    } else {
      row(`Worker RSS, ${m.openPlacements} placements open`, `${m.rssMB} MB`);
      row(
        `Worker RSS projected to ${national} open (slope)`,
        `${m.projectedRssMB} MB  (measured with ${m.openPlacements}, slope ${m.projectionSlope ?? 'under load'}: run --placements ${national} to measure)`,
        `< ${targets.workerRssMB} MB`,
        m.projectedRssMB < targets.workerRssMB,
      );
    }
    row('Worker peak RSS (VmHWM / sampled)', `${m.peakRssMB} MB / ${m.sampledPeakRssMB} MB`);
    row(
      'Worker RSS before any workflow (idle)',
      `${m.idleRssMB} MB  (+${m.perPlacementKB} kB per open placement; slope ${m.marginalPerPlacementKB} kB, ` +
        `${m.marginalPerPlacementAfterCacheKB ?? 'n/a'} kB once the cache of ${m.cacheSize} is full)`,
    );
    if (m.quiet?.length) {
      // open placements: RSS (main thread's heap used, after GC with --expose-gc) [workflow thread's
      // live heap, from a snapshot with WORKER_HEAP_SNAPSHOT_DIR]
      const point = (q) =>
        `${q.openPlacements}: ${q.rssMB}` +
        (q.heapUsedMB === undefined ? '' : ` (${q.heapUsedMB})`) +
        (q.workflowHeapMB === undefined ? '' : ` [${q.workflowHeapMB}]`);
      row(
        'Worker RSS when quiet, MB (main heap) [workflow heap]',
        `${m.quiet.map(point).join(', ')}  ` +
          `(${m.quietMarginalPerPlacementAfterCacheKB ?? 'n/a'} kB per placement beyond the cache)`,
      );
    }
    if (m.breakdown) {
      const b = m.breakdown;
      row(
        'Worker memory, its own account',
        `RSS ${b.rssMB} MB = V8 heap ${b.heapTotalMB} MB (used ${b.heapUsedMB}) + external ${b.externalMB} MB + native rest; ${b.cachedWorkflows} workflows cached`,
      );
    }
  }
  for (const b of f.backlogs ?? []) {
    const lag = b.readModelLag.oldestPendingAgeMs;
    const label = `${b.name[0].toUpperCase()}${b.name.slice(1)}: ${b.days} days of timers, ${b.placements} placements`;
    const measured =
      `${formatMs(b.drainMs)} for ${b.placementsDue} due` +
      (b.notDrained > 0 ? ` (${b.notDrained} NOT worked off)` : '') +
      `, ${b.eventsAppended} events; read-model lag p99 ${formatMs(lag.p99)}, max ${formatMs(lag.max)}`;
    if (b.days === 3) {
      const scaled = b.placements >= targets.nationalPlacements;
      row(
        label,
        measured + (scaled ? '' : ` (target is for ${targets.nationalPlacements})`),
        `< ${formatMs(targets.busiestMorningMs)}`,
        b.notDrained === 0 && b.drainMs < targets.busiestMorningMs,
      );
    } else row(label, measured);
  }
  if (f.mix && f.mix.ordinaryRequested > 0) {
    const note =
      f.mix.ordinaryRecorded < f.mix.ordinaryRequested
        ? ': this build does not record ordinary follow-up, the rest ran as packages'
        : '';
    row(
      'Mix: ordinary follow-up asked / recorded',
      `${f.mix.ordinaryRequested} / ${f.mix.ordinaryRecorded} of ${f.mix.placements}${note}`,
    );
  }
  for (const h of f.history?.packages ?? []) {
    const runs = h.runs.length > 1 ? `, ${h.runs.length} runs` : '';
    row(
      `History events, 12 months, ${h.variant} (${h.placementType})`,
      `${h.historyEvents}  (${h.tasks} tasks, ${h.storedEvents} stored events${runs})`,
      `< ${targets.historyEvents}`,
      h.historyEvents < targets.historyEvents,
    );
  }
  const out = [
    '',
    `Engine benchmark (${config.engine === 'cluster' ? 'Temporal server, 4 services on PostgreSQL' : 'Temporal dev server'}): ${config.placements} placements, concurrency ${config.concurrency}, ` +
      `${result.rounds ?? '?'} round(s), ${result.machine.cpus} CPUs, Node ${process.version}`,
    '',
    ...lines(),
    '',
  ];
  for (const [phase, usage] of Object.entries(result.cpu ?? {})) {
    if (Object.keys(usage).length === 0) continue;
    const seconds = (u) => `${u.cpuSeconds.toFixed(1)} s (${u.cores.toFixed(2)} cores)`;
    out.push(`CPU during ${phase}: ${cpuParts(usage, seconds)}`);
  }
  for (const [phase, usage] of Object.entries(result.cpuMsPerStart ?? {})) {
    const parts = Object.entries(usage)
      .sort((a, b) => b[1] - a[1])
      .map(([role, ms]) => `${role} ${ms} ms`);
    const total = Object.values(usage).reduce((a, b) => a + b, 0);
    out.push(`CPU per ${phase} start: ${round(total)} ms = ${parts.join(' + ')}`);
  }
  out.push(...closingLines(result, resultPath));
  return out.join('\n') + '\n';
}

/** The figures of runs on the two engines (`--engine both`), one column each. */
export function enginesSideBySide(runs) {
  const name = { dev: 'dev server', cluster: 'cluster (4 services, PostgreSQL)' };
  const rows = [
    ['No-op starts/s', (f) => f.noopStartRate?.perSecond],
    ['Placement registrations/s', (f) => f.placementStartRate?.perSecond],
    ['Registration p99', (f) => f.placementStartRate && formatMs(f.placementStartRate.latencyMs.p99)],
    ['Placement rate ÷ no-op rate', (f) => f.startRateRatio],
    ['Projection lag p99', (f) => f.projectionLag && formatMs(f.projectionLag.ms.p99)],
    ['Worker RSS, all placements open', (f) => f.workerMemory && `${f.workerMemory.rssMB} MB`],
    ['History events, worst untouched package', (f) => f.history?.worstUntouched],
  ];
  const widths = [42, ...runs.map((r) => Math.max(14, name[r.engine].length))];
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '—').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = ['', 'Both engines, same application and load:', ''];
  out.push(line(['', ...runs.map((r) => name[r.engine])]));
  for (const [label, pick] of rows) out.push(line([label, ...runs.map((r) => pick(r.result.figures))]));
  out.push('');
  return out.join('\n') + '\n';
}
