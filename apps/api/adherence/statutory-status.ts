import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { DEFAULT_PLANNING_POLICY } from '../../../libs/domain/plan.js';
import { statutoryRisk } from '../../../libs/domain/statutory/risk.js';
import { STATUTORY_KINDS } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import { reportDateOf } from './report-window.js';
import { standingColumns, type StandingRow } from './statutory-risk-report.js';
import {
  type DutyStatusDto,
  type PlacementStatusDto,
  type StandingStatus,
  type StatusCountsDto,
  type StatutoryStatusPageDto,
  type StatutoryStatusQueryDto,
} from './statutory-status.dto.js';

interface StatusRow extends StandingRow {
  planned: number;
  next_due: string | null;
  municipality_id: string;
  municipality: string | null;
  placement_date: string;
  ledger_status: string;
  ended_on: string | null;
}

/**
 * Every placement of the service ($1) with active days in the year ($2), one row per duty, with its
 * standing at the report date ($3): the current versions of the statutory ledger (the read model of
 * libs/domain/statutory/ledger.ts) and of the adherence facts, as the early warning reads them.
 */
const statusSql = `SELECT ${standingColumns(undefined)}, l.planned,
              l.municipality_id::text AS municipality_id, m.name AS municipality,
              p.placement_date::text AS placement_date, l.status AS ledger_status, l.ended_on::text AS ended_on
         FROM statutory_ledger_versions l
         JOIN placements p ON p.placement_id = l.placement_id
         LEFT JOIN municipalities m ON m.id = l.municipality_id
        WHERE l.service_id = $1 AND l.year = $2 AND l.recorded_to IS NULL AND l.active_days > 0`;

/** Worst first: the order of the default sort and of a placement's overall status. */
const RANK: Record<StandingStatus, number> = { bak: 0, 'i-fare': 1, 'i-rute': 2, fullfort: 3 };
const LEVEL_RANK = { brutt: 0, kritisk: 1, risiko: 2 } as const;

const emptyCounts = (): StatusCountsDto => ({ bak: 0, 'i-fare': 0, 'i-rute': 0, fullfort: 0 });

/** A duty's status from the early warning: done, behind (the year is lost), at risk, or on track. */
function statusOf(remaining: number, level: DutyStatusDto['level']): StandingStatus {
  if (remaining === 0) return 'fullfort';
  if (level === 'brutt') return 'bak';
  return level ? 'i-fare' : 'i-rute';
}

/**
 * The phase a placement is in on `date`: within its care package (the package's days from the
 * placement date), or in ordinary follow-up after it (a package recorded as completed is past too).
 */
function phaseOn(placementDate: string, ledgerStatus: string, date: string): 'pakke' | 'ordinaer' {
  if (ledgerStatus === 'completed') return 'ordinaer';
  return date < addDays(placementDate, DEFAULT_PLANNING_POLICY.packageDays) ? 'pakke' : 'ordinaer';
}

/** The earliest of the unfinished duties' save-by days (for the default sort), else far ahead. */
const firstSaveBy = (p: PlacementStatusDto) =>
  p.duties
    .filter((d) => d.remaining > 0)
    .map((d) => d.saveBy)
    .sort()[0] ?? '9999-12-31';

const worstLevel = (p: PlacementStatusDto) =>
  Math.min(3, ...p.duties.map((d) => (d.level ? LEVEL_RANK[d.level] : 3)));

const byId = (a: PlacementStatusDto, b: PlacementStatusDto) => a.placementId.localeCompare(b.placementId);

const byRisk = (a: PlacementStatusDto, b: PlacementStatusDto) =>
  RANK[a.status] - RANK[b.status] ||
  worstLevel(a) - worstLevel(b) ||
  firstSaveBy(a).localeCompare(firstSaveBy(b)) ||
  byId(a, b);

const nextDueOf = (p: PlacementStatusDto) =>
  p.duties
    .map((d) => d.nextDue)
    .filter((d): d is string => d !== null)
    .sort()[0] ?? '9999-12-31';

const SORTS = {
  risk: byRisk,
  nextDue: (a, b) => nextDueOf(a).localeCompare(nextDueOf(b)) || byRisk(a, b),
  municipality: (a, b) => (a.municipality ?? '').localeCompare(b.municipality ?? '', 'nb') || byRisk(a, b),
  placementDate: (a, b) => a.placementDate.localeCompare(b.placementDate) || byId(a, b),
} satisfies Record<string, (a: PlacementStatusDto, b: PlacementStatusDto) => number>;

