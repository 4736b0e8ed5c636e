import type { EntityManager } from 'typeorm';
import { assignmentStepTitle } from '../libs/domain/kompetansebase/catalog.js';
import {
  recordAssignmentNotifications,
  type FoldedAssignmentEvent,
} from '../libs/notifications/assignment-outbox.js';
import type { AssignmentEvent } from '../libs/domain/kompetansebase/events.js';
import {
  evolveAssignment,
  type AssignmentState,
  type AssignmentTaskState,
} from '../libs/domain/kompetansebase/state.js';

/** A task's inbox status: its most urgent flag. */
const taskStatus = (t: AssignmentTaskState): string =>
  t.status === 'open' ? (t.overdue ? 'overdue' : 'open') : t.status;

/**
 * Folds appended events into the assignment's read models (kompetansebase_assignments and
 * kompetansebase_tasks) and its deadline notifications (libs/notifications/assignment-outbox.ts), in the
 * append's transaction: the row is locked, the events folded onto its
 * state, and the assignment and every task the events touched written back.
 */
export async function projectAssignment(
  m: EntityManager,
  assignmentId: string,
  events: readonly AssignmentEvent[],
): Promise<void> {
  const [row] = await m.query<{ state: AssignmentState }[]>(
    `SELECT state FROM kompetansebase_assignments WHERE assignment_id = $1 FOR UPDATE`,
    [assignmentId],
  );
  let state: AssignmentState | undefined = row?.state;
  const touched = new Set<string>();
  const folded: FoldedAssignmentEvent[] = [];
  for (const event of events) {
    state = evolveAssignment(state, event);
    folded.push({ event, after: state });
    if (event.type === 'AssignmentTaskOpened') touched.add(event.data.task.taskId);
    else if ('taskId' in event.data) touched.add(event.data.taskId);
  }
  if (!state) return;
  await m.query(
    `INSERT INTO kompetansebase_assignments (assignment_id, base_id, network_id, service_id, request_type, urgency,
       status, ordered_on, accepted_on, decline_reason, families, state, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
     ON CONFLICT (assignment_id) DO UPDATE SET status = EXCLUDED.status, accepted_on = EXCLUDED.accepted_on,
       decline_reason = EXCLUDED.decline_reason, state = EXCLUDED.state, version = EXCLUDED.version,
       updated_at = EXCLUDED.updated_at`,
    [
      state.assignmentId,
      state.origin.baseId,
      state.origin.networkId,
      state.origin.serviceId,
      state.requestType,
      state.urgency,
      state.status,
      state.orderedOn,
      state.acceptedOn ?? null,
      state.declineReason ?? null,
      state.families.length,
      JSON.stringify(state),
      state.version,
    ],
  );
  await recordAssignmentNotifications(m, folded);
  const tasks = [...touched]
    .map((id) => state.tasks[id])
    .filter((t): t is AssignmentTaskState => t !== undefined);
  if (tasks.length === 0) return;
  await m.query(
    `INSERT INTO kompetansebase_tasks (assignment_id, task_id, step_id, occurrence, role, base_id, due_on, status,
       escalated, completed_on, late, title, updated_at)
     SELECT $1, t.task_id, t.step_id, t.occurrence, t.role, $2, t.due_on, t.status, t.escalated, t.completed_on,
            t.late, t.title, now()
       FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::date[], $8::text[], $9::boolean[],
                   $10::date[], $11::boolean[], $12::text[])
         AS t(task_id, step_id, occurrence, role, due_on, status, escalated, completed_on, late, title)
     ON CONFLICT (assignment_id, task_id) DO UPDATE SET due_on = EXCLUDED.due_on, status = EXCLUDED.status,
       escalated = EXCLUDED.escalated, completed_on = EXCLUDED.completed_on, late = EXCLUDED.late,
       updated_at = EXCLUDED.updated_at`,
    [
      state.assignmentId,
      state.origin.baseId,
      tasks.map((t) => t.taskId),
      tasks.map((t) => t.stepId),
      tasks.map((t) => t.occurrence),
      tasks.map((t) => t.role),
      tasks.map((t) => t.dueOn),
      tasks.map(taskStatus),
      tasks.map((t) => t.escalated),
      tasks.map((t) => t.completedOn ?? null),
      tasks.map((t) => t.late ?? null),
      tasks.map((t) => assignmentStepTitle(state.catalogVersion, t.stepId)),
    ],
  );
}
