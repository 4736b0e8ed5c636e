import { addDays } from '../calendar/dates.js';
import { moveToWorkingDay, type WorkingDayCalendar } from '../calendar/working-days.js';
import { requiresCoSignToWaive } from '../catalog/applicability.js';
import type { StepDefinition } from '../catalog/types.js';
import type { PlannedTask } from '../plan.js';
import type { IsoDate } from '../vocabulary.js';
import { taskTimers, type TimerSettings } from './timers.js';

export const taskIdOf = (stepId: string, occurrence: number): string => `${stepId}#${occurrence}`;

/** Dates of one task before timers: when it opens, when the catalog says it is due, and the real due date. */
export interface TaskDates {
  readonly opensOn: IsoDate;
  readonly nominalDueOn: IsoDate;
  readonly dueOn: IsoDate;
}

/** The catalog's dates: opens `windowDays` before the nominal due date, due on a working day. */
export function datesFor(
  step: StepDefinition,
  nominalDueOn: IsoDate,
  calendar: WorkingDayCalendar,
): TaskDates {
  const opensOn = addDays(nominalDueOn, -step.windowDays);
  return { opensOn, nominalDueOn, dueOn: moveToWorkingDay(nominalDueOn, opensOn, calendar) };
}

export function plannedTask(
  step: StepDefinition,
  occurrence: number,
  dates: TaskDates,
  catalogVersion: string,
  settings: TimerSettings,
): PlannedTask {
  return {
    taskId: taskIdOf(step.id, occurrence),
    stepId: step.id,
    occurrence,
    title: step.title,
    track: step.track,
    role: step.role,
    catalogVersion,
    opensOn: dates.opensOn,
    dueOn: dates.dueOn,
    nominalDueOn: dates.nominalDueOn,
    ...(step.statutory ? { statutory: step.statutory } : {}),
    requiresCoSignToWaive: requiresCoSignToWaive(step),
    timers: taskTimers(dates.opensOn, dates.dueOn, settings),
  };
}

/** The plan's order: by due date, then task id (a stable order for events and screens). */
export function byDueThenId(a: PlannedTask, b: PlannedTask): number {
  if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn ? -1 : 1;
  return a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0;
}
