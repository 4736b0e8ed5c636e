import type { IsoDate } from '../vocabulary.js';

/**
 * Arithmetic on Europe/Oslo calendar dates (`YYYY-MM-DD`). A calendar date has no time of day, so the
 * arithmetic counts whole days and never passes through an instant: a daylight-saving change in Oslo
 * can never shift a date by one.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/*
 * The built-ins the hot paths use, bound once: inside a vm context (Jest runs every test file in one)
 * each lookup of a global such as `Math` or `Number` goes through the context's interceptor and costs
 * ~200 ns, ten times the date arithmetic itself; the planner's sweep test makes millions of them.
 */
const { floor } = Math;
const { isInteger, isNaN: isNotANumber } = Number;

/** A run of calendar days, both ends included. */
export interface DateRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * A plan converts the same few hundred dates back and forth thousands of times, so both directions
 * are memoised (bounded; the results of pure functions cannot go stale).
 */
const MAX_CACHED_DATES = 100_000;
const dayNumbers = new Map<string, number>();
const isoDates = new Map<number, IsoDate>();
function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= MAX_CACHED_DATES) cache.clear();
  cache.set(key, value);
}

/**
 * Days since 1970-01-01 of a valid date, or NaN. Pure integer arithmetic (H. Hinnant's
 * days-from-civil): the planner does date arithmetic thousands of times per plan, and building `Date`
 * objects and ISO strings for each step dominated its run time.
 */
function dayNumber(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const cached = dayNumbers.get(value);
  if (cached !== undefined) return cached;
  const days = parseDayNumber(value);
  remember(dayNumbers, value, days);
  if (!isNotANumber(days)) remember(isoDates, days, value);
  return days;
}

function parseDayNumber(value: string): number {
  const match = ISO_DATE.exec(value);
  if (!match) return NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floor(yearOfEra / 4) - floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of {@link dayNumber} (civil-from-days). */
function fromDayNumber(days: number): IsoDate {
  const cached = isoDates.get(days);
  if (cached !== undefined) return cached;
  const date = formatDayNumber(days);
  remember(isoDates, days, date);
  remember(dayNumbers, date, days);
  return date;
}

function formatDayNumber(days: number): IsoDate {
  const z = days + 719_468;
  const era = floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = floor(
    (dayOfEra - floor(dayOfEra / 1460) + floor(dayOfEra / 36_524) - floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
  const mp = floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) throw new RangeError(`Date out of range (years 1000–9999): day ${days}`);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (daysInYear(year) === 366 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects `2026-02-30`). */
export function isIsoDate(value: unknown): value is IsoDate {
  return !isNotANumber(dayNumber(value));
}

/** Throws a RangeError unless `value` is a valid `YYYY-MM-DD` date: bad dates fail loudly, never drift. */
export function assertIsoDate(value: unknown, what = 'date'): asserts value is IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`Invalid ${what}: ${String(value)} (expected YYYY-MM-DD)`);
}

function checkedDayNumber(date: IsoDate): number {
  const days = dayNumber(date);
  if (isNotANumber(days)) throw new RangeError(`Invalid date: ${String(date)} (expected YYYY-MM-DD)`);
  return days;
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!isInteger(days)) throw new RangeError(`addDays needs whole days, got ${days}`);
  return fromDayNumber(checkedDayNumber(date) + days);
}

/** Whole days from `from` to `to`: positive when `to` is later, so `addDays(from, diffDays(from, to)) === to`. */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return checkedDayNumber(to) - checkedDayNumber(from);
}

/** ISO weekday of a calendar date (1 = Monday … 7 = Sunday), the same in every time zone. */
export function dayOfWeek(date: IsoDate): IsoWeekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return (((((checkedDayNumber(date) + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

export function isWeekend(date: IsoDate): boolean {
  return dayOfWeek(date) >= 6;
}

export function yearOf(date: IsoDate): number {
  assertIsoDate(date);
  return Number(date.slice(0, 4));
}

export function daysInYear(year: number): 365 | 366 {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** `YYYY-MM-DD` strings sort chronologically, so plain string order is date order. */
export const compareDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