/**
 * This year's (or a past year's) statutory status of every placement of a service
 * (GET /api/statutory-status): per placement and duty (follow-up and supervision visits), the one
 * statutory rule's requirement, what was done, planned and waived (the statutory ledger's read model,
 * as the domain's `statutoryLedger` makes it for every year it covers), the next visit due and the
 * early warning's level (libs/domain/statutory/risk.ts, on the same standing the risk list reads). For
 * a past year the report date is still today: its visits are as recorded now, and a year that fell
 * short is behind (`bak`) for good.
 *
 * The service's placements are few enough (hundreds) to be ranked in memory: the totals are over all
 * of them, and the page is a slice of a total order (ties by placement id), so paging is stable.
 */
@Injectable()
export class StatutoryStatusReport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: ServiceCalendars,
  ) {}

  /** Every matching placement, ranked, with the service's totals (unpaged: the CSV takes them all). */
  async all(
    p: Scoped,
    q: StatutoryStatusQueryDto,
  ): Promise<{
    year: number;
    reportDate: string;
    totals: StatutoryStatusPageDto['totals'];
    rows: PlacementStatusDto[];
  }> {
    const reportDate = reportDateOf(undefined);
    const year = q.year ?? Number(reportDate.slice(0, 4));
    if (q.municipality) await this.knownMunicipality(q.municipality);
    const [rows, calendar] = await Promise.all([
      this.dataSource.query<StatusRow[]>(statusSql, [p.organisation, year, reportDate]),
      this.calendars.forService(p.organisation),
    ]);
    const placements = new Map<string, PlacementStatusDto>();
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
      let placement = placements.get(r.placement_id);
      if (!placement) {
        const end = [reportDate, `${year}-12-31`, ...(r.ended_on ? [r.ended_on] : [])].sort()[0];
        placement = {
          placementId: r.placement_id,
          municipalityId: r.municipality_id,
          municipality: r.municipality,
          placementDate: r.placement_date,
          phase: phaseOn(r.placement_date, r.ledger_status, end),
          endedOn: r.ended_on,
          status: 'fullfort',
          duties: [],
        };
        placements.set(r.placement_id, placement);
      }
      const status = statusOf(remaining, level);
      placement.duties.push({
        kind: r.kind,
        required: r.required,
        completed: r.completed,
        planned: r.planned,
        waived: r.waived,
        remaining,
        plannedAhead: r.planned_ahead,
        overdue: r.overdue,
        nextDue: r.next_due,
        saveBy,
        ...(level ? { level } : {}),
        status,
      });
      if (RANK[status] < RANK[placement.status]) placement.status = status;
    }
    const all = [...placements.values()];
    for (const placement of all)
      placement.duties.sort(
        (a, b) => STATUTORY_KINDS.indexOf(a.kind as never) - STATUTORY_KINDS.indexOf(b.kind as never),
      );
    const totals = {
      placements: all.length,
      oppfolgingsbesok: emptyCounts(),
      tilsynsbesok: emptyCounts(),
      overall: emptyCounts(),
    };
    for (const placement of all) {
      totals.overall[placement.status] += 1;
      for (const duty of placement.duties)
        if (duty.kind === 'oppfolgingsbesok' || duty.kind === 'tilsynsbesok')
          totals[duty.kind][duty.status] += 1;
    }
    const statusFor = (x: PlacementStatusDto) =>
      q.kind ? x.duties.find((d) => d.kind === q.kind)?.status : x.status;
    const matching = all
      .filter((x) => !q.municipality || x.municipalityId === q.municipality)
      .filter((x) => !q.kind || x.duties.some((d) => d.kind === q.kind))
      .filter((x) => !q.status || statusFor(x) === q.status)
      .sort(SORTS[q.sort ?? 'risk']);
    return { year, reportDate, totals, rows: matching };
  }

  /** One page of `all`. */
  async page(p: Scoped, q: StatutoryStatusQueryDto): Promise<StatutoryStatusPageDto> {
    const { rows, ...rest } = await this.all(p, q);
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 25;
    return { ...rest, matching: rows.length, offset, limit, rows: rows.slice(offset, offset + limit) };
  }

  /** 400 naming `municipality` when no municipality has the id. */
  private async knownMunicipality(id: string): Promise<void> {
    const [found] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM municipalities WHERE id = $1`, [
      id,
    ]);
    if (!found)
      throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
        { field: 'municipality', reason: 'er ingen kjent kommune' },
      ]);
  }
}
