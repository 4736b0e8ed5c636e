import { addDays, assertIsoDate, daysInYear, diffDays, yearOf } from '../calendar/dates.js';
import type { ReductionDecision } from '../plan.js';
import { STATUTORY_MINIMUM_PER_YEAR, type IsoDate, type StatutoryKind } from '../vocabulary.js';

/**
 * Statutory minimums (forskrift om fosterhjem § 10 and the supervision rule: at least 4 per year) are
 * counted per CALENDAR year. A package rarely starts on 1 January, so it is cut into year segments and
 * each segment gets its pro-rata share. The planner and the read models' ledger share these helpers,
 * so the plan and the compliance report can never disagree on what was required.
 */
export interface YearSegment {
  readonly year: number;
  /** First active day in the year (inclusive). */
  readonly start: IsoDate;
  /** Last active day in the year (inclusive). */
  readonly end: IsoDate;
  readonly activeDays: number;
  readonly daysInYear: 365 | 366;
}

/** Cuts the inclusive period [start, end] at every 1 January. */
export function yearSegments(start: IsoDate, end: IsoDate): YearSegment[] {
  assertIsoDate(start, 'start');
  assertIsoDate(end, 'end');
  const segments: YearSegment[] = [];
  for (let year = yearOf(start); year <= yearOf(end); year += 1) {
    const segStart = year === yearOf(start) ? start : `${year}-01-01`;
    const segEnd = year === yearOf(end) ? end : `${year}-12-31`;
    segments.push({
      year,
      start: segStart,
      end: segEnd,
      activeDays: diffDays(segStart, segEnd) + 1,
      daysInYear: daysInYear(year),
    });
  }
  return segments;
}

/**
 * The days a package counts for statutory minimums: move-in (day 0) to the day before day
 * `packageDays`, i.e. exactly `packageDays` days (365 days = one year's worth of visits).
 */
export function statutoryPeriod(
  placementDate: IsoDate,
  packageDays: number,
): { start: IsoDate; end: IsoDate } {
  return { start: placementDate, end: addDays(placementDate, packageDays - 1) };
}

/**
 * The yearly minimum in force on a day: the base minimum (4), or the minimum of the recorded reduction
 * decision with the latest `effectiveFrom` on or before that day (on equal dates, the one recorded
 * last). A reduction is never inferred: only decisions passed here count.
 */
export function minimumPerYearOn(
  kind: StatutoryKind,
  date: IsoDate,
  reductions: readonly ReductionDecision[],
): number {
  let inForce: ReductionDecision | undefined;
  for (const decision of reductions) {
    if (decision.kind !== kind || decision.effectiveFrom > date) continue;
    if (!inForce || decision.effectiveFrom >= inForce.effectiveFrom) inForce = decision;
  }
  return inForce ? inForce.minimumPerYear : STATUTORY_MINIMUM_PER_YEAR[kind];
}

/**
 * Visits required in one year segment:
 *
 *   required = ceil( Σ over the segment's days of (minimum in force that day) ÷ days in that year )
 *
 * Without reductions that is ceil(4 × activeDays ÷ daysInYear): 4 for a whole year, 1 for a few days.
 * The divisor is the year's real length (365 or 366), so a whole leap year requires 4, not 5. A
 * reduction effective mid-year weighs each minimum by the days it is in force, so visits already owed
 * before the decision are never forgiven retroactively.
 *
 * @param segment one calendar year's part of the period (see {@link yearSegments}).
 */
export function statutoryRequirement(
  kind: StatutoryKind,
  segment: Pick<YearSegment, 'start' | 'end'>,
  reductions: readonly ReductionDecision[],
): number {
  const { start, end } = segment;
  assertIsoDate(start, 'segment start');
  assertIsoDate(end, 'segment end');
  if (yearOf(start) !== yearOf(end) || end < start)
    throw new RangeError(`A year segment lies within one calendar year: ${start}..${end}`);
  const breakpoints = [
    start,
    ...reductions
      .filter(
        (decision) =>
          decision.kind === kind && decision.effectiveFrom > start && decision.effectiveFrom <= end,
      )
      .map((decision) => decision.effectiveFrom),
  ].sort();
  let visitDays = 0;
  breakpoints.forEach((from, i) => {
    const to = i + 1 < breakpoints.length ? addDays(breakpoints[i + 1], -1) : end;
    if (to < from) return; // two decisions on the same day
    visitDays += minimumPerYearOn(kind, from, reductions) * (diffDays(from, to) + 1);
  });
  const divisor = daysInYear(yearOf(start));
  return Math.floor((visitDays + divisor - 1) / divisor);
}

/**
 * The interval between statutory visits that a reduced minimum allows: an even spread over a year
 * (`floor(365 ÷ minimum)`, 182 days for 2 a year), never shorter than the catalog's own interval.
 */
export function reducedIntervalDays(
  baseIntervalDays: number,
  minimumPerYear: number,
  kind: StatutoryKind,
): number {
  if (minimumPerYear >= STATUTORY_MINIMUM_PER_YEAR[kind]) return baseIntervalDays;
  return Math.max(baseIntervalDays, Math.floor(365 / minimumPerYear));
}
