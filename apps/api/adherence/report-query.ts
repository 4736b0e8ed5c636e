import type { Breakdown } from './adherence.dto.js';

/*
 * The SQL of the adherence report, built in one place: AdherenceService runs it, and the adherence
 * benchmark (bench/adherence.mjs) runs the very same text and parameters directly against PostgreSQL
 * as its ceiling.
 */

/** The SQL expression of each breakdown over the facts (alias f) and their service (alias s). */
export const DIMENSION: Record<Breakdown, string> = {
  total: ``, // the total alone
  network: `coalesce(s.network_id::text, 'uten-nettverk')`,
  service: `f.service_id::text`,
  municipality: `f.municipality_id::text`,
  track: `f.track`,
  step: `f.step_id`,
  placementType: `f.placement_type`,
  month: `to_char(f.due_on, 'YYYY-MM')`,
};

/** One row per cell, and the total with key NULL. */
export interface CellRow {
  key: string | null;
  placements: number;
  due: number;
  waived: number;
  completed: number;
  on_time: number;
  overdue: number;
  overdue_1_7: number;
  overdue_8_30: number;
  overdue_over_30: number;
  lateness_median: number | null;
  lateness_p90: number | null;
}

/** The facts (alias f) as they stand now, or as recorded at the instant in parameter $5. */
export const validFacts = (asOf: boolean) =>
  asOf ? `f.recorded_from <= $5 AND (f.recorded_to IS NULL OR f.recorded_to > $5)` : `f.recorded_to IS NULL`;

export interface ReportSqlInput {
  /** The services in scope (a leader's own, or a network's). */
  readonly services: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly by: Breakdown;
  /** Tasks count once due before this date (the report's date in Oslo). */
  readonly reportDate: string;
  /** The facts as recorded at this instant (ISO 8601); the current facts when absent. */
  readonly asOf?: string;
}

/*
 * Two phases, so that PostgreSQL can hash instead of sort: the tasks are first counted per cell and
 * placement (one row per placement in a cell), then per cell: the number of placements is then a plain
 * count, where count(DISTINCT placement_id) sorted every cell's rows. The total counts each placement once
 * over all cells. Lateness percentiles need the late completions alone, a small share of the rows.
 */
export function reportSql(input: ReportSqlInput): { text: string; params: unknown[] } {
  const { by } = input;
  const params: unknown[] = [input.services, input.from, input.to, input.reportDate];
  const valid = validFacts(input.asOf !== undefined);
  if (input.asOf) params.push(input.asOf);
  const key = by === 'total' ? `NULL::text` : DIMENSION[by];
  const counts = [
    'due',
    'waived',
    'completed',
    'on_time',
    'overdue',
    'overdue_1_7',
    'overdue_8_30',
    'overdue_over_30',
  ] as const;
  const sums = counts.map((c) => `coalesce(sum(${c}), 0)::int`).join(', ');
  const percentiles = `(percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness))::float8 AS lateness_median,
              (percentile_cont(0.9) WITHIN GROUP (ORDER BY lateness))::float8 AS lateness_p90`;
  // Due in the period and before the report date; tasks that no longer apply (cancelled) do not count.
  const text = `WITH f AS MATERIALIZED (
         SELECT ${key} AS key, f.placement_id, f.status, f.due_on, f.completed_on
           FROM adherence_facts f
           LEFT JOIN services s ON s.id = f.service_id
          WHERE f.service_id = ANY($1::uuid[]) AND ${valid}
            AND f.due_on BETWEEN $2::date AND $3::date AND f.due_on < $4::date
            AND f.status <> 'cancelled'),
       per AS (
         SELECT key, placement_id,
                count(*) AS due,
                count(*) FILTER (WHERE status = 'waived') AS waived,
                count(*) FILTER (WHERE status = 'completed') AS completed,
                count(*) FILTER (WHERE status = 'completed' AND completed_on <= due_on) AS on_time,
                count(*) FILTER (WHERE status IN ('open', 'planned')) AS overdue,
                count(*) FILTER (WHERE status IN ('open', 'planned') AND $4::date - due_on BETWEEN 1 AND 7) AS overdue_1_7,
                count(*) FILTER (WHERE status IN ('open', 'planned') AND $4::date - due_on BETWEEN 8 AND 30) AS overdue_8_30,
                count(*) FILTER (WHERE status IN ('open', 'planned') AND $4::date - due_on > 30) AS overdue_over_30
           FROM f GROUP BY key, placement_id),
       total AS (
         SELECT placement_id, sum(due) AS due, sum(waived) AS waived, sum(completed) AS completed,
                sum(on_time) AS on_time, sum(overdue) AS overdue, sum(overdue_1_7) AS overdue_1_7,
                sum(overdue_8_30) AS overdue_8_30, sum(overdue_over_30) AS overdue_over_30
           FROM per GROUP BY placement_id),
       cells (key, placements, ${counts.join(', ')}) AS (
         ${by === 'total' ? '' : `SELECT key, count(*)::int AS placements, ${sums} FROM per GROUP BY key UNION ALL`}
         SELECT NULL, count(*)::int, ${sums} FROM total),
       late AS (
         SELECT ${by === 'total' ? 'NULL::text' : 'CASE WHEN GROUPING(key) = 1 THEN NULL ELSE key END'} AS key, ${percentiles}
           FROM (SELECT key, completed_on - due_on AS lateness FROM f
                  WHERE status = 'completed' AND completed_on > due_on) l
          ${by === 'total' ? '' : 'GROUP BY GROUPING SETS ((key), ())'})
       SELECT c.key, c.placements, c.due, c.waived, c.completed, c.on_time, c.overdue, c.overdue_1_7,
              c.overdue_8_30, c.overdue_over_30, l.lateness_median, l.lateness_p90
         FROM cells c LEFT JOIN late l ON l.key IS NOT DISTINCT FROM c.key`;
  return { text, params };
}
