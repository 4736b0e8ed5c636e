import Holidays from 'date-holidays';
import type { IsoDate } from '../vocabulary.js';
import { addDays, assertIsoDate, isWeekend, yearOf } from './dates.js';

/**
 * Which days a service works. The planner depends on this interface, not on a holiday library, so tests
 * and other calendars (a municipality's own closing days) can stand in for the Norwegian default.
 */
export interface WorkingDayCalendar {
  isWorkingDay(date: IsoDate): boolean;
}

let holidayRules: Holidays | undefined;

/**
 * Norway's public holidays (helligdager and 1 and 17 May) in one year. Only `type === 'public'` counts:
 * date-holidays also lists bank days (julaften, nyttårsaften) and observances, which are working days.
 */
export function norwegianPublicHolidays(year: number): ReadonlySet<IsoDate> {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Invalid year: ${year}`);
  holidayRules ??= new Holidays('NO');
  const dates = holidayRules
    .getHolidays(year)
    .filter((holiday) => holiday.type === 'public')
    .map((holiday) => holiday.date.slice(0, 10));
  return new Set(dates);
}

/**
 * Days Norwegian public services are closed or half-staffed although they are not public holidays:
 * Christmas Eve and New Year's Eve (half days). No visit, supervision or meeting is due on them by
 * default; a child-welfare service adds its own closure days (`ServiceCalendar`).
 */
export const DEFAULT_CLOSURE_DAYS: readonly string[] = ['12-24', '12-31'];

export interface WorkingDayOptions {
  /** The service's own closure days (`YYYY-MM-DD`), on top of the defaults. */
  readonly closureDays?: Iterable<IsoDate>;
}

/**
 * Monday to Friday except Norwegian public holidays, Christmas Eve and New Year's Eve, and the given
 * closure days. Holidays are computed once per year (Easter moves every year, so they cannot be a fixed
 * list) and each answer once per date, cached in the returned calendar: the planner asks about the same
 * dates many times.
 */
export function norwegianWorkingDays(options: WorkingDayOptions = {}): WorkingDayCalendar {
  const closures = new Set<IsoDate>();
  for (const day of options.closureDays ?? []) {
    assertIsoDate(day, 'closure day');
    closures.add(day);
  }
  const byYear = new Map<number, ReadonlySet<IsoDate>>();
  const holidaysIn = (year: number): ReadonlySet<IsoDate> => {
    let holidays = byYear.get(year);
    if (!holidays) {
      holidays = new Set([
        ...norwegianPublicHolidays(year),
        ...DEFAULT_CLOSURE_DAYS.map((monthDay) => `${year}-${monthDay}`),
      ]);
      byYear.set(year, holidays);
    }
    return holidays;
  };
  const byDate = new Map<IsoDate, boolean>();
  return {
    isWorkingDay(date: IsoDate): boolean {
      let working = byDate.get(date);
      if (working === undefined) {
        working = !isWeekend(date) && !holidaysIn(yearOf(date)).has(date) && !closures.has(date);
        byDate.set(date, working);
      }
      return working;
    },
  };
}

/**
 * Where a due date lands on a real working day.
 *
 * A due date on a weekend, public holiday or closure day moves to the nearest EARLIER working day that
 * is not before the task opens (a deadline moved earlier is still met). It is never moved later: one
 * moved later would silently grant extra time (four days without a phone call to a newly placed child
 * when the day-1 call fell on Good Friday). When the task's whole window up to the nominal date has no
 * working day, it stays on its nominal day.
 */
export function moveToWorkingDay(nominal: IsoDate, opensOn: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  assertIsoDate(nominal, 'due date');
  assertIsoDate(opensOn, 'opening date');
  return latestWorkingDay(opensOn, nominal, calendar) ?? nominal;
}

/** The latest working day in [from, to], if there is one. */
export function latestWorkingDay(
  from: IsoDate,
  to: IsoDate,
  calendar: WorkingDayCalendar,
  allowed: (day: IsoDate) => boolean = () => true,
): IsoDate | undefined {
  for (let day = to; day >= from; day = addDays(day, -1)) {
    if (calendar.isWorkingDay(day) && allowed(day)) return day;
  }
  return undefined;
}
