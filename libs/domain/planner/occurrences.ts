import type { Recurrence } from '../catalog/types.js';

/**
 * Chooses the interval to the next occurrence: given the cadence's own interval and the day of the
 * previous occurrence, returns the interval to use (the statutory planner lengthens it after a
 * recorded reduction).
 */
export type IntervalRule = (baseIntervalDays: number, previousDay: number) => number;

/**
 * The days (counted from the anchor) on which a step falls: the first day, then every interval of the
 * recurrence while the day stays within the current phase's `untilDay` (moving on to the next phase
 * from the last occurrence when it does not), within `lastDay` (the package) and within `count`.
 * A first day after `lastDay` gives no occurrence at all: nothing is planned outside the package.
 */
export function occurrenceDays(
  firstDay: number,
  recurrence: Recurrence | undefined,
  lastDay: number,
  intervalRule: IntervalRule = (base) => base,
): number[] {
  if (firstDay > lastDay) return [];
  const days = [firstDay];
  if (!recurrence) return days;
  const phases = [
    { intervalDays: recurrence.intervalDays, untilDay: recurrence.untilDay },
    ...(recurrence.phases ?? []),
  ];
  let phase = 0;
  let day = firstDay;
  while (recurrence.count === undefined || days.length < recurrence.count) {
    let next = day + intervalRule(phases[phase].intervalDays, day);
    let until = phases[phase].untilDay;
    while (until !== undefined && next > until && phase < phases.length - 1) {
      phase += 1;
      next = day + intervalRule(phases[phase].intervalDays, day);
      until = phases[phase].untilDay;
    }
    if ((until !== undefined && next > until) || next > lastDay) break;
    days.push(next);
    day = next;
  }
  return days;
}
