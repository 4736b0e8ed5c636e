import type { IsoDate, IsoInstant } from '../vocabulary.js';

/**
 * The little time arithmetic the workflow needs. Date arithmetic comes from ../calendar/dates.ts
 * (pure, safe in the workflow bundle); this adds "which Oslo day is it" without pulling a time-zone
 * library into the bundle (Intl knows Europe/Oslo).
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
