import { suppress, suppressNested } from '../../../libs/adherence/index.js';
import { ProblemException } from '../common/problem.js';
import type { Breakdown } from './adherence.dto.js';
import type { Window } from './report-window.js';

/*
 * What every report over a period does with its grouped query's rows: cells, labelled and sorted, small
 * ones hidden from a learning-network lead, in one envelope (as CSV: ./report-csv.ts).
 */

/** A share, to three decimals; null when there is nothing to share. */
export const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

interface Cell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly placements?: number;
}
type Hidden = Pick<Cell, 'key' | 'label'> & { readonly suppressed: true };

/**
 * How a learning-network lead's cells are suppressed: on their own (libs/adherence/suppression.ts
 * `suppress`), or nested in a parent breakdown of the same period (`suppressNested`: municipalities in
 * services, steps in tracks), so that the parent's report minus this one reveals no small group.
 */
export interface Protection {
  readonly nesting?: { parentOf: (key: string) => string | undefined; parentHidden: ReadonlySet<string> };
}

/** The hidden keys of a grouped query's rows for a lead, suppressed on their own. */
export function hiddenKeys(rows: readonly { key: string | null; placements: number }[]): ReadonlySet<string> {
  const total = { key: 'total', placements: rows.find((r) => r.key === null)?.placements ?? 0 };
  const cells = rows.flatMap((r) => (r.key === null ? [] : [{ key: r.key, placements: r.placements }]));
  return suppress(total, cells).hidden;
}

/** The envelope of a report over a period: what was asked, for whom, as of when, and its cells. */
export function periodReport<C>(r: {
  scope: { kind: 'network' | 'service' };
  q: { from: string; to: string };
  reportDate: string;
  asOf: Date | undefined;
  by: Breakdown;
  shown: { total: C; cells: C[] };
}) {
  return {
    scope: r.scope.kind,
    from: r.q.from,
    to: r.q.to,
    reportDate: r.reportDate,
    ...(r.asOf ? { asOf: r.asOf.toISOString() } : {}),
    by: r.by,
    suppression: r.scope.kind === 'network',
    total: r.shown.total,
    rows: r.by === 'total' ? [] : r.shown.cells,
  };
}

/**
 * A grouped query's rows (the total's key is NULL) as cells labelled and sorted by key. For a
 * learning-network lead (`protection` given), small cells and their partner are hidden.
 */
export function present<R extends { key: string | null }, C extends Cell>(
  rows: readonly R[],
  empty: R,
  cell: (row: R, key: string, label: string) => C,
  labels: (key: string) => string,
  protection: Protection | undefined,
): { total: C | Hidden; cells: (C | Hidden)[] } {
  const total = cell(rows.find((r) => r.key === null) ?? empty, 'total', 'Totalt');
  const cells = rows
    .filter((r): r is R & { key: string } => r.key !== null)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((r) => cell(r, r.key, labels(r.key)));
  if (!protection) return { total, cells };
  const hidden = (c: C): Hidden => ({ key: c.key, label: c.label, suppressed: true });
  const counted = (c: C) => ({ ...c, placements: c.placements ?? 0 });
  const nesting = protection.nesting;
  const result = nesting
    ? suppressNested(counted(total), cells.map(counted), nesting.parentOf, nesting.parentHidden)
    : suppress(counted(total), cells.map(counted));
  return {
    total: result.total ? total : hidden(total),
    cells: cells.map((c) => (result.hidden.has(c.key) ? hidden(c) : c)),
  };
}

/**
 * The rows of breakdown `by`. A lead's report covers the services that were in the lead's network at
 * the publication's instant, so by network it is one cell, that network, equal to the total: grouping
 * by the services' network would use today's membership.
 */
export async function grouped<R extends { key: string | null }>(
  w: Window,
  by: Breakdown,
  rowsBy: (b: Breakdown) => Promise<R[]>,
): Promise<R[]> {
  if (w.kind !== 'network' || by !== 'network') return rowsBy(by);
  const total = (await rowsBy('total')).filter((r) => r.key === null);
  return total.flatMap((t) => [t, { ...t, key: w.owner }]);
}

/** 400 naming `by` unless a report can be broken down that way (default: by service). */
export function requireBreakdown(by: string | undefined, allowed: readonly string[], detail: string): void {
  if ((allowed as readonly (string | undefined)[]).includes(by ?? 'service')) return;
  const list = `${allowed.slice(0, -1).join(', ')} eller ${allowed[allowed.length - 1]}`;
  throw new ProblemException(400, detail, [{ field: 'by', reason: `må være ${list}` }]);
}
