import { addDays, maxDate } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import type { Catalog, StepDefinition } from '../catalog/types.js';
import type { PlannedTask, ReductionDecision } from '../plan.js';
import type { IsoDate, PlacementFacts, StatutoryKind } from '../vocabulary.js';
import { occurrenceDays, type IntervalRule } from './occurrences.js';
import {
  minimumPerYearOn,
  reducedIntervalDays,
  statutoryPeriod,
  statutoryRequirement,
  yearSegments,
} from '../statutory/rule.js';
import { datesFor, plannedTask, type TaskDates } from './task.js';
import type { TimerSettings } from './timers.js';

export interface StatutoryPlanContext {
  readonly catalog: Catalog;
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
  readonly packageDays: number;
  readonly calendar: WorkingDayCalendar;
  readonly settings: TimerSettings;
}

/** One visit of the cadence: the `occurrence`-th of its step, `day` days after move-in. */
interface Slot {
  readonly step: StepDefinition;
  readonly occurrence: number;
  readonly day: number;
  dates: TaskDates;
}

/**
 * Plans the visits of one statutory kind so that every calendar-year segment of the package meets its
 * minimum. The rule, in order:
 *
 * 1. Applicability: the kind is planned only if at least one of its steps applies to the placement
 *    (e.g. supervision stops at 18); if none does, nothing is required here.
 * 2. Cadence: each applicable step of the kind is planned from its catalog offset and recurrence, each
 *    occurrence a slot with a stable id (`${step}#${occurrence}`). A recorded reduction lengthens the
 *    interval for visits whose nominal date falls on or after its `effectiveFrom` to
 *    `max(interval, floor(365 ÷ reduced minimum))`; visits before it are untouched.
 * 3. Pull, never pad: the year segments (see `statutoryPeriod`, `yearSegments`) are checked in date
 *    order; while a segment has fewer visits due than `statutoryRequirement`, the nearest cadence visit
 *    after it (a later visit of the package, or the next one the cadence would have after the package)
 *    is pulled earlier into it, onto the segment's last working day that no visit of the kind uses.
 *    A pulled visit keeps its cadence id, so a re-plan finds the same slot under the same task. It is
 *    due on its new date (nominal = due) and opens `windowDays` earlier, but not before move-in.
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
  // The cadence runs on past the package: its next visits are the ones a short year pulls in (two years
  // on, enough for the longest interval a reduction to one visit a year gives).
  const horizon = packageDays + 2 * 366;
  const slots: Slot[] = steps.flatMap(({ step, offset }) =>
    occurrenceDays(offset, step.recurrence, horizon, slowerAfterReduction).map((day, i) => ({
      step,
      occurrence: i + 1,
      day,
      dates: datesFor(step, addDays(placementDate, day), calendar),
    })),
  );
  const planned = new Set(slots.filter((slot) => slot.day <= packageDays));
  const byDue = (a: Slot, b: Slot) =>
    a.dates.dueOn < b.dates.dueOn ? -1 : a.dates.dueOn > b.dates.dueOn ? 1 : 0;

  for (const segment of yearSegments(...periodOf(placementDate, packageDays))) {
    const required = statutoryRequirement(kind, segment, reductions);
    const inSegment = () =>
      [...planned].filter((s) => s.dates.dueOn >= segment.start && s.dates.dueOn <= segment.end);
    while (inSegment().length < required) {
      const nearest = slots.filter((s) => s.dates.dueOn > segment.end).sort(byDue)[0];
      if (!nearest) break;
      const taken = new Set(inSegment().map((s) => s.dates.dueOn));
      const target = latestDay(
        segment.start,
        segment.end,
        (day) => !taken.has(day) && calendar.isWorkingDay(day),
      );
      // A segment without a free working day (a weekend or holiday sliver at the year's edge) still gets
      // its visit on its last day, since the law counts calendar years.
      const dueOn = target ?? segment.end;
      nearest.dates = {
        opensOn: maxDate(placementDate, addDays(dueOn, -nearest.step.windowDays)),
        nominalDueOn: dueOn,
        dueOn,
      };
      planned.add(nearest);
    }
  }
  return [...planned].map((slot) =>
    plannedTask(slot.step, slot.occurrence, slot.dates, catalog.version, settings),
  );
}

function periodOf(placementDate: IsoDate, packageDays: number): [IsoDate, IsoDate] {
  const { start, end } = statutoryPeriod(placementDate, packageDays);
  return [start, end];
}

/** The latest day in [from, to] that passes `ok`, if any. */
function latestDay(from: IsoDate, to: IsoDate, ok: (day: IsoDate) => boolean): IsoDate | undefined {
  for (let day = to; day >= from; day = addDays(day, -1)) if (ok(day)) return day;
  return undefined;
}
