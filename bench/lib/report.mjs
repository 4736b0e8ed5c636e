// The table every benchmark prints on stdout, and the lines around it.
import { formatMs } from './stats.mjs';

/** PASS or MISS against a target; nothing for a figure without one. */
export const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'MISS');

/**
 * Collects the table's rows: `row(figure, measured, target, ok)`; `lines()` gives the table, its
 * columns as wide as their widest cell.
 */
export function figureTable() {
  const rows = [];
  return {
    row: (figure, value, target = '', ok = undefined) => rows.push([figure, value, target, verdict(ok)]),
    lines() {
      const header = ['Figure', 'Measured', 'Target', ''];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      const line = (cells) =>
        cells
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd();
      return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
    },
  };
}

/** A cpuDelta (lib/procs.mjs) as `role 0.52, …`, the busiest first; `format` writes one role's use. */
export function cpuParts(usage, format = (u) => u.cores.toFixed(2)) {
  return Object.entries(usage)
    .sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds)
    .map(([role, u]) => `${role} ${format(u)}`)
    .join(', ');
}

/** The last lines: the wall time by phase, any errors, where the JSON went. */
export function closingLines(result, resultPath) {
  const phases = Object.entries(result.phases)
    .map(([k, v]) => `${k.replace(/Ms$/, '')} ${formatMs(v)}`)
    .join(', ');
  return [
    `Wall time ${formatMs(result.wallMs)} (${phases})`,
    ...result.errors.map((error) => `ERROR: ${error}`),
    `Results: ${resultPath}`,
    '',
  ];
}
