import { addDays } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import type { Catalog, StepDefinition } from '../catalog/types.js';
import type { PlannedTask } from '../plan.js';
import type { IsoDate, TaskRole } from '../vocabulary.js';
import { timerSettings } from './inputs.js';
import { datesFor, plannedTask } from './task.js';

/*
 * Tasks planned outside the package plan: one added by hand, and open tasks moved on after a pause. The
 * same date and timer rules as planPackage (a due date never moved later, timers on the Oslo clock).
 */

function stepOf(catalog: Catalog, stepId: string): StepDefinition {
  const step = catalog.steps.find((s) => s.id === stepId);
  if (!step) throw new RangeError(`Unknown step ${stepId} in catalog ${catalog.version}`);
  return step;
}

/**
 * One extra task of a catalog step (occurrence 0, its own id), due on the chosen day or the nearest
 * working day before it in the step's window, optionally for another role.
 *
 * @throws RangeError for a step the catalog does not have.
 */
export function planAdHocTask(
  catalog: Catalog,
  request: {
    readonly stepId: string;
    readonly dueOn: IsoDate;
    readonly taskId: string;
    readonly role?: TaskRole;
  },
  calendar: WorkingDayCalendar,
): PlannedTask {
  const step = stepOf(catalog, request.stepId);
  const task = plannedTask(
    step,
    1,
    datesFor(step, request.dueOn, calendar),
    catalog.version,
    timerSettings(catalog),
  );
  return { ...task, taskId: request.taskId, occurrence: 0, ...(request.role ? { role: request.role } : {}) };
}

/**
 * Open tasks moved on by `shiftDays` after a pause: each from its nominal date, with its step's window
 * and working-day rule; ids, occurrences and everything else kept.
 *
 * @throws RangeError for a task whose step the catalog does not have.
 */
export function rescheduleTasks(
  catalog: Catalog,
  tasks: readonly PlannedTask[],
  shiftDays: number,
  calendar: WorkingDayCalendar,
): PlannedTask[] {
  const settings = timerSettings(catalog);
  return tasks.map((t) => {
    const step = stepOf(catalog, t.stepId);
    const moved = plannedTask(
      step,
      t.occurrence,
      datesFor(step, addDays(t.nominalDueOn, shiftDays), calendar),
      t.catalogVersion,
      settings,
    );
    return {
      ...t,
      opensOn: moved.opensOn,
      dueOn: moved.dueOn,
      nominalDueOn: moved.nominalDueOn,
      timers: moved.timers,
    };
  });
}
