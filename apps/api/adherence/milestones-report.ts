import { Injectable } from '@nestjs/common';
import type { Scoped } from '../../../libs/security/index.js';
import type { AdherenceQueryDto, Breakdown, MilestoneCellDto, MilestoneReportDto } from './adherence.dto.js';
import { grouped, periodReport, present, rate, requireBreakdown } from './report-cells.js';
import { DIMENSION, validFacts } from './report-query.js';
import { ReportReader } from './report-reader.js';
import { ReportWindows, type Scope, type Window } from './report-window.js';

/** The breakdowns of the cohort reports that are not by month. */
const MILESTONE_BREAKDOWNS = ['total', 'network', 'service', 'municipality', 'placementType'] as const;

interface MilestoneRow {
  key: string | null;
  placements: number;
  reached90: number;
  complete90: number;
  reached182: number;
  complete182: number;
  reached365: number;
  complete365: number;
  contact_median: number | null;
  visit_median: number | null;
  visits: number;
  visits_within7: number;
}

const EMPTY: MilestoneRow = {
  key: null,
  placements: 0,
  reached90: 0,
  complete90: 0,
  reached182: 0,
  complete182: 0,
  reached365: 0,
  complete365: 0,
  contact_median: null,
  visit_median: null,
  visits: 0,
  visits_within7: 0,
};

const toCell = (r: MilestoneRow, key: string, label: string): MilestoneCellDto => ({
  key,
  label,
  suppressed: false,
  placements: r.placements,
  reached90: r.reached90,
  completeRate90: rate(r.complete90, r.reached90),
  reached182: r.reached182,
  completeRate182: rate(r.complete182, r.reached182),
  reached365: r.reached365,
  completeRate365: rate(r.complete365, r.reached365),
  firstContactMedianDays: r.contact_median,
  firstVisitMedianDays: r.visit_median,
  firstVisitWithin7Rate: rate(r.visits_within7, r.visits),
});

/**
 * The milestones query's parameters: the services, the period ($2, $3) of placement dates, the report
 * date ($4) and the instant of the facts ($5, when asked); and its filter of the facts valid then.
 */
function facts(w: Window, scope: Scope, q: { from: string; to: string }) {
  const params: unknown[] = [scope.services, q.from, q.to, w.reportDate];
  if (w.asOf) params.push(w.asOf.toISOString());
  return { params, valid: validFacts(w.asOf !== undefined) };
}

/** The SQL of the milestones of the placements that began in the period, grouped by `key`. */
const milestonesSql = (key: string, valid: string) =>
  `WITH f AS (
         SELECT f.* , ${key} AS key FROM adherence_facts f LEFT JOIN services s ON s.id = f.service_id
          WHERE f.service_id = ANY($1::uuid[]) AND ${valid}
            AND f.placement_date BETWEEN $2::date AND $3::date AND f.status <> 'cancelled'),
       per AS (
         SELECT placement_id, min(key) AS key, min(placement_date) AS pd,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 90) AS done90,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 182) AS done182,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 365) AS done365,
                min(completed_on - placement_date) FILTER (WHERE step_id = 'kontakt-dag1' AND status = 'completed') AS contact_days,
                min(completed_on - placement_date) FILTER (WHERE step_id = 'besok-uke1' AND status = 'completed') AS visit_days
           FROM f GROUP BY placement_id)
       SELECT CASE WHEN GROUPING(key) = 1 THEN NULL ELSE key END AS key,
              count(*)::int AS placements,
              count(*) FILTER (WHERE pd + 90 < $4::date)::int AS reached90,
              count(*) FILTER (WHERE pd + 90 < $4::date AND coalesce(done90, true))::int AS complete90,
              count(*) FILTER (WHERE pd + 182 < $4::date)::int AS reached182,
              count(*) FILTER (WHERE pd + 182 < $4::date AND coalesce(done182, true))::int AS complete182,
              count(*) FILTER (WHERE pd + 365 < $4::date)::int AS reached365,
              count(*) FILTER (WHERE pd + 365 < $4::date AND coalesce(done365, true))::int AS complete365,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY contact_days))::float8 AS contact_median,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY visit_days))::float8 AS visit_median,
              count(*) FILTER (WHERE visit_days IS NOT NULL)::int AS visits,
              count(*) FILTER (WHERE visit_days <= 7)::int AS visits_within7
         FROM per GROUP BY GROUPING SETS ((key), ())`;

/**
 * Package milestones (GET /api/adherence/milestones) for placements that began in the period: how many
 * reached day 90, 182 and 365 by the report date with every task due by then done or waived (§7.11), and
 * first-contact speed (§7.6): median days from the placement to the first completed contact by the
 * foster-home resource and to the first home visit, and the share of first visits within 7 days. A
 * cohort report: a lead's quarter is published a year after it ended (ReportWindows).
 */
@Injectable()
export class MilestonesReport {
  constructor(
    private readonly windows: ReportWindows,
    private readonly reader: ReportReader,
  ) {}

  async milestones(p: Scoped, q: AdherenceQueryDto): Promise<MilestoneReportDto> {
    requireBreakdown(
      q.by,
      MILESTONE_BREAKDOWNS,
      'Milepæler kan bare brytes ned på nettverk, tjeneste, kommune eller plasseringstype.',
    );
    const w = await this.windows.period(p, q, 'cohort');
    return this.reader.cached('milestones', w, q, () => this.compute(w, q));
  }

  private async compute(w: Window, q: AdherenceQueryDto): Promise<MilestoneReportDto> {
    const by = q.by ?? 'service';
    const { reportDate, asOf } = w;
    const scope = await w.scope();
    const { valid, params } = facts(w, scope, q);
    const rowsBy = (b: Breakdown) =>
      this.reader.aggregate<MilestoneRow>(
        milestonesSql(b === 'total' ? `'total'` : DIMENSION[b], valid),
        params,
      );
    const [rows, labels, protection] = await Promise.all([
      grouped(w, by, rowsBy),
      this.reader.labels(by),
      this.reader.protection(scope, by, rowsBy),
    ]);
    const shown = present(rows, EMPTY, toCell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }
}
