import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { statutoryRisk } from '../../../libs/domain/statutory/risk.js';
import type { Scoped } from '../../../libs/security/index.js';
import type { StatutoryRiskDto, StatutoryRiskQueryDto } from './adherence.dto.js';
import { validAt } from './report-query.js';
import { asOfInstant, reportDateOf } from './report-window.js';

/** A placement's standing on one statutory duty for a year, as the read models hold it. */
export interface StandingRow {
  placement_id: string;
  kind: string;
  required: number;
  completed: number;
  waived: number;
  planned_ahead: number;
  overdue: number;
  last_day: string;
}

/** Planned or open visits of the ledger row's placement and kind (alias l), as of `instant`. */
const openVisits = (instant: string | undefined) =>
  `FROM adherence_facts f
                WHERE f.placement_id = l.placement_id AND f.statutory = l.kind AND ${validAt('f', instant)}
                  AND f.status IN ('planned', 'open')`;

/**
 * The columns of a placement's standing on one duty for the year (ledger alias l), at the report date
 * ($3), from the versions valid at `instant` (or the current ones): the early warning's input, shared
 * by the risk list and the statutory status page (statutory-status.ts).
 */
export const standingColumns = (instant: string | undefined) =>
  `l.placement_id::text AS placement_id, l.kind, l.required, l.completed, l.waived,
              (SELECT count(*)::int ${openVisits(instant)} AND f.due_on >= $3::date
                  AND extract(year FROM f.due_on) = l.year) AS planned_ahead,
              (SELECT count(*)::int ${openVisits(instant)} AND f.due_on < $3::date) AS overdue,
              (SELECT min(f.due_on)::text ${openVisits(instant)}) AS next_due,
              least(make_date(l.year, 12, 31), coalesce(l.ended_on, make_date(l.year, 12, 31)))::text AS last_day`;

/**
 * The SQL of the standing of each placement ($1: the service) and kind of visit short of its
 * requirement for the year ($2), at the report date ($3), from the versions valid at `instant` (or the
 * current ones). Every year of a running placement counts, not only its package's: a placement whose
 * package is completed goes on in ordinary follow-up and still owes its visits (status `completed`). An
 * ended placement leaves the list (nothing can be done for it any more); the status list
 * (statutory-status.ts) keeps it for the years it was active.
 */
const standingSql = (instant: string | undefined) =>
  `SELECT ${standingColumns(instant)}
         FROM statutory_ledger_versions l
        WHERE l.service_id = $1 AND l.year = $2 AND ${validAt('l', instant)} AND l.completed < l.required
          AND l.status IN ('active', 'paused', 'completed')
        ORDER BY l.placement_id, l.kind`;

/**
 * Statutory early warning for a leader's service (GET /api/adherence/statutory-risk): placements whose
 * follow-up or supervision visits for the year are not yet done, while the year can still be saved (and
 * those where it no longer can); the rule (save-by date, levels) is the domain's, next to the statutory
 * rule (libs/domain/statutory/risk.ts). From the versioned read models (statutory_ledger_versions,
 * adherence_facts), the current versions or those valid at the asked instant, in one query: the list as
 * of an instant is the list this endpoint gave at that instant, counted up to that instant's date in
 * Oslo (the report date).
 *
 * A visit is overdue when it is planned or open and due before the report date (any year). This
 * replaces the inbox's 'overdue' status (task_inbox has no history), which the workflow's timer sets at
 * 00:00 Oslo the day after the due date: the two differ where that timer has not fired, i.e. while the
 * placement is paused (no timer moves then) or the worker is behind. Likewise a visit is planned ahead
 * when it is planned or open and due from the report date to the end of the year.
 *
 * A waived visit (co-signed by a leader) leaves `overdue` and `plannedAhead` at once and is counted in
 * `waived`, but it is not a visit: the one statutory rule (../shared/domain/omsorgspakken.md §8) lowers
 * the requirement only through a recorded reduction decision, so the year still needs its visits and
 * the level says how urgent they are.
 */
@Injectable()
export class StatutoryRiskReport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: ServiceCalendars,
  ) {}

  async statutoryRisk(p: Scoped, q: StatutoryRiskQueryDto): Promise<StatutoryRiskDto[]> {
    const asOf = asOfInstant(q.asOf);
    const reportDate = reportDateOf(asOf);
    const year = q.year ? Number(q.year) : Number(reportDate.slice(0, 4));
    const params: unknown[] = [p.organisation, year, reportDate];
    if (asOf) params.push(asOf.toISOString());
    const rows = await this.dataSource.query<StandingRow[]>(standingSql(asOf ? '$4' : undefined), params);
    const risks: StatutoryRiskDto[] = [];
    const calendar = await this.calendars.forService(p.organisation);
    for (const r of rows) {
      const { remaining, saveBy, level } = statutoryRisk(
        {
          required: r.required,
          completed: r.completed,
          plannedAhead: r.planned_ahead,
          overdue: r.overdue,
          lastDay: r.last_day,
        },
        reportDate,
        calendar,
      );
      if (!level) continue;
      risks.push({
        placementId: r.placement_id,
        year,
        kind: r.kind,
        required: r.required,
        completed: r.completed,
        waived: r.waived,
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
