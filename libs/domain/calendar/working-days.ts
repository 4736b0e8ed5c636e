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
 * Monday to Friday except Norwegian public holidays. Holidays are computed once per year (Easter moves
 * every year, so they cannot be a fixed list) and each answer once per date, cached in the returned
 * calendar: the planner asks about the same dates many times.
 */
export function norwegianWorkingDays(): WorkingDayCalendar {
  const byYear = new Map<number, ReadonlySet<IsoDate>>();
  const holidaysIn = (year: number): ReadonlySet<IsoDate> => {
    let holidays = byYear.get(year);
    if (!holidays) {
      holidays = norwegianPublicHolidays(year);
      byYear.set(year, holidays);
    }
    return holidays;
  };
  const byDate = new Map<IsoDate, boolean>();
  return {
    isWorkingDay(date: IsoDate): boolean {
      let working = byDate.get(date);
      if (working === undefined) {
        working = !isWeekend(date) && !holidaysIn(yearOf(date)).has(date);
        byDate.set(date, working);
      }
      return working;
    },
  };
}

/** No calendar has this many non-working days in a row; a longer search means a broken calendar. */
const MAX_SEARCH_DAYS = 366;

/**
 * Where a due date lands on a real working day.
 *
 * A due date on a weekend or public holiday moves to the nearest EARLIER working day that is not before
 * the task opens (a deadline moved earlier is still met; one moved later would silently grant extra
 * time, which for statutory visits may push a visit out of its year). Only when the task's whole window
 * up to the nominal date has no working day does it move to the next working day after it.
 */
export function moveToWorkingDay(nominal: IsoDate, opensOn: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  assertIsoDate(nominal, 'due date');
  assertIsoDate(opensOn, 'opening date');
  if (calendar.isWorkingDay(nominal)) return nominal;
  for (let day = addDays(nominal, -1); day >= opensOn; day = addDays(day, -1)) {
    if (calendar.isWorkingDay(day)) return day;
  }
  let day = nominal;
  for (let i = 0; i < MAX_SEARCH_DAYS; i += 1) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) return day;
  }
  throw new RangeError(`No working day within ${MAX_SEARCH_DAYS} days after ${nominal}`);
}
