import type { PackageEvent } from '../../domain/events.js';
import type { PackageState, TaskState } from '../../domain/package/state.js';
import { STATUTORY_KINDS } from '../../domain/vocabulary.js';
import type { ReadModel } from '../read-model.js';
import { table, upsert, type RowOf } from '../table.js';

/*
 * `task_inbox`: one row per task of a placement, as the inboxes show it; an event rewrites the rows of
 * the tasks it touches. `updated_at` is the recorded_at of the event that last changed the row.
 */

export const INBOX_STATUSES = [
  'planned',
  'open',
  'due-soon',
  'overdue',
  'completed',
  'waived',
  'cancelled',
] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** An open task shows its most urgent flag: overdue, else due soon (reminder sent), else open. */
export function inboxStatus(task: Pick<TaskState, 'status' | 'overdue' | 'dueSoon'>): InboxStatus {
  if (task.status !== 'open') return task.status;
  if (task.overdue) return 'overdue';
  return task.dueSoon ? 'due-soon' : 'open';
}

export const TASK_INBOX = table('task_inbox', {
  placement_id: { type: 'uuid', primary: true },
  task_id: { type: 'text', primary: true },
  step_id: { type: 'text' },
  occurrence: { type: 'integer' },
  title: { type: 'text' },
  track: { type: 'text' },
  role: { type: 'text' },
  /** plan | follow-up | ad-hoc */
  origin: { type: 'text' },
  assignee_id: { type: 'text', nullable: true },
  opens_on: { type: 'date' },
  due_on: { type: 'date' },
  nominal_due_on: { type: 'date' },
  status: { type: 'text', values: INBOX_STATUSES },
  escalated: { type: 'boolean' },
  completed_on: { type: 'date', nullable: true },
  outcome: { type: 'text', nullable: true },
  waiver_reason: { type: 'text', nullable: true },
  /** Null for a task that counts toward no statutory minimum. */
  statutory: { type: 'text', nullable: true, values: STATUTORY_KINDS },
  catalog_version: { type: 'text' },
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  child_ref: { type: 'uuid' },
  updated_at: { type: 'timestamptz' },
  /** Already overdue when the placement was registered (late): escalates after the registration grace. */
  overdue_at_registration: { type: 'boolean' },
  /** The last waiver request and what became of it (`WaiverRecord`: codes, ids, actors, instants). */
  waiver: { type: 'jsonb', nullable: true },
});
export type TaskRow = RowOf<typeof TASK_INBOX>;

export function taskRow(s: PackageState, t: TaskState, updatedAt: string): TaskRow {
  return {
    placement_id: s.placementId,
    task_id: t.taskId,
    step_id: t.stepId,
    occurrence: t.occurrence,
    title: t.title,
    track: t.track,
    role: t.role,
    origin: t.origin,
    assignee_id: t.assigneeId,
    opens_on: t.opensOn,
    due_on: t.dueOn,
    nominal_due_on: t.nominalDueOn,
    status: inboxStatus(t),
    escalated: t.escalated,
    overdue_at_registration: t.overdueAtRegistration === true,
    waiver: t.waiver ?? null,
    completed_on: t.completedOn ?? null,
    outcome: t.outcome ?? null,
    waiver_reason: t.waiverReason ?? null,
    statutory: t.statutory ?? null,
    catalog_version: t.catalogVersion,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    child_ref: s.childRef,
    updated_at: updatedAt,
  };
}

/** The tasks an event changes (their inbox rows are rewritten). */
export function touchedTaskIds(event: PackageEvent): readonly string[] {
  if (event.type === 'TasksPlanned') return event.data.tasks.map((t) => t.taskId);
  return 'taskId' in event.data ? [event.data.taskId] : [];
}

export const taskInboxReadModel: ReadModel = {
  table: TASK_INBOX,
  batch: () => {
    /** Each touched task's row after its last event in the batch. */
    const rows = new Map<string, TaskRow>();
    return {
      event: ({ placementId, recordedAt, event, after }) => {
        for (const taskId of touchedTaskIds(event)) {
          const task = after.package.tasks[taskId];
          if (task) rows.set(`${placementId}/${taskId}`, taskRow(after.package, task, recordedAt));
        }
      },
      write: (m) => upsert(m, TASK_INBOX, [...rows.values()]),
    };
  },
};
