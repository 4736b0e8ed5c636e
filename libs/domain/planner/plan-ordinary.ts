import {
  addDays,
  assertIsoDate,
  diffDays,
  maxDate,
  minDate,
  yearOf,
  type DateRange,
} from '../calendar/dates.js';
import { latestWorkingDay, type WorkingDayCalendar } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import { ordinaryFollowUpOf } from '../catalog/default-catalog.js';
import type { Catalog, StepDefinition } from '../catalog/types.js';
import {
  DEFAULT_PLANNING_POLICY,
  type PlannedTask,
  type PlanningPolicy,
  type ReductionDecision,
} from '../plan.js';
import {
  dutySegment,
  minimumPerYearOn,
  reducedIntervalDays,
  statutoryDutyApplies,
  statutoryRequirement,
} from '../statutory/rule.js';
import { STATUTORY_KINDS, type IsoDate, type PlacementFacts, type StatutoryKind } from '../vocabulary.js';
import { checkFacts, checkPolicy, checkReductions, timerSettings } from './inputs.js';
import { byDueThenId, datesFor, plannedTask, type TaskDates } from './task.js';

/** A statutory visit the placement already has (the package's, an earlier year's, one done before registration). */
export interface CountedVisit {
  readonly kind: StatutoryKind;
  readonly dueOn: IsoDate;
  readonly completedOn?: IsoDate;
}

/** A visit done this year before the placement was registered (registration with followUp 'ordinary'). */
export interface DoneVisit {
  readonly kind: StatutoryKind;
  readonly on: IsoDate;
}

export interface OrdinaryYearInput {
  readonly facts: PlacementFacts;
  readonly reductions: readonly ReductionDecision[];
  readonly pauses?: readonly DateRange[];
  readonly year: number;
  /** The first day a task of the year may be due: the day ordinary follow-up starts in it, or 1 January. */
  readonly from: IsoDate;
  /** `YYYY-MM`: supervision is owed to the end of this month. Absent: to the placement's end. */
  readonly supervisionEndsMonth?: string;
  /** Statutory visits the placement already has (not cancelled), of any year. */
  readonly visits: readonly CountedVisit[];
  readonly doneThisYear?: readonly DoneVisit[];
  readonly policy?: PlanningPolicy;
}

export interface OrdinaryYearPlan {
  readonly year: number;
  /** `statutoryRequirement` over the year's whole segment of each duty (package part and ordinary part together). */
  readonly required: Readonly<Record<StatutoryKind, number>>;
  readonly tasks: readonly PlannedTask[];
  /** The tasks (among `tasks`) that stand for visits done before registration, and the day each was done. */
  readonly done: readonly { readonly taskId: string; readonly completedOn: IsoDate }[];
}

/** Occurrence numbers of ordinary tasks name their year: the n-th of 2027 is 202701 (`…#202701`). */
export const ordinaryOccurrence = (year: number, n: number): number => year * 100 + n;

/**
 * One calendar year of ordinary follow-up (catalog part `ordinaryFollowUp`, or the built-in one), pure:
 *
 * - Statutory visits, per kind: the year's requirement is `statutoryRequirement` over `dutySegment` (from
 *   move-in or 1 January to 31 December, cut at supervision's last month); the visits the placement already
 *   has due in the year (the package's, those done before registration) count, and only the rest is
 *   planned. The cadence continues from the last visit (its completion day, else its due day), every
 *   `recurrence.intervalDays` (longer after a reduction: `reducedIntervalDays`), never before `from`;
 *   where the cadence leaves the year short, the missing visits are spread evenly over what is left of it.
 *   Each is due on the latest working day (service calendar) from `from` to its nominal date that no
 *   other visit of the kind uses (if none, the first one after it in the year), and opens `windowDays`
 *   before, not before `from`.
 * - Other placement-anchored steps (the yearly evaluation): once, on the placement's anniversary in the
 *   year plus `offsetDays`, when that is not before `from` and the step applies; due on a working day not
 *   before `from` and opening not before it.
 * - Steps anchored on a completion follow each completed visit (`planFollowUps`), as in the package.
 *
 * Task ids are `${stepId}#${year}${nn}` (`ordinaryOccurrence`): stable, and unique across the years.
 */
