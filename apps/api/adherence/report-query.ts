import type { Breakdown } from './adherence.dto.js';

/*
 * The SQL of the adherence report, built in one place: AdherenceReport (adherence-report.ts) runs it, and the adherence
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

/**
 * What the report groups by, where it differs from DIMENSION: the column in its own type (uuid, a month
 * as a timestamp), made text only once per cell. Sorting 50,000 facts by uuid::text or to_char() per row
 * cost the quarter's report a third of its time (`npm run bench:adherence`); grouping by service_id also
 * reads the rows in the order of the index.
 */
const GROUP: Partial<Record<Breakdown, { readonly by: string; readonly key: string }>> = {
  network: { by: `s.network_id`, key: DIMENSION.network },
  service: { by: `f.service_id`, key: DIMENSION.service },
  municipality: { by: `f.municipality_id`, key: DIMENSION.municipality },
  // date_trunc of a timestamp, not of a date (which would go through timestamptz and the time zone).
  month: {
    by: `date_trunc('month', f.due_on::timestamp)`,
    key: `to_char(date_trunc('month', f.due_on::timestamp), 'YYYY-MM')`,
  },
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

/**
 * The rows of a versioned read model (`alias`: adherence_facts, statutory_ledger_versions) as they stand
 * now, or as recorded at the instant in parameter `instant` (e.g. `$5`).
 */
export const validAt = (alias: string, instant?: string) =>
  instant
    ? `${alias}.recorded_from <= ${instant} AND (${alias}.recorded_to IS NULL OR ${alias}.recorded_to > ${instant})`
    : `${alias}.recorded_to IS NULL`;

/** The facts (alias f) as they stand now, or as recorded at the instant in parameter $5. */
export const validFacts = (asOf: boolean) => validAt('f', asOf ? '$5' : undefined);

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
  /** Only the placements of this municipality (a council report, apps/api/council-reports). */
  readonly municipality?: string;
}

export function reportSql(input: ReportSqlInput): { text: string; params: unknown[] } {
  const { by } = input;
  const params: unknown[] = [input.services, input.from, input.to, input.reportDate];
  const valid = validFacts(input.asOf !== undefined);
  if (input.asOf) params.push(input.asOf);
  const municipality = input.municipality
    ? ` AND f.municipality_id = $${params.push(input.municipality)}::uuid`
    : '';
  // Due in the period and before the report date; tasks that no longer apply (cancelled) do not count.
  const group = GROUP[by] ?? { by: DIMENSION[by], key: DIMENSION[by] };
  const text = `SELECT ${by === 'total' ? 'NULL' : `CASE WHEN GROUPING(${group.by}) = 1 THEN NULL ELSE ${group.key} END`} AS key,
              count(DISTINCT f.placement_id)::int AS placements,
              count(*)::int AS due,
              count(*) FILTER (WHERE f.status = 'waived')::int AS waived,
              count(*) FILTER (WHERE f.status = 'completed')::int AS completed,
              count(*) FILTER (WHERE f.status = 'completed' AND f.completed_on <= f.due_on)::int AS on_time,
              count(*) FILTER (WHERE f.status IN ('open', 'planned'))::int AS overdue,
              count(*) FILTER (WHERE f.status IN ('open', 'planned') AND $4::date - f.due_on BETWEEN 1 AND 7)::int AS overdue_1_7,
              count(*) FILTER (WHERE f.status IN ('open', 'planned') AND $4::date - f.due_on BETWEEN 8 AND 30)::int AS overdue_8_30,
              count(*) FILTER (WHERE f.status IN ('open', 'planned') AND $4::date - f.due_on > 30)::int AS overdue_over_30,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY f.completed_on - f.due_on)
                 FILTER (WHERE f.status = 'completed' AND f.completed_on > f.due_on))::float8 AS lateness_median,
              (percentile_cont(0.9) WITHIN GROUP (ORDER BY f.completed_on - f.due_on)
                 FILTER (WHERE f.status = 'completed' AND f.completed_on > f.due_on))::float8 AS lateness_p90
         FROM adherence_facts f
         LEFT JOIN services s ON s.id = f.service_id
        WHERE f.service_id = ANY($1::uuid[]) AND ${valid}
          AND f.due_on BETWEEN $2::date AND $3::date AND f.due_on < $4::date
          AND f.status <> 'cancelled'${municipality}
        GROUP BY GROUPING SETS (${by === 'total' ? '' : `(${group.by}), `}())`;
  return { text, params };
}
