import type { EntityManager } from 'typeorm';
import {
  ASSIGNMENT_STREAM_TYPE,
  assignmentStepTitle,
  isFinished,
  type AssignmentEvent,
  type AssignmentState,
} from '../domain/kompetansebase/index.js';
import { deterministicId } from '../event-store/ids.js';
import { notifiablePeople } from './people.js';
import { recipientsOf, type NotificationKind } from './recipients.js';

/*
 * The notification outbox's rows for a kompetansebase assignment's deadlines (issue 17), written in the
 * transaction that appends its events (activities/kompetansebase-read-models.ts), as its read models are:
 * - AssignmentTaskOverdue: `overdue` to whoever the task is for (the base's counsellors, or for the review
 *   its leader), AssignmentTaskEscalated: `escalated` to the base's leader (libs/notifications/recipients.ts,
 *   by the access function), among the people known then, of an open task of an unfinished assignment;
 * - a completed or cancelled task, or a finished assignment, makes its rows not yet in a mail obsolete.
 * A row's id is uuidv5(event id, recipient), the event id the store's own (stream type, id, version), so
 * appending the same events again adds nothing. What a row holds: the step's title, its due date, the
 * request type's code and opaque ids; no child's data, no case number, no goal.
 */

const KIND_OF: Partial<Record<AssignmentEvent['type'], NotificationKind>> = {
  AssignmentTaskOverdue: 'overdue',
  AssignmentTaskEscalated: 'escalated',
};

/** One appended event with the assignment's state after it. */
export interface FoldedAssignmentEvent {
  readonly event: AssignmentEvent;
  readonly after: AssignmentState;
}

export async function recordAssignmentNotifications(
  m: EntityManager,
  folded: readonly FoldedAssignmentEvent[],
): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  const closed = new Set<string>();
  let people: Awaited<ReturnType<typeof notifiablePeople>> | undefined;
  for (const { event, after } of folded) {
    const data = event.data as { taskId?: string; at?: string };
    if (event.type === 'AssignmentTaskCompleted' || event.type === 'AssignmentTaskCancelled')
      if (data.taskId) closed.add(data.taskId);
    const kind = KIND_OF[event.type];
    if (!kind || !data.taskId || isFinished(after)) continue;
    const task = after.tasks[data.taskId];
    if (!task || task.status !== 'open') continue;
    people ??= await notifiablePeople(m);
    const facts = { serviceId: null, role: task.role, assigneeId: null, bufetatHelp: false };
    const eventId = deterministicId(ASSIGNMENT_STREAM_TYPE, after.assignmentId, String(after.version));
    for (const person of recipientsOf(kind, { ...facts, baseNetwork: after.origin.networkId }, people))
      rows.push({
        notification_id: deterministicId('notification', eventId, person.issuer, person.userId),
        event_id: eventId,
        recipient_issuer: person.issuer,
        recipient_id: person.userId,
        kind,
        assignment_id: after.assignmentId,
        task_id: task.taskId,
        step_id: task.stepId,
        title: assignmentStepTitle(after.catalogVersion, task.stepId),
        due_on: task.dueOn,
        task_role: task.role,
        base_network_id: after.origin.networkId,
        request_type: after.requestType,
        occurred_at: data.at,
      });
  }
  if (rows.length > 0)
    await m.query(
      `INSERT INTO notifications (notification_id, event_id, recipient_issuer, recipient_id, kind, assignment_id,
                                  task_id, step_id, title, due_on, task_role, assignee_id, bufetat_help,
                                  base_network_id, request_type, occurred_at)
       SELECT notification_id, event_id, recipient_issuer, recipient_id, kind, assignment_id, task_id, step_id,
              title, due_on, task_role, NULL, false, base_network_id, request_type, occurred_at
         FROM jsonb_to_recordset($1::jsonb) AS r(notification_id uuid, event_id uuid, recipient_issuer text,
              recipient_id text, kind text, assignment_id uuid, task_id text, step_id text, title text,
              due_on date, task_role text, base_network_id uuid, request_type text, occurred_at timestamptz)
       ON CONFLICT (notification_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  const last = folded.at(-1)?.after;
  if (!last) return;
  if (isFinished(last))
    await m.query(
      `UPDATE notifications SET state = 'obsolete'
        WHERE assignment_id = $1 AND state = 'pending' AND mail_id IS NULL`,
      [last.assignmentId],
    );
  else if (closed.size > 0)
    await m.query(
      `UPDATE notifications SET state = 'obsolete'
        WHERE assignment_id = $1 AND task_id = ANY($2::text[]) AND state = 'pending' AND mail_id IS NULL`,
      [last.assignmentId, [...closed]],
    );
}
