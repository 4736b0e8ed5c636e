import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { suppress } from '../../../libs/adherence/index.js';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../../libs/domain/calendar/oslo-time.js';
import { norwegianWorkingDays } from '../../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../../libs/domain/catalog/default-catalog.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import type {
  AdherenceCellDto,
  AdherenceQueryDto,
  AdherenceReportDto,
  Breakdown,
  StatutoryRiskDto,
} from './adherence.dto.js';
import { reportSql, type CellRow } from './report-query.js';

const TRACK_LABELS: Record<string, string> = {
  barnet: 'Barnet',
  foreldrene: 'Foreldrene',
  fosterfamilien: 'Fosterfamilien',
  administrativt: 'Administrativt',
};
const TYPE_LABELS: Record<string, string> = {
  omsorgsovertakelse: 'Omsorgsovertakelse',
  frivillig: 'Frivillig plassering',
  akutt: 'Akuttplassering',
  'slekt-nettverk': 'Slekt og nettverk',
};
const STEP_LABELS = new Map(DEFAULT_CATALOG.steps.map((s) => [s.id, s.title]));

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

function toCell(row: CellRow, key: string, label: string): AdherenceCellDto {
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

const osloToday = () => osloWallClock(new Date().toISOString()).date;

/**
 * Adherence reports over the adherence read model (libs/projections/adherence.ts). A learning-network
 * lead sees the services of the network, aggregated and with small cells suppressed; a leader sees the
 * own service. Reports as of a past instant use the facts as they were recorded by then.
 */
@Injectable()
export class AdherenceService {
  private readonly calendar = norwegianWorkingDays();

  constructor(private readonly dataSource: DataSource) {}

  private scope(p: Scoped): { kind: 'network' | 'service'; services: string[] } {
    if (p.roles.includes('laeringsnettverksleder')) {
      if (!p.network) throw new ProblemException(403, 'Du er ikke knyttet til et læringsnettverk.');
      return { kind: 'network', services: [...p.networkServices] };
    }
    return { kind: 'service', services: [p.organisation] };
  }

  async report(p: Scoped, q: AdherenceQueryDto): Promise<AdherenceReportDto> {
    if (q.to < q.from)
      throw new ProblemException(400, 'Perioden slutter før den begynner.', [
        { field: 'to', reason: 'must not be before from' },
      ]);
    const scope = this.scope(p);
    const by = q.by ?? 'service';
    const asOf = q.asOf ? new Date(q.asOf) : undefined;
    if (asOf && asOf.getTime() > Date.now())
      throw new ProblemException(400, 'Rapporten kan ikke gjelde et tidspunkt fram i tid.', [
        { field: 'asOf', reason: 'must not be in the future' },
      ]);
    const reportDate = asOf ? osloWallClock(asOf.toISOString()).date : osloToday();
    const sql = reportSql({
      services: scope.services,
      from: q.from,
      to: q.to,
      by,
      reportDate,
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
    });
    const rows = await this.dataSource.query<CellRow[]>(sql.text, sql.params);
    const labels = await this.labels(by);
    const empty: CellRow = {
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
    const totalRow = rows.find((r) => r.key === null) ?? empty;
    const cellRows = rows
      .filter((r): r is CellRow & { key: string } => r.key !== null)
      .sort((a, b) => a.key.localeCompare(b.key));
    const total = toCell(totalRow, 'total', 'Totalt');
    const cells = cellRows.map((r) => toCell(r, r.key, labels(r.key)));
    const hiddenCell = (c: AdherenceCellDto): AdherenceCellDto => ({
      key: c.key,
      label: c.label,
      suppressed: true,
    });
    let shownTotal = total;
    let shownCells = cells;
    if (scope.kind === 'network') {
      const counted = (c: AdherenceCellDto) => ({ ...c, placements: c.placements ?? 0 });
      const result = suppress(counted(total), cells.map(counted));
      shownTotal = result.total ?? hiddenCell(total);
      shownCells = cells.map((c) => (result.hidden.has(c.key) ? hiddenCell(c) : c));
    }
    return {
      scope: scope.kind,
      from: q.from,
      to: q.to,
      reportDate,
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
      by,
      suppression: scope.kind === 'network',
      total: shownTotal,
      rows: by === 'total' ? [] : shownCells,
    };
  }

  /** The report as CSV: one line per cell, the total last; hidden cells have empty figures. */
  toCsv(report: AdherenceReportDto): string {
    const columns = [
      'key',
      'label',
      'suppressed',
      'placements',
      'due',
      'waived',
      'completed',
      'onTime',
      'onTimeRate',
      'completionRate',
      'overdue',
      'overdue1to7',
      'overdue8to30',
      'overdueOver30',
      'latenessMedianDays',
      'latenessP90Days',
      'waiverRate',
    ] as const;
    return stringify([...report.rows, report.total], {
      header: true,
      columns: [...columns],
      cast: { boolean: (v) => (v ? 'ja' : 'nei') },
    });
  }

  private async labels(by: Breakdown): Promise<(key: string) => string> {
    const table =
      by === 'service'
        ? 'services'
        : by === 'municipality'
          ? 'municipalities'
          : by === 'network'
            ? 'learning_networks'
            : undefined;
    if (table) {
      const rows = await this.dataSource.query<{ id: string; name: string }[]>(
        `SELECT id::text, name FROM ${table}`,
      );
      const names = new Map(rows.map((r) => [r.id, r.name]));
      return (key) => names.get(key) ?? (key === 'uten-nettverk' ? 'Uten nettverk' : 'Ukjent');
    }
    if (by === 'track') return (key) => TRACK_LABELS[key] ?? key;
    if (by === 'placementType') return (key) => TYPE_LABELS[key] ?? key;
    if (by === 'step') return (key) => STEP_LABELS.get(key) ?? key;
    return (key) => (key === 'total' ? 'Totalt' : key);
  }

  /**
   * Statutory early warning for a leader's service: placements whose follow-up or supervision visits for
   * the year are not yet done, while the year can still be saved (and those where it no longer can).
   * From the statutory ledger (required pro rata, reductions only as recorded decisions).
   */
  async statutoryRisk(p: Scoped, yearParam?: string): Promise<StatutoryRiskDto[]> {
    const today = osloToday();
    const year = yearParam ? Number(yearParam) : Number(today.slice(0, 4));
    const rows = await this.dataSource.query<
      {
        placement_id: string;
        kind: string;
        required: number;
        completed: number;
        planned_ahead: number;
        overdue: number;
        last_day: string;
      }[]
    >(
      `SELECT l.placement_id, l.kind, l.required, l.completed,
              (SELECT count(*)::int FROM task_inbox t
                WHERE t.placement_id = l.placement_id AND t.statutory = l.kind
                  AND t.status IN ('planned', 'open', 'due-soon') AND extract(year FROM t.due_on) = l.year) AS planned_ahead,
              (SELECT count(*)::int FROM task_inbox t
                WHERE t.placement_id = l.placement_id AND t.statutory = l.kind AND t.status = 'overdue') AS overdue,
              least(make_date(l.year, 12, 31), coalesce(p.ended_on, make_date(l.year, 12, 31)))::text AS last_day
         FROM statutory_ledger l JOIN placements p USING (placement_id)
        WHERE l.service_id = $1 AND l.year = $2 AND l.completed < l.required
          AND p.status IN ('active', 'paused')
        ORDER BY l.placement_id, l.kind`,
      [p.organisation, year],
    );
    const risks: StatutoryRiskDto[] = [];
    for (const r of rows) {
      const remaining = r.required - r.completed;
      // One visit a week at most, so the remaining visits need (remaining − 1) weeks before the last day.
      let saveBy = addDays(r.last_day, -7 * (remaining - 1));
      while (!this.calendar.isWorkingDay(saveBy)) saveBy = addDays(saveBy, -1);
      const level =
        today > saveBy
          ? 'brutt'
          : addDays(today, 30) >= saveBy
            ? 'kritisk'
            : r.overdue > 0 || r.planned_ahead < remaining
              ? 'risiko'
              : undefined;
      if (!level) continue;
      risks.push({
        placementId: r.placement_id,
        year,
        kind: r.kind,
        required: r.required,
        completed: r.completed,
        remaining,
        plannedAhead: r.planned_ahead,
        overdue: r.overdue,
        saveBy,
        level,
      });
    }
    const order = { brutt: 0, kritisk: 1, risiko: 2 } as const;
    return risks.sort((a, b) => order[a.level] - order[b.level] || a.saveBy.localeCompare(b.saveBy));
  }
}
