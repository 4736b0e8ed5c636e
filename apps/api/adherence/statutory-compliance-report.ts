import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Scoped } from '../../../libs/security/index.js';
import type { Breakdown, StatutoryComplianceDto, StatutoryComplianceQueryDto } from './adherence.dto.js';
import { grouped, present, rate } from './report-cells.js';
import { DIMENSION, validAt } from './report-query.js';
import { ReportReader } from './report-reader.js';
import { ReportWindows, type Window } from './report-window.js';

interface ComplianceRow {
  key: string | null;
  placements: number;
  follow_up: number;
  supervision: number;
}

const EMPTY: ComplianceRow = { key: null, placements: 0, follow_up: 0, supervision: 0 };

const toCell = (r: ComplianceRow, key: string, label: string) => ({
  key,
  label,
  suppressed: false,
  placements: r.placements,
  followUpCompliant: r.follow_up,
  followUpRate: rate(r.follow_up, r.placements),
  supervisionCompliant: r.supervision,
  supervisionRate: rate(r.supervision, r.placements),
});

/**
 * The SQL of statutory compliance grouped by `dimension` (over the ledger, alias l): placements
 * ($1: the services) active in the year ($2) with every required visit of each kind, from the ledger's
 * versions valid as `valid` says.
 */
const complianceSql = (dimension: string, valid: string) =>
  `WITH l AS (
           SELECT l.placement_id, l.service_id, l.municipality_id, s.network_id,
                  bool_and(l.completed >= l.required) FILTER (WHERE l.kind = 'oppfolgingsbesok') AS follow_up,
                  bool_and(l.completed >= l.required) FILTER (WHERE l.kind = 'tilsynsbesok') AS supervision
             FROM statutory_ledger_versions l LEFT JOIN services s ON s.id = l.service_id
            WHERE l.service_id = ANY($1::uuid[]) AND l.year = $2 AND ${valid} AND l.active_days > 0
            GROUP BY l.placement_id, l.service_id, l.municipality_id, s.network_id),
         k AS (SELECT ${dimension.replace('s.network_id', 'l.network_id')} AS key, l.* FROM l)
         SELECT CASE WHEN GROUPING(key) = 1 THEN NULL ELSE key END AS key,
                count(*)::int AS placements,
                count(*) FILTER (WHERE coalesce(follow_up, true))::int AS follow_up,
                count(*) FILTER (WHERE coalesce(supervision, true))::int AS supervision
           FROM k GROUP BY GROUPING SETS ((key), ())`;

/**
 * Statutory visit compliance for a calendar year (GET /api/adherence/statutory-compliance, §7.5):
 * placements active in the year with at least the required follow-up visits (oppfølgingsbesøk) and
 * supervision visits (tilsynsbesøk), required pro rata to the active days and reduced only by recorded
 * decisions (the statutory ledger). For the running year the visits so far are compared with the whole
 * year's requirement. From the ledger's versions (statutory_ledger_versions): the current ones, or those
 * valid at the asked instant, with a lead's network as it was then. A leader's year is live or as of an
 * instant; a learning-network lead's a finished year as published (ReportWindows.year).
 */
@Injectable()
export class StatutoryComplianceReport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly windows: ReportWindows,
    private readonly reader: ReportReader,
  ) {}

  async statutoryCompliance(p: Scoped, q: StatutoryComplianceQueryDto): Promise<StatutoryComplianceDto> {
    const { year, window: w } = await this.windows.year(p, q);
    return this.reader.cached('statutory-compliance', w, { ...q, year }, () => this.compute(w, q, year));
  }

  private async compute(
    w: Window,
    q: StatutoryComplianceQueryDto,
    year: number,
  ): Promise<StatutoryComplianceDto> {
    const by = q.by ?? 'service';
    const { asOf } = w;
    const scope = await w.scope();
    const params: unknown[] = [scope.services, year];
    if (asOf) params.push(asOf.toISOString());
    const valid = validAt('l', asOf ? '$3' : undefined);
    const rowsBy = (b: Breakdown) => {
      const dimension = b === 'total' ? `'total'` : DIMENSION[b].replaceAll('f.', 'l.');
      return this.dataSource.query<ComplianceRow[]>(complianceSql(dimension, valid), params);
    };
    const [rows, protection] = await Promise.all([
      grouped(w, by, rowsBy),
      this.reader.protection(scope, by, rowsBy),
    ]);
    const labels = await this.reader.labels(by);
    const shown = present(rows, EMPTY, toCell, labels, protection);
    return {
      scope: scope.kind,
      year,
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
      by,
      suppression: scope.kind === 'network',
      total: shown.total,
      rows: by === 'total' ? [] : shown.cells,
    };
  }
}
