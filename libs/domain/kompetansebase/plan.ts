import { addDays } from '../calendar/dates.js';
import { osloInstant } from '../calendar/oslo-time.js';
import { moveToWorkingDay, type WorkingDayCalendar } from '../calendar/working-days.js';
import { assignmentStep, type AssignmentCatalog } from './catalog.js';
import type { AssignmentRole, AssignmentStepId, IsoDate, IsoInstant } from './vocabulary.js';

/** One planned step of an assignment: when it is due and when its timers fire. */
export interface PlannedAssignmentTask {
  /** `${stepId}#${occurrence}`. */
  readonly taskId: string;
  readonly stepId: AssignmentStepId;
  readonly occurrence: number;
  readonly role: AssignmentRole;
  readonly dueOn: IsoDate;
  readonly timers: {
    /** 00:00 Oslo the day after the due date. */
    readonly overdueAt: IsoInstant;
    /** `escalationDelayDays` after that: the base leader is told. */
    readonly escalateAt: IsoInstant;
  };
}

/** The day `n` working days after `from` (n ≥ 1), or `from` itself for n = 0. */
export function addWorkingDays(from: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  let day = from;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) left -= 1;
  }
  return day;
}

/**
 * Plans one occurrence of a step from its anchor day. Working-day deadlines count working days of the
 * calendar; calendar-day deadlines that fall on a closed day move to the nearest earlier working day
 * after the anchor (never later: that would grant time silently). An agreed evaluation date is kept as
 * agreed.
 */
export function planAssignmentTask(
  catalog: AssignmentCatalog,
  stepId: AssignmentStepId,
  occurrence: number,
  anchorOn: IsoDate,
  calendar: WorkingDayCalendar,
): PlannedAssignmentTask {
  const step = assignmentStep(catalog, stepId);
  if (!Number.isInteger(occurrence) || occurrence < 1) throw new RangeError(`Bad occurrence ${occurrence}`);
  const dueOn =
    step.anchor.kind === 'evaluation-date'
      ? addDays(anchorOn, step.days)
      : step.dayKind === 'working'
        ? addWorkingDays(anchorOn, step.days, calendar)
        : moveToWorkingDay(addDays(anchorOn, step.days), addDays(anchorOn, 1), calendar);
  const overdueOn = addDays(dueOn, 1);
  return {
    taskId: `${stepId}#${occurrence}`,
    stepId,
    occurrence,
    role: step.role,
    dueOn,
    timers: {
      overdueAt: osloInstant(overdueOn, 0),
      escalateAt: osloInstant(addDays(overdueOn, catalog.escalationDelayDays), 0),
    },
  };
}
