import { addDays } from '../calendar/dates.js';
import { osloInstant } from '../calendar/oslo-time.js';
import type { TaskTimers } from '../plan.js';
import type { IsoDate } from '../vocabulary.js';

/** Opening and reminders go out at the start of the working day in Oslo. */
export const WORKDAY_START_HOUR = 7;

export interface TimerSettings {
  readonly reminderDaysBefore: number;
  readonly escalationDelayDays: number;
}

/**
 * The workflow's durable timers for a task, all computed on the Oslo wall clock so they keep their local
 * time across daylight-saving changes:
 * - opensAt: 07:00 on opensOn;
 * - remindAt: 07:00 `reminderDaysBefore` days before dueOn, but never before opensAt (a short window
 *   reminds when it opens);
 * - overdueAt: 00:00 the day after dueOn (the whole due day counts as on time);
 * - escalateAt: 00:00 `escalationDelayDays` calendar days after overdueAt.
 * With opensOn ≤ dueOn, reminderDaysBefore ≥ 0 and escalationDelayDays ≥ 1 they are strictly ordered
 * except that remindAt may equal opensAt.
 */
export function taskTimers(opensOn: IsoDate, dueOn: IsoDate, settings: TimerSettings): TaskTimers {
  const opensAt = osloInstant(opensOn, WORKDAY_START_HOUR);
  const reminder = osloInstant(addDays(dueOn, -settings.reminderDaysBefore), WORKDAY_START_HOUR);
  return {
    opensAt,
    // ISO 8601 UTC strings of equal format sort chronologically.
    remindAt: reminder < opensAt ? opensAt : reminder,
    overdueAt: osloInstant(addDays(dueOn, 1), 0),
    escalateAt: osloInstant(addDays(dueOn, 1 + settings.escalationDelayDays), 0),
  };
}
