import { addDays, maxDate, minDate } from '../calendar/dates.js';
import { latestWorkingDay, type WorkingDayCalendar } from '../calendar/working-days.js';
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
  const notBefore = (step: StepDefinition): IsoDate => earliestVisitDay(step, ctx);
  const slots: Slot[] = steps.flatMap(({ step, offset }) =>
    occurrenceDays(offset, step.recurrence, horizon, slowerAfterReduction).map((day, i) => ({
      step,
      occurrence: i + 1,
      day,
      dates: visitDates(step, addDays(placementDate, day), notBefore(step), calendar),
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
      const from = maxDate(segment.start, notBefore(nearest.step));
      const dueOn = latestWorkingDay(from, segment.end, calendar, (day) => !taken.has(day));
      if (!dueOn) break; // no allowed working day left in the segment (the sweep test shows none lacks one)
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

/**
 * The first day a visit of `step` may be due: never on the move-in day (the child has just arrived), and
 * for a step with `dueAfterStep` (supervision) only after that step is due (the supervisor appointed).
 */
function earliestVisitDay(step: StepDefinition, ctx: StatutoryPlanContext): IsoDate {
  const { catalog, facts, calendar } = ctx;
  let earliest = addDays(facts.placementDate, 1);
  const before = step.dueAfterStep ? catalog.steps.find((s) => s.id === step.dueAfterStep) : undefined;
  const offset = before ? effectiveOffsetDays(before, facts) : null;
  if (before && offset !== null) {
    const appointed = datesFor(before, addDays(facts.placementDate, offset), calendar).dueOn;
    earliest = maxDate(earliest, addDays(appointed, 1));
  }
  return earliest;
}

/**
 * A statutory visit's dates: due on the latest working day from `notBefore` up to its nominal date, so
 * never later than the cadence asks and never on a non-working day; it opens `windowDays` before the
 * nominal date, or on the due day if that is earlier still. A nominal date before `notBefore` (a catalog
 * whose cadence starts before the supervisor is due) moves to the first working day from `notBefore`.
 */
function visitDates(
  step: StepDefinition,
  nominal: IsoDate,
  notBefore: IsoDate,
  calendar: WorkingDayCalendar,
): TaskDates {
  const window = addDays(nominal, -step.windowDays);
  const dueOn = latestWorkingDay(notBefore, nominal, calendar) ?? firstWorkingDay(notBefore, calendar);
  const nominalDueOn = maxDate(nominal, dueOn);
  return { opensOn: minDate(window, dueOn), nominalDueOn, dueOn };
}

function firstWorkingDay(from: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  let day = from;
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

function periodOf(placementDate: IsoDate, packageDays: number): [IsoDate, IsoDate] {
  const { start, end } = statutoryPeriod(placementDate, packageDays);
  return [start, end];
}
