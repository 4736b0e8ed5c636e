import type { IsoDate, IsoInstant } from '../vocabulary.js';

/**
 * The time arithmetic of the deciders (run in the workflow) and of the API's "today": instants plus
 * milliseconds, and which Oslo day an instant falls on (Intl knows Europe/Oslo). Date arithmetic is
 * re-exported from ../calendar/dates.ts; the instant of a wall-clock time on a date (timers at 07:00
 * Oslo time all year) is ../calendar/oslo-time.ts.
 */
export { addDays, diffDays, isIsoDate } from '../calendar/dates.js';

const osloDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Oslo calendar day on which an instant falls. */
export function osloDateOf(instant: IsoInstant | number): IsoDate {
  return osloDate.format(typeof instant === 'number' ? instant : Date.parse(instant));
}

export const DAY = 86_400_000;

export const addMs = (instant: IsoInstant, ms: number): IsoInstant =>
  new Date(Date.parse(instant) + ms).toISOString();
