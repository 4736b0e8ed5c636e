import { addDays } from '../calendar/dates.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import type { Catalog } from '../catalog/types.js';
import { DEFAULT_PLANNING_POLICY, type PlanInput, type PlannedTask } from '../plan.js';
import { STATUTORY_KINDS } from '../vocabulary.js';
import { checkFacts, checkPolicy, checkReductions, timerSettings } from './inputs.js';
import { occurrenceDays } from './occurrences.js';
import { planStatutoryVisits } from './statutory-plan.js';
import { byDueThenId, datesFor, plannedTask } from './task.js';

/**
 * The dated tasks of a placement's care package: every placement-anchored step that applies to the
 * placement (conditions, placement-type overrides), one task per occurrence, sorted by due date then
 * task id. Pure and deterministic (the calendar is passed in, the clock is never read), so a workflow
 * can call it and re-planning the same input gives the same task ids and dates.
 *
 * - Occurrences: a step's nominal due day is its (overridden) offset from move-in, then every
 *   recurrence interval; occurrences after day `packageDays` are not planned (preparation steps before
 *   day 0 are).
 * - Dates: opensOn = nominal − windowDays; a nominal due date on a weekend or Norwegian public holiday
 *   moves to the nearest earlier working day not before opensOn, else to the next working day.
 * - Timers: see `taskTimers`; the catalog's reminder/escalation values win over the policy's.
 * - Statutory visits: each calendar-year segment meets its pro-rata minimum (see `planStatutoryVisits`).
 *
 * Steps anchored on another step's completion are planned by `planFollowUps` when that step is done.
 *
 * @throws RangeError on malformed facts, reductions or policy.
 */
export function planPackage(catalog: Catalog, input: PlanInput, calendar: WorkingDayCalendar): PlannedTask[] {
  const { facts, reductions } = input;
  const policy = input.policy ?? DEFAULT_PLANNING_POLICY;
  checkFacts(facts);
  checkReductions(reductions);
  checkPolicy(policy);
  const settings = timerSettings(catalog, policy);

  const tasks: PlannedTask[] = [];
  for (const step of catalog.steps) {
    if (step.anchor.kind !== 'placement' || step.statutory) continue;
    const offset = effectiveOffsetDays(step, facts);
    if (offset === null) continue;
    occurrenceDays(offset, step.recurrence, policy.packageDays).forEach((day, i) => {
      const dates = datesFor(step, addDays(facts.placementDate, day), calendar);
      tasks.push(plannedTask(step, i + 1, dates, catalog.version, settings));
    });
  }
  for (const kind of STATUTORY_KINDS) {
    const context = { catalog, facts, reductions, packageDays: policy.packageDays, calendar, settings };
    tasks.push(...planStatutoryVisits(kind, context));
  }
  return tasks.sort(byDueThenId);
}