export function planOrdinaryYear(
  catalog: Catalog,
  input: OrdinaryYearInput,
  calendar: WorkingDayCalendar,
): OrdinaryYearPlan {
  const { facts, reductions, year, from } = input;
  const policy = input.policy ?? DEFAULT_PLANNING_POLICY;
  checkFacts(facts);
  checkReductions(reductions);
  checkPolicy(policy);
  assertIsoDate(from, 'from');
  if (yearOf(from) !== year) throw new RangeError(`from (${from}) lies outside ${year}`);
  const settings = timerSettings(catalog, policy);
  const steps = ordinaryFollowUpOf(catalog).steps;
  const bounds = {
    placementDate: facts.placementDate,
    periodEnd: `${year}-12-31`,
    supervisionEndsMonth: input.supervisionEndsMonth,
  };

  const tasks: PlannedTask[] = [];
  const done: { taskId: string; completedOn: IsoDate }[] = [];
  const required = { oppfolgingsbesok: 0, tilsynsbesok: 0 } as Record<StatutoryKind, number>;

  for (const kind of STATUTORY_KINDS) {
    const step = steps.find((s) => s.statutory === kind && s.anchor.kind === 'placement');
    const segment = dutySegment(kind, year, bounds);
    if (!step || !segment || effectiveOffsetDays(step, facts) === null) continue;
    if (!statutoryDutyApplies(kind, facts)) continue;
    required[kind] = statutoryRequirement(kind, segment, reductions, input.pauses ?? []);
    const doneHere = (input.doneThisYear ?? [])
      .filter((d) => d.kind === kind)
      .map((d) => d.on)
      .sort();
    let n = 0;
    for (const on of doneHere) {
      const task = plannedTask(
        step,
        ordinaryOccurrence(year, ++n),
        { opensOn: on, nominalDueOn: on, dueOn: on },
        catalog.version,
        settings,
      );
      tasks.push(task);
      done.push({ taskId: task.taskId, completedOn: on });
    }
    const earlier = input.visits.filter((v) => v.kind === kind);
    const counted = earlier.filter((v) => yearOf(v.dueOn) === year).length + doneHere.length;
    const missing = required[kind] - counted;
    const notBefore = maxDate(segment.start, from);
    if (missing <= 0 || notBefore > segment.end) continue;
    const last = [...earlier.map((v) => v.completedOn ?? v.dueOn), ...doneHere].sort().at(-1);
    const nominals = visitNominals(step, kind, reductions, last, notBefore, segment.end, missing);
    const taken = new Set([...earlier.map((v) => v.dueOn), ...doneHere]);
    for (const nominal of nominals) {
      const free = (day: IsoDate) => !taken.has(day);
      const dueOn =
        latestWorkingDay(notBefore, nominal, calendar, free) ??
        firstWorkingDay(nominal, segment.end, calendar, free);
      if (!dueOn) break; // no working day left in the year's segment
      taken.add(dueOn);
      const dates: TaskDates = {
        opensOn: maxDate(from, minDate(dueOn, addDays(nominal, -step.windowDays))),
        nominalDueOn: maxDate(nominal, dueOn),
        dueOn,
      };
      tasks.push(plannedTask(step, ordinaryOccurrence(year, ++n), dates, catalog.version, settings));
    }
  }

  for (const step of steps) {
    if (step.statutory || step.anchor.kind !== 'placement') continue;
    const offset = effectiveOffsetDays(step, facts);
    if (offset === null) continue;
    const nominal = addDays(anniversary(facts.placementDate, year), offset);
    if (nominal < from || yearOf(nominal) !== year || nominal <= facts.placementDate) continue;
    // A due day moved back to an earlier working day must still not lie before `from` (an anniversary on
    // the Saturday a child is registered would otherwise start overdue): then the first working day after.
    const moved = datesFor(step, nominal, calendar);
    const dueOn =
      moved.dueOn >= from ? moved.dueOn : firstWorkingDay(from, `${year}-12-31`, calendar, () => true);
    if (!dueOn) continue;
    const dates: TaskDates = {
      opensOn: maxDate(from, moved.opensOn),
      nominalDueOn: maxDate(nominal, dueOn),
      dueOn,
    };
    tasks.push(plannedTask(step, ordinaryOccurrence(year, 1), dates, catalog.version, settings));
  }
  return { year, required, tasks: tasks.sort(byDueThenId), done };
}

/**
 * The nominal dates of the `missing` visits: the cadence from the last visit (or, with none, a window's
 * length after `notBefore`), every interval, within [notBefore, end]; when that gives too few, an even
 * spread over [notBefore, end] instead.
 */
function visitNominals(
  step: StepDefinition,
  kind: StatutoryKind,
  reductions: readonly ReductionDecision[],
  last: IsoDate | undefined,
  notBefore: IsoDate,
  end: IsoDate,
  missing: number,
): IsoDate[] {
  const base = step.recurrence?.intervalDays ?? 91;
  const interval = (on: IsoDate) => reducedIntervalDays(base, minimumPerYearOn(kind, on, reductions), kind);
  const cadence: IsoDate[] = [];
  let next = last ? addDays(last, interval(last)) : addDays(notBefore, Math.min(step.windowDays, base));
  if (next < notBefore) next = notBefore;
  while (next <= end && cadence.length < missing) {
    cadence.push(next);
    next = addDays(next, interval(next));
  }
  if (cadence.length === missing) return cadence;
  const span = diffDays(notBefore, end);
  return Array.from({ length: missing }, (_, i) =>
    addDays(notBefore, Math.floor(((i + 1) * span) / missing)),
  );
}

/** The first working day in [from, to] that `allowed` accepts, if there is one. */
function firstWorkingDay(
  from: IsoDate,
  to: IsoDate,
  calendar: WorkingDayCalendar,
  allowed: (day: IsoDate) => boolean,
): IsoDate | undefined {
  for (let day = from; day <= to; day = addDays(day, 1))
    if (calendar.isWorkingDay(day) && allowed(day)) return day;
  return undefined;
}

/** The placement's anniversary in `year` (29 February falls on 28 February in other years). */
function anniversary(placementDate: IsoDate, year: number): IsoDate {
  const monthDay = placementDate.slice(5);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return `${year}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}
