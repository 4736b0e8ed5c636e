import { addDays, assertIsoDate } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import { ordinaryFollowUpOf } from '../catalog/default-catalog.js';
import type { Catalog } from '../catalog/types.js';
import { DEFAULT_PLANNING_POLICY, type PlannedTask, type PlanningPolicy } from '../plan.js';
import type { IsoDate, PlacementFacts } from '../vocabulary.js';
import { childAgeOn } from './child-age.js';
import { checkFacts, checkPolicy, timerSettings } from './inputs.js';
import { byDueThenId, datesFor, plannedTask, taskIdOf } from './task.js';

/** The task whose completion may start follow-ups. */
export interface CompletedTaskRef {
  readonly stepId: string;
  readonly occurrence: number;
}

/**
 * The tasks that a completed task starts: every step anchored on the completed task's step that applies
 * to the placement, due `offsetDays` after the completion day (a supervision report 14 days after each
 * supervision visit, a private talk with the child after each statutory visit). Each follow-up takes the
 * completed task's occurrence number (`tilsynsrapport#3` follows `tilsynsbesok#3`; after a step named
 * in the anchor's `alsoAfter` the id names that step: `barnesamtale#besok-uke1.1`) and records the task
 * it follows (`follows`), so planning the same completion twice yields the same task ids. Follow-ups are not cut at the package's end: a visit
 * inside the package still gets its report. Dates and timers follow the same rules as `planPackage`.
 *
 * @throws RangeError on malformed facts, dates, occurrence or policy.
 */
export function planFollowUps(
  catalog: Catalog,
  facts: PlacementFacts,
  completedTask: CompletedTaskRef,
  completedOn: IsoDate,
  calendar: WorkingDayCalendar,
  policy: PlanningPolicy = DEFAULT_PLANNING_POLICY,
): PlannedTask[] {
  checkFacts(facts);
  checkPolicy(policy);
  assertIsoDate(completedOn, 'completedOn');
  if (!Number.isInteger(completedTask.occurrence) || completedTask.occurrence < 1)
    throw new RangeError(`Invalid occurrence: ${completedTask.occurrence}`);
  const settings = timerSettings(catalog, policy);

  const follows = taskIdOf(completedTask.stepId, completedTask.occurrence);
  const tasks: PlannedTask[] = [];
  // The package's follow-ups, and ordinary follow-up's (the private talk after each of its visits, …).
  // Ordinary follow-up's steps apply by the child's age on the completion day, not at move-in (a child
  // of 5 at placement gets the private talk once 7): `childAgeOn`.
  const ordinarySteps = ordinaryFollowUpOf(catalog).steps;
  const factsThen = { ...facts, childAgeYears: childAgeOn(facts, completedOn) };
  for (const step of [...catalog.steps, ...ordinarySteps]) {
    const { anchor } = step;
    if (anchor.kind !== 'step-completion') continue;
    const primary = anchor.stepId === completedTask.stepId;
    if (!primary && !anchor.alsoAfter?.includes(completedTask.stepId)) continue;
    const offset = effectiveOffsetDays(step, ordinarySteps.includes(step) ? factsThen : facts);
    if (offset === null) continue;
    const dates = datesFor(step, addDays(completedOn, offset), calendar);
    const task = plannedTask(step, completedTask.occurrence, dates, catalog.version, settings);
    tasks.push({
      ...task,
      // After an `alsoAfter` step the id names that step too: `barnesamtale#besok-uke1.1`.
      taskId: primary ? task.taskId : `${step.id}#${completedTask.stepId}.${completedTask.occurrence}`,
      follows,
    });
  }
  return tasks.sort(byDueThenId);
}
