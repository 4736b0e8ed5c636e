import { addDays, isWeekend } from '../../calendar/dates.js';
import { osloInstant } from '../../calendar/oslo-time.js';
import type { PackageEvent, TaskCancelled } from '../../events.js';
import type { PlannedTask } from '../../plan.js';
import type { IsoDate, IsoInstant } from '../../vocabulary.js';
import { addMs, DAY, osloDateOf } from '../clock.js';
import { isFinal, type PackageState } from '../state.js';

/** A package still running this long after its last escalation is closed; what is left is cancelled. */
export const PACKAGE_GRACE_DAYS = 90;

/**
 * A placement registered late starts with steps already overdue. Those escalate to the leader no earlier
 * than this many working days (Monday to Friday) after the registration day, so the caseworker can first
 * record what was done or catch up, instead of the leader getting every such step at once. Five working
 * days is one working week: about the seven calendar days any other overdue task has before it escalates
 * (DEFAULT_PLANNING_POLICY.escalationDelayDays). Public holidays are not counted out (the deciders run in
 * the workflow, without the service's calendar): a holiday in the week makes the grace one day shorter.
 */
export const REGISTRATION_GRACE_WORKING_DAYS = 5;

/** The `days`-th weekday (Monday to Friday) after `from`. */
export function addWeekdays(from: IsoDate, days: number): IsoDate {
  let day = from;
  for (let left = days; left > 0;) {
    day = addDays(day, 1);
    if (!isWeekend(day)) left--;
  }
  return day;
}

/**
 * When the registration grace ends for a placement registered at `registeredAt`: 00:00 Oslo after the
 * `days`-th working day after the registration day.
 */
export function registrationGraceEnd(
  registeredAt: IsoInstant,
  days: number = REGISTRATION_GRACE_WORKING_DAYS,
): IsoInstant {
  const lastDay = addWeekdays(osloDateOf(registeredAt), days);
  return osloInstant(addDays(lastDay, 1), 0);
}

/**
 * The plan of a registration made at `now`, with a grace of `days` working days for what is already
 * overdue: each such task is marked `overdueAtRegistration` and escalates at the end of the grace (or
 * its own escalation instant, if that is later). It still goes overdue at once: it is overdue, and shows
 * it. No grace (`days` 0): the plan as it is.
 */
export function withRegistrationGrace(
  tasks: readonly PlannedTask[],
  now: IsoInstant,
  days: number = REGISTRATION_GRACE_WORKING_DAYS,
): PlannedTask[] {
  if (days <= 0) return [...tasks];
  const graceEnd = registrationGraceEnd(now, days);
  return tasks.map((t) =>
    t.timers.overdueAt > now
      ? t
      : {
          ...t,
          overdueAtRegistration: true,
          timers: {
            ...t.timers,
            escalateAt: t.timers.escalateAt < graceEnd ? graceEnd : t.timers.escalateAt,
          },
        },
  );
}

/**
 * What the clock has made happen by `now`: tasks open, get their reminder, go overdue and are
 * escalated at the instants the planner gave them. Nothing moves while the placement is paused.
 * Events carry the scheduled instant, so a late wake-up (a worker that was down) records what should
 * have happened when.
 */
export function decideTick(state: PackageState, now: IsoInstant): PackageEvent[] {
  if (state.status !== 'active') return [];
  const due: { at: IsoInstant; order: number; event: PackageEvent }[] = [];
  for (const t of Object.values(state.tasks)) {
    if (isFinal(t)) continue;
    const { opensAt, remindAt, overdueAt, escalateAt } = t.timers;
    const taskId = t.taskId;
    if (t.status === 'planned' && opensAt <= now)
      due.push({ at: opensAt, order: 0, event: { type: 'TaskOpened', data: { taskId, at: opensAt } } });
    if (!t.dueSoon && remindAt <= now)
      due.push({ at: remindAt, order: 1, event: { type: 'TaskDueSoon', data: { taskId, at: remindAt } } });
    if (!t.overdue && overdueAt <= now)
      due.push({ at: overdueAt, order: 2, event: { type: 'TaskOverdue', data: { taskId, at: overdueAt } } });
    if (!t.escalated && escalateAt <= now)
      due.push({
        at: escalateAt,
        order: 3,
        event: { type: 'TaskEscalated', data: { taskId, at: escalateAt, toRole: 'leder' } },
      });
  }
  due.sort((a, b) =>
    a.at === b.at
      ? a.order - b.order || taskIdOf(a.event).localeCompare(taskIdOf(b.event))
      : a.at.localeCompare(b.at),
  );
  const events = due.map((d) => d.event);
  // Ordinary follow-up never runs out: it goes on year by year until the placement ends.
  if (state.phase === 'ordinary') return events;
  const expiry = expiresAt(state);
  if (expiry && expiry <= now) {
    events.push(...cancelOpen(state, 'package-expired', expiry));
    events.push({ type: 'PackageCompleted', data: { at: expiry } });
  } else if (Object.values(state.tasks).every(isFinal) && Object.keys(state.tasks).length > 0) {
    events.push({ type: 'PackageCompleted', data: { at: now } });
  }
  return events;
}

function taskIdOf(event: PackageEvent): string {
  return 'taskId' in event.data ? event.data.taskId : '';
}

/** When an unfinished package is closed: PACKAGE_GRACE_DAYS after the last escalation instant. */
export function expiresAt(state: PackageState): IsoInstant | undefined {
  let last: IsoInstant | undefined;
  for (const t of Object.values(state.tasks))
    if (!last || t.timers.escalateAt > last) last = t.timers.escalateAt;
  return last ? addMs(last, PACKAGE_GRACE_DAYS * DAY) : undefined;
}

/** The next instant at which `decideTick` would produce something, for the workflow's timer. */
export function nextWakeUp(state: PackageState): IsoInstant | undefined {
  if (state.status !== 'active') return undefined;
  let next = state.phase === 'ordinary' ? undefined : expiresAt(state);
  for (const t of Object.values(state.tasks)) {
    if (isFinal(t)) continue;
    const pending = [
      t.status === 'planned' ? t.timers.opensAt : undefined,
      t.dueSoon ? undefined : t.timers.remindAt,
      t.overdue ? undefined : t.timers.overdueAt,
      t.escalated ? undefined : t.timers.escalateAt,
    ];
    for (const at of pending) if (at && (!next || at < next)) next = at;
  }
  return next;
}

/** Cancels every task still to do (the package ends or runs out). */
export function cancelOpen(
  state: PackageState,
  reason: TaskCancelled['data']['reason'],
  now: IsoInstant,
): TaskCancelled[] {
  return Object.values(state.tasks)
    .filter((t) => !isFinal(t))
    .sort((a, b) => a.taskId.localeCompare(b.taskId))
    .map((t) => ({ type: 'TaskCancelled', data: { taskId: t.taskId, at: now, reason } }));
}
