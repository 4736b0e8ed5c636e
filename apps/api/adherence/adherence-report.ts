import { Injectable } from '@nestjs/common';
import type { Scoped } from '../../../libs/security/index.js';
import type { AdherenceCellDto, AdherenceQueryDto, AdherenceReportDto, Breakdown } from './adherence.dto.js';
import { grouped, periodReport, present, rate } from './report-cells.js';
import { reportSql, type CellRow } from './report-query.js';
import { ReportReader } from './report-reader.js';
import { ReportWindows, type Window } from './report-window.js';

export const EMPTY_CELL_ROW: CellRow = {
  key: null,
  placements: 0,
  due: 0,
  waived: 0,
  completed: 0,
  on_time: 0,
  overdue: 0,
  overdue_1_7: 0,
  overdue_8_30: 0,
  overdue_over_30: 0,
  lateness_median: null,
  lateness_p90: null,
};

/** A row of the report's query as its cell (exported for the council report). */
export function toCell(row: CellRow, key: string, label: string): AdherenceCellDto {
  const applicable = row.due - row.waived;
  return {
    key,
    label,
    suppressed: false,
    placements: row.placements,
    due: row.due,
    waived: row.waived,
    completed: row.completed,
    onTime: row.on_time,
    onTimeRate: rate(row.on_time, applicable),
    completionRate: rate(row.completed, applicable),
    overdue: row.overdue,
    overdue1to7: row.overdue_1_7,
    overdue8to30: row.overdue_8_30,
    overdueOver30: row.overdue_over_30,
    latenessMedianDays: row.lateness_median,
    latenessP90Days: row.lateness_p90,
    waiverRate: rate(row.waived, row.due),
  };
}

/**
 * The adherence report (GET /api/adherence/report): the tasks due in the period, before the report
 * date, over the adherence read model (libs/projections/adherence.ts; its SQL in report-query.ts): on
 * time, completed, waived, overdue by age, lateness. A learning-network lead sees the services of the
 * network as published, aggregated and with small cells suppressed; a leader sees the own service, live
 * or as of a past instant (the facts as they were recorded by then).
 */
@Injectable()
export class AdherenceReport {
  constructor(
    private readonly windows: ReportWindows,
    private readonly reader: ReportReader,
  ) {}

  async report(p: Scoped, q: AdherenceQueryDto): Promise<AdherenceReportDto> {
    // Tasks due in the period: only a change to those facts can change a leader's report.
    const w = await this.windows.period(p, q, 'report', true);
    return this.reader.cached('report', w, q, () => this.compute(w, q));
  }

  private async compute(w: Window, q: AdherenceQueryDto): Promise<AdherenceReportDto> {
    const by = q.by ?? 'service';
    const { reportDate, asOf } = w;
    const scope = await w.scope();
    const rowsBy = (b: Breakdown) => {
      const sql = reportSql({
        services: scope.services,
        from: q.from,
        to: q.to,
        by: b,
        reportDate,
        ...(asOf ? { asOf: asOf.toISOString() } : {}),
      });
      return this.reader.aggregate<CellRow>(sql.text, sql.params);
    };
    const [rows, labels, protection] = await Promise.all([
      grouped(w, by, rowsBy),
      this.reader.labels(by),
      this.reader.protection(scope, by, rowsBy),
    ]);
    const shown = present(rows, EMPTY_CELL_ROW, toCell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }
}
