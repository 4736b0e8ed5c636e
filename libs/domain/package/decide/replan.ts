import type { PackageEvent, TaskRescheduled, TasksPlanned } from '../../events.js';
import type { PlannedTask } from '../../plan.js';
import type { IsoInstant, PlacementFacts } from '../../vocabulary.js';
import { diffDays } from '../clock.js';
import { isFinal, type PackageState, type TaskState } from '../state.js';

/*
 * Re-planning: how a freshly planned package differs from the current one, and the events that carry
 * the difference out.
 */

export interface PlanChange {
  /** Open or planned tasks whose dates move, in the direction of the change (if it moves the date). */
  readonly moved: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  /**
   * Statutory visits that the re-plan gives another place in the plan rather than moving them along:
   * a date change that shifts the year split can pull a different cadence visit into a year, so the
   * visit lands against the direction of the change. Shown apart, with both dates, never as "moved".
   */
  readonly replaced: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  /** New tasks (the change makes a step apply, or adds occurrences). */
  readonly added: readonly PlannedTask[];
  /** Open or planned tasks that no longer apply. */
  readonly cancelled: readonly { taskId: string; title: string; dueOn: string }[];
  /** Completed and waived tasks are kept as they are. */
  readonly kept: number;
}

/**
 * Compares the current package with a freshly planned one. Only tasks from the package plan are
 * re-planned: closed tasks stay as they were, follow-ups and ad-hoc tasks keep their dates. With
 * `dateShiftDays` (the placement date moves by that many days), a task that would move the other way
 * is reported as `replaced`, not `moved`.
 */
export function diffPlan(
  state: PackageState,
  proposed: readonly PlannedTask[],
  options: { dateShiftDays?: number } = {},
): PlanChange {
  const shift = options.dateShiftDays ?? 0;
  const current = Object.values(state.tasks);
  const byId = new Map(proposed.map((t) => [t.taskId, t]));
  const moved: { taskId: string; title: string; fromDueOn: string; toDueOn: string }[] = [];
  const replaced: typeof moved = [];
  const cancelled: { taskId: string; title: string; dueOn: string }[] = [];
  let kept = 0;
  for (const task of current) {
    if (isFinal(task) || task.origin !== 'plan') {
      kept++;
      continue;
    }
    const next = byId.get(task.taskId);
    if (!next) cancelled.push({ taskId: task.taskId, title: task.title, dueOn: task.dueOn });
    else if (next.dueOn !== task.dueOn || next.opensOn !== task.opensOn) {
      const entry = { taskId: task.taskId, title: task.title, fromDueOn: task.dueOn, toDueOn: next.dueOn };
      const against = shift < 0 ? next.dueOn > task.dueOn : shift > 0 && next.dueOn < task.dueOn;
      (against ? replaced : moved).push(entry);
    }
  }
  const added = proposed.filter((t) => !state.tasks[t.taskId]);
  const order = <T extends { taskId: string }>(xs: T[]) =>
    xs.sort((a, b) => a.taskId.localeCompare(b.taskId));
  return {
    moved: order(moved),
    replaced: order(replaced),
    added: order([...added]),
    cancelled: order(cancelled),
    kept,
  };
}

/** Days the placement date moves from `before` to `after` (0 when only the type changes). */
export const dateShift = (before: PlacementFacts, after: PlacementFacts): number =>
  diffDays(before.placementDate, after.placementDate);

/** A task's new schedule, as the planner gave it. */
export function rescheduled(
  task: PlannedTask,
  reason: TaskRescheduled['data']['reason'],
  now: IsoInstant,
): TaskRescheduled {
  const { taskId, opensOn, dueOn, nominalDueOn, timers } = task;
  return { type: 'TaskRescheduled', data: { taskId, at: now, opensOn, dueOn, nominalDueOn, timers, reason } };
}

/** The events that carry out a plan change. */
export function replanEvents(
  state: PackageState,
  proposed: readonly PlannedTask[],
  reason: TaskRescheduled['data']['reason'],
  now: IsoInstant,
  options: { dateShiftDays?: number } = {},
): PackageEvent[] {
  const change = diffPlan(state, proposed, options);
  const byId = new Map(proposed.map((t) => [t.taskId, t]));
  const events: PackageEvent[] = [];
  for (const c of change.cancelled) {
    events.push({
      type: 'TaskCancelled',
      data: {
        taskId: c.taskId,
        at: now,
        reason: reason === 'reduction' ? 'reduction' : 'not-applicable-after-change',
      },
    });
  }
  for (const m of [...change.moved, ...change.replaced])
    events.push(rescheduled(byId.get(m.taskId)!, reason, now));
  if (change.added.length > 0) {
    const planned: TasksPlanned = {
      type: 'TasksPlanned',
      data: { tasks: change.added, reason: 'replanned', at: now },
    };
    events.push(planned);
  }
  return events;
}

/** Tasks that are still to be done (planned or open). */
export function openTasks(state: PackageState): TaskState[] {
  return Object.values(state.tasks)
    .filter((t) => !isFinal(t))
    .sort((a, b) => a.taskId.localeCompare(b.taskId));
}
