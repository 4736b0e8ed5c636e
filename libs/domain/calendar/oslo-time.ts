import { TZDate } from '@date-fns/tz';
import type { IsoDate, IsoInstant } from '../vocabulary.js';
import { assertIsoDate } from './dates.js';

/** The time zone of every Norwegian child-welfare service: dates and wall-clock times are Oslo's. */
export const OSLO_TIME_ZONE = 'Europe/Oslo';

/**
 * Time-zone lookups are the planner's main cost (tens of microseconds each, four per task), and plans
 * are recomputed on every change and workflow replay, so results are memoised. The cache is bounded; a
 * pure function's cache cannot change any result.
 */
const MAX_CACHED_DATES = 50_000;
const instantCache = new Map<IsoDate, Map<number, IsoInstant>>();

/**
 * The instant at which the Oslo wall clock shows `hour:minute` on `date`, as ISO 8601 UTC.
 *
 * Timers must fire at the same wall-clock time all year (07:00 is 06:00Z in winter and 05:00Z in
 * summer), so the offset is looked up for that very day rather than assumed. A wall-clock time that does
 * not exist (02:00–02:59 on the last Sunday of March) rolls forward by one hour; an ambiguous one (02:xx
 * on the last Sunday of October) resolves to the earlier instant.
 */
export function osloInstant(date: IsoDate, hour: number, minute = 0): IsoInstant {
  let byTime = instantCache.get(date);
  const time = hour * 60 + minute;
  const cached = byTime?.get(time);
  if (cached !== undefined) return cached;
  const instant = computeOsloInstant(date, hour, minute);
  if (!byTime) {
    if (instantCache.size >= MAX_CACHED_DATES) instantCache.clear();
    instantCache.set(date, (byTime = new Map<number, IsoInstant>()));
  }
  byTime.set(time, instant);
  return instant;
}

function computeOsloInstant(date: IsoDate, hour: number, minute: number): IsoInstant {
  assertIsoDate(date);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Invalid hour: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError(`Invalid minute: ${minute}`);
  const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const wallClock = new TZDate(year, month - 1, day, hour, minute, 0, OSLO_TIME_ZONE);
  return new Date(wallClock.getTime()).toISOString();
}

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: OSLO_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** What the Oslo wall clock shows at an instant: the inverse of {@link osloInstant}. */
export function osloWallClock(instant: IsoInstant): { date: IsoDate; hour: number; minute: number } {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${instant}`);
  const parts = Object.fromEntries(osloParts.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}
