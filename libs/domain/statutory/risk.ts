import { addDays } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import type { IsoDate } from '../vocabulary.js';

/** How far behind a placement is on one statutory duty for one year. */
export type StatutoryRiskLevel = 'brutt' | 'kritisk' | 'risiko';

export interface StatutoryStanding {
  /** From the statutory ledger (`statutoryRequirement`) for the year. */
  readonly required: number;
  readonly completed: number;
  /** Visits planned or open, due from the report date to the end of the year. */
  readonly plannedAhead: number;
  /** Visits planned or open and due before the report date. */
  readonly overdue: number;
  /** The last day the placement can be visited in the year: 31 December, or the day it ended. */
  readonly lastDay: IsoDate;
}

export interface StatutoryRisk {
  readonly remaining: number;
  /** The last working day by which the remaining visits can still all be made, one a week at most. */
  readonly saveBy: IsoDate;
  /** Absent: on track. */
  readonly level?: StatutoryRiskLevel;
}

/**
 * The early warning's rule for one placement, duty and year, as of `reportDate`:
 * - `brutt` (breached): the save-by day has passed, the year can no longer be met;
 * - `kritisk`: the save-by day is within 30 days;
 * - `risiko`: a visit is overdue, or fewer visits are planned ahead than remain;
 * otherwise on track. The remaining visits need (remaining − 1) weeks before the last day, so the
 * save-by day is that many weeks before it, moved back to a working day. Nothing remains: on track.
 */
export function statutoryRisk(
  standing: StatutoryStanding,
  reportDate: IsoDate,
  calendar: WorkingDayCalendar,
): StatutoryRisk {
  const remaining = Math.max(0, standing.required - standing.completed);
  let saveBy = addDays(standing.lastDay, -7 * Math.max(0, remaining - 1));
  while (!calendar.isWorkingDay(saveBy)) saveBy = addDays(saveBy, -1);
  if (remaining === 0) return { remaining, saveBy };
  const level: StatutoryRiskLevel | undefined =
    reportDate > saveBy
      ? 'brutt'
      : addDays(reportDate, 30) >= saveBy
        ? 'kritisk'
        : standing.overdue > 0 || standing.plannedAhead < remaining
          ? 'risiko'
          : undefined;
  return level ? { remaining, saveBy, level } : { remaining, saveBy };
}
