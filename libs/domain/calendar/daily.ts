import { addDays } from './dates.js';
import { osloInstant, osloWallClock } from './oslo-time.js';
import type { IsoDate, IsoInstant } from '../vocabulary.js';

/**
 * The next time the Oslo wall clock shows `hour:minute` strictly after `now`, on a day after `doneOn`
 * (the last day something already ran for): the daily digest's timer. Keeps its local time across
 * daylight-saving changes (07:15 is 06:15Z in winter and 05:15Z in summer).
 */
export function nextDailyRun(
  now: IsoInstant,
  hour: number,
  minute: number,
  doneOn?: IsoDate,
): { date: IsoDate; at: IsoInstant } {
  let date = osloWallClock(now).date;
  if (doneOn !== undefined && date <= doneOn) date = addDays(doneOn, 1);
  for (;;) {
    const at = osloInstant(date, hour, minute);
    if (at > now) return { date, at };
    date = addDays(date, 1);
  }
}
