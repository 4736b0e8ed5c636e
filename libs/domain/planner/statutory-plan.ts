import { addDays, diffDays, maxDate } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import type { Catalog } from '../catalog/types.js';
import type { PlannedTask, ReductionDecision } from '../plan.js';
import type { IsoDate, PlacementFacts, StatutoryKind } from '../vocabulary.js';
import { occurrenceDays, type IntervalRule } from './occurrences.js';
import {
  minimumPerYearOn,
  reducedIntervalDays,
  statutoryPeriod,
  statutoryRequirement,
  yearSegments,
  type YearSegment,
} from './statutory.js';
import { datesFor, plannedTask } from './task.js';
import type { TimerSettings } from './timers.js';

export interface StatutoryPlanContext {
  readonly catalog: Catalog;
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
  readonly packageDays: number;
  readonly calendar: WorkingDayCalendar;
  readonly settings: TimerSettings;
}

/**
 * Plans the visits of one statutory kind so that every calendar-year segment of the package meets its
 * minimum. The rule, in order:
 *
 * 1. Applicability: the kind is planned only if at least one of its steps applies to the placement
 *    (e.g. supervision stops at 18); if none does, nothing is required here.
 * 2. Cadence: each applicable step of the kind is planned from its catalog offset and recurrence.
 *    A recorded reduction lengthens the interval for visits whose nominal date falls on or after its
 *    `effectiveFrom` to `max(interval, floor(365 ÷ reduced minimum))`; visits before it are untouched.
 * 3. Fill-in: for each year segment (see `statutoryPeriod`, `yearSegments`), tasks are counted by their
 *    final due date; while the count is below `statutoryRequirement`, one extra visit is INSERTED (the
 *    cadence is never shifted, so the ids and dates of planned visits stay stable) in the middle of the
 *    largest gap between the segment's visits and its edges, on the working day nearest that middle that
 *    no visit already uses. Only a segment without any working day (a weekend or holiday sliver at the
 *    year's edge) gets its visit on a non-working day, since the law counts calendar years.
 * 4. Extras belong to the kind's first recurring step (else its last applicable step), numbered after
 *    that step's cadence occurrences in date order; they are due on their own date (nominal = due) and
 *    open `windowDays` earlier, but not before move-in.
 */
export function planStatutoryVisits(kind: StatutoryKind, ctx: StatutoryPlanContext): PlannedTask[] {
  const { catalog, facts, reductions, packageDays, calendar, settings } = ctx;
  const steps = catalog.steps.flatMap((step) => {
    if (step.statutory !== kind || step.anchor.kind !== 'placement') return [];
    const offset = effectiveOffsetDays(step, facts);
    return offset === null ? [] : [{ step, offset }];
  });
  if (steps.length === 0) return [];

  const placementDate = facts.placementDate;
  const slowerAfterReduction: IntervalRule = (base, previousDay) =>
    reducedIntervalDays(
      base,
      minimumPerYearOn(kind, addDays(placementDate, previousDay + base), reductions),
      kind,
    );
  const cadence = steps.flatMap(({ step, offset }) =>
    occurrenceDays(offset, step.recurrence, packageDays, slowerAfterReduction).map((day, i) =>
      plannedTask(
        step,
        i + 1,
        datesFor(step, addDays(placementDate, day), calendar),
        catalog.version,
        settings,
      ),
    ),
  );

  const fillStep = (steps.find(({ step }) => step.recurrence) ?? steps[steps.length - 1]).step;
  const cadenceCount = cadence.filter((task) => task.stepId === fillStep.id).length;
  const extras = fillInDueDates(
    kind,
    cadence.map((task) => task.dueOn),
    statutoryPeriod(placementDate, packageDays),
    reductions,
    calendar,
  ).map((dueOn, i) =>
    plannedTask(
      fillStep,
      cadenceCount + i + 1,
      { opensOn: maxDate(placementDate, addDays(dueOn, -fillStep.windowDays)), nominalDueOn: dueOn, dueOn },
      catalog.version,
      settings,
    ),
  );
  return [...cadence, ...extras];
}

/** Due dates of the extra visits that bring every year segment up to its requirement, in date order. */
export function fillInDueDates(
  kind: StatutoryKind,
  plannedDueDates: readonly IsoDate[],
  period: { start: IsoDate; end: IsoDate },
  reductions: readonly ReductionDecision[],
  calendar: WorkingDayCalendar,
): IsoDate[] {
  const extras: IsoDate[] = [];
  for (const segment of yearSegments(period.start, period.end)) {
    const required = statutoryRequirement(kind, segment, reductions);
    const taken = plannedDueDates.filter((date) => date >= segment.start && date <= segment.end);
    while (taken.length < required) {
      const day = fillDay(segment, taken, calendar);
      taken.push(day);
      extras.push(day);
    }
  }
  return extras.sort();
}

/** The middle of the segment's largest gap, moved to the nearest free working day in the segment. */
function fillDay(segment: YearSegment, taken: readonly IsoDate[], calendar: WorkingDayCalendar): IsoDate {
  const points = [addDays(segment.start, -1), ...[...new Set(taken)].sort(), addDays(segment.end, 1)];
  let gapStart = points[0];
  let gapLength = -1;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const length = diffDays(points[i], points[i + 1]);
    if (length > gapLength) [gapStart, gapLength] = [points[i], length];
  }
  const middle = addDays(gapStart, Math.floor(gapLength / 2));
  const candidate = middle < segment.start ? segment.start : middle > segment.end ? segment.end : middle;
  const free = (day: IsoDate): boolean =>
    day >= segment.start && day <= segment.end && !taken.includes(day) && calendar.isWorkingDay(day);
  for (let distance = 0; distance < segment.activeDays; distance += 1) {
    const earlier = addDays(candidate, -distance);
    if (free(earlier)) return earlier;
    const later = addDays(candidate, distance);
    if (free(later)) return later;
  }
  return candidate;
}
