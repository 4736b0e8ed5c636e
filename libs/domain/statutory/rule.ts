import { addDays, assertIsoDate, daysInYear, diffDays, yearOf, type DateRange } from '../calendar/dates.js';
import type { ReductionDecision } from '../plan.js';
import {
  STATUTORY_MINIMUM_PER_YEAR,
  type IsoDate,
  type PlacementFacts,
  type StatutoryKind,
} from '../vocabulary.js';

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
 * `packageDays`, i.e. exactly `packageDays` days (365 days = one year's worth of visits), made longer by
 * the days of each finished pause (a resume moves the remaining work on by the pause's length).
 */
export function statutoryPeriod(
  placementDate: IsoDate,
  packageDays: number,
  pauses: readonly DateRange[] = [],
): { start: IsoDate; end: IsoDate } {
  const paused = pauses.reduce((days, pause) => days + diffDays(pause.from, pause.to) + 1, 0);
  return { start: placementDate, end: addDays(placementDate, packageDays - 1 + paused) };
}

/**
 * Whether a statutory duty applies to a placement at all: follow-up visits always, supervision until the
 * child turns 18 (LAW: "fra plasseringen til barnet fyller 18 år"). The catalog's conditions say the same
 * for its steps (`childMaxAge: 17`); the ledger asks the law, not the catalog.
 */
export function statutoryDutyApplies(
  kind: StatutoryKind,
  facts: Pick<PlacementFacts, 'childAgeYears'>,
): boolean {
  return kind !== 'tilsynsbesok' || !(facts.childAgeYears >= SUPERVISION_ENDS_AT_AGE);
}

/** Supervision (tilsyn) is owed until the child turns 18. */
export const SUPERVISION_ENDS_AT_AGE = 18;

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
 * THE statutory rule (shared/domain/omsorgspakken.md §8), the one function the planner, the statutory
 * ledger, the early warning and the adherence compliance figure all call:
 *
 *   required(year) = round-half-up( Σ over the segment's active days of (minimum in force that day)
 *                                   ÷ days in that year )
 *
 * Without reductions or pauses that is round-half-up(4 × activeDays ÷ daysInYear): exactly 4 for any
 * whole year (a leap year too), 2 for 1 July–31 December of a leap year (184 days), 0 for a segment of
 * fewer than 46 days. Active days are the segment's days outside `pauses`. A reduction effective mid-year
 * weighs each minimum by the days it is in force, so visits owed before the decision are never forgiven.
 * Integer arithmetic: the rounding cannot drift with floating point.
 *
 * @param segment one calendar year's part of the period (see {@link yearSegments}).
 */
export function statutoryRequirement(
  kind: StatutoryKind,
  segment: Pick<YearSegment, 'start' | 'end'>,
  reductions: readonly ReductionDecision[],
  pauses: readonly DateRange[] = [],
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
    visitDays += minimumPerYearOn(kind, from, reductions) * activeDays({ from, to }, pauses);
  });
  const divisor = daysInYear(yearOf(start));
  return Math.floor((2 * visitDays + divisor) / (2 * divisor));
}

/** Days of `range` (inclusive) outside every pause. */
export function activeDays(range: DateRange, pauses: readonly DateRange[] = []): number {
  let days = diffDays(range.from, range.to) + 1;
  for (const pause of pauses) {
    const from = pause.from > range.from ? pause.from : range.from;
    const to = pause.to < range.to ? pause.to : range.to;
    if (from <= to) days -= diffDays(from, to) + 1;
  }
  return Math.max(0, days);
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

/** The last day of a month given as `YYYY-MM`. */
export function lastDayOfMonth(month: string): IsoDate {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`Invalid month: ${month}`);
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/** What bounds a placement's statutory duties beyond the package (ordinary follow-up). */
export interface DutyBounds {
  readonly placementDate: IsoDate;
  /** The last day the statutory period reaches (31 December of the last planned year, or the package's end). */
  readonly periodEnd: IsoDate;
  /** The placement's last active day, when it has ended. */
  readonly endedOn?: IsoDate | null;
  /** `YYYY-MM`: supervision is owed to the end of this month (the month the child turns 18). */
  readonly supervisionEndsMonth?: string;
}

/**
 * The one calendar year's segment a statutory duty counts for a placement: from move-in (or 1 January) to
 * 31 December, cut at the statutory period's end, at the placement's end, and for supervision at the end
 * of the month it stops. The planner of ordinary follow-up and the statutory ledger both take
 * `statutoryRequirement` over exactly this segment, so the package's part of a year and the ordinary part
 * are counted together, never as two rounded halves. Null when the duty has no day in that year.
 */
export function dutySegment(kind: StatutoryKind, year: number, bounds: DutyBounds): YearSegment | null {
  let end = bounds.periodEnd;
  if (bounds.endedOn && bounds.endedOn < end) end = bounds.endedOn;
  if (kind === 'tilsynsbesok' && bounds.supervisionEndsMonth) {
    const last = lastDayOfMonth(bounds.supervisionEndsMonth);
    if (last < end) end = last;
  }
  const start = bounds.placementDate > `${year}-01-01` ? bounds.placementDate : `${year}-01-01`;
  if (end > `${year}-12-31`) end = `${year}-12-31`;
  if (end < start) return null;
  return { year, start, end, activeDays: diffDays(start, end) + 1, daysInYear: daysInYear(year) };
}
