import type { DataSource, EntityManager } from 'typeorm';
import {
  isPackageEventType,
  PACKAGE_STREAM_TYPE,
  type PackageEvent,
  type PackageEventType,
} from '../domain/events.js';
import { evolve, type PackageState, type TaskState } from '../domain/package/state.js';
import { deterministicId } from '../event-store/ids.js';
import { consumeBatch } from '../projections/checkpointed-batch.js';
import { touchedTaskIds } from '../projections/read-models/task-inbox.js';
import { notifiablePeople } from './people.js';
import { recipientsOf, type NotificationKind, type TaskFacts } from './recipients.js';
import type { Scoped } from '../security/access.js';

/*
 * The notification outbox: a consumer of the event store, like the read-model projector
 * (libs/projections/projector.ts) and with the same guarantees, which it gets the same way:
 * - never skips an event: it reads only events of transactions older than every running one
 *   (tx_id < pg_snapshot_xmin) in (tx_id, global_position) order after its checkpoint;
 * - never applies one twice: the checkpoint row is locked for the batch and moved in the same transaction
 *   as the rows; each placement's fold keeps its stream version (notification_placement_state);
 * - a replay adds nothing: a notification's id is uuidv5(event id, recipient) and rows are inserted
 *   ON CONFLICT DO NOTHING.
 * It keeps its own fold and checkpoint (`notifications`) so that it moves at its own pace: the digest
 * runs it to the end right before it reads the outbox (see activities/notification.activities.ts).
 *
 * What it writes per deadline event (TaskDueSoon, TaskOverdue, TaskEscalated of an open task): one row per
 * recipient (libs/notifications/recipients.ts), chosen among the people known at that moment. A later
 * event on the task updates the rows not yet claimed by a mail: a completed, waived or cancelled task, or
 * a paused or ended package, makes them obsolete; a reassignment or a new due date is copied in (and
 * re-checked when the digest is built); a flag that a reschedule took back (no longer overdue) makes
 * that kind obsolete.
 */

export const NOTIFICATIONS_CONSUMER = 'notifications';

const KIND_OF: Partial<Record<PackageEventType, NotificationKind>> = {
  TaskDueSoon: 'due-soon',
  TaskOverdue: 'overdue',
  TaskEscalated: 'escalated',
};

export interface CollectResult {
  /** Events read after the checkpoint (of any stream type). */
  readonly events: number;
  /** Notifications added (0 on a replay). */
  readonly notifications: number;
  readonly caughtUp: boolean;
}

interface StreamEventRow {
  stream_id: string;
  stream_type: string;
  stream_version: number;
  position: string;
  event_id: string;
  type: string;
  schema_version: number;
  payload: unknown;
}

/** A row of `notifications` as written (column names). */
interface NotificationRow {
  notification_id: string;
  event_id: string;
  recipient_issuer: string;
  recipient_id: string;
  kind: NotificationKind;
  placement_id: string;
  task_id: string;
  step_id: string;
  title: string;
  due_on: string;
  service_id: string;
  task_role: string;
  assignee_id: string | null;
  bufetat_help: boolean;
  occurred_at: string;
}

const factsOf = (s: PackageState, t: TaskState): TaskFacts => ({
  serviceId: s.organisation.serviceId,
  role: t.role,
  assigneeId: t.assigneeId,
  bufetatHelp: s.facts.bufetatHelp,
});

/**
 * Folds the next batch of events into the outbox, in one transaction with the checkpoint (read as the
 * projector reads: libs/projections/checkpointed-batch.ts).
 */
export async function collectOnce(
  dataSource: DataSource,
  options: { readonly batchSize?: number } = {},
): Promise<CollectResult> {
  const result = await consumeBatch(dataSource, NOTIFICATIONS_CONSUMER, options.batchSize ?? 500, (m, upTo) =>
    applyPlacements(m, upTo),
  );
  return { events: result.events, notifications: result.applied ?? 0, caughtUp: result.caughtUp };
}

/** Runs `collectOnce` until it has caught up with the events committed so far. */
export async function collectNotifications(
  dataSource: DataSource,
  options: { readonly batchSize?: number } = {},
): Promise<{ events: number; notifications: number }> {
  let events = 0;
  let notifications = 0;
  for (;;) {
    const result = await collectOnce(dataSource, options);
    events += result.events;
    notifications += result.notifications;
    if (result.caughtUp) return { events, notifications };
  }
}

/**
 * Folds each placement from its snapshot up to `upTo` (reading by stream, as the projector does: an
 * earlier version that sorts later in commit order is folded now and is a no-op when reached).
 */
async function applyPlacements(m: EntityManager, upTo: ReadonlyMap<string, number>): Promise<number> {
  if (upTo.size === 0) return 0;
  const ids = [...upTo.keys()];
  const snapshots = await m.query<{ placement_id: string; version: number; state: PackageState }[]>(
    `SELECT placement_id::text AS placement_id, version, state FROM notification_placement_state
      WHERE placement_id = ANY($1::uuid[])`,
    [ids],
  );
  const states = new Map<string, PackageState | undefined>(snapshots.map((s) => [s.placement_id, s.state]));
  const fromVersion = new Map(snapshots.map((s) => [s.placement_id, s.version]));
  const pending = ids.filter((id) => (upTo.get(id) ?? 0) > (fromVersion.get(id) ?? 0));
  if (pending.length === 0) return 0;

  const events = await m.query<StreamEventRow[]>(
    `SELECT e.stream_id::text AS stream_id, e.stream_type, e.stream_version, e.global_position::text AS position,
            e.event_id::text AS event_id, e.type, e.schema_version, e.payload
       FROM unnest($1::uuid[], $2::int[], $3::int[]) AS w(stream_id, after_version, up_to)
       JOIN events e ON e.stream_id = w.stream_id AND e.stream_version > w.after_version
                    AND e.stream_version <= w.up_to
      ORDER BY e.stream_id, e.stream_version`,
    [pending, pending.map((id) => fromVersion.get(id) ?? 0), pending.map((id) => upTo.get(id) ?? 0)],
  );

  let people: Scoped[] | undefined;
  const rows: NotificationRow[] = [];
  /** Tasks an event touched: their unclaimed rows are brought up to date after the batch. */
  const touched = new Map<string, { placementId: string; taskId: string }>();
  for (const row of events) {
    const previous = states.get(row.stream_id);
    const expected = (previous?.version ?? 0) + 1;
    if (row.stream_version !== expected || row.stream_type !== PACKAGE_STREAM_TYPE)
      throw new Error(
        `notifications: event at ${row.position}: stream ${row.stream_id} has version ${row.stream_version} where ${expected} was expected`,
      );
    if (!isPackageEventType(row.type) || row.schema_version !== 1)
      throw new Error(`notifications: event at ${row.position}: unknown ${row.type} v${row.schema_version}`);
    const event = { type: row.type, data: row.payload } as PackageEvent;
    const state = evolve(previous, event);
    states.set(row.stream_id, state);
    for (const taskId of touchedTaskIds(event))
      touched.set(`${row.stream_id}/${taskId}`, { placementId: row.stream_id, taskId });

    const kind = KIND_OF[event.type];
    if (!kind || !('taskId' in event.data)) continue;
    const task = state.tasks[event.data.taskId];
    if (!task || task.status !== 'open' || state.status !== 'active') continue;
    people ??= await notifiablePeople(m);
    for (const person of recipientsOf(kind, factsOf(state, task), people)) {
      rows.push({
        notification_id: deterministicId('notification', row.event_id, person.issuer, person.userId),
        event_id: row.event_id,
        recipient_issuer: person.issuer,
        recipient_id: person.userId,
        kind,
        placement_id: row.stream_id,
        task_id: task.taskId,
        step_id: task.stepId,
        title: task.title,
        due_on: task.dueOn,
        service_id: state.organisation.serviceId,
        task_role: task.role,
        assignee_id: task.assigneeId,
        bufetat_help: state.facts.bufetatHelp,
        occurred_at: event.data.at,
      });
    }
  }
  for (const id of pending) {
    if (states.get(id)?.version !== upTo.get(id))
      throw new Error(
        `notifications: placement ${id}: events up to version ${upTo.get(id)} were not all readable`,
      );
  }

  let inserted = 0;
  if (rows.length > 0) {
    const [result] = await m.query<{ n: number }[]>(
      `WITH i AS (
         INSERT INTO notifications (notification_id, event_id, recipient_issuer, recipient_id, kind, placement_id,
                                    task_id, step_id, title, due_on, service_id, task_role, assignee_id,
                                    bufetat_help, occurred_at)
         SELECT notification_id, event_id, recipient_issuer, recipient_id, kind, placement_id, task_id, step_id,
                title, due_on, service_id, task_role, assignee_id, bufetat_help, occurred_at
           FROM jsonb_to_recordset($1::jsonb) AS r(notification_id uuid, event_id uuid, recipient_issuer text,
                recipient_id text, kind text, placement_id uuid, task_id text, step_id text, title text,
                due_on date, service_id uuid, task_role text, assignee_id text, bufetat_help boolean,
                occurred_at timestamptz)
         ON CONFLICT (notification_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM i`,
      [JSON.stringify(rows)],
    );
    inserted = result?.n ?? 0;
  }

  const sync = [...touched.values()].flatMap(({ placementId, taskId }) => {
    const state = states.get(placementId);
    const task = state?.tasks[taskId];
    if (!state || !task) return [];
    return [
      {
        placement_id: placementId,
        task_id: taskId,
        open: task.status === 'open' && state.status === 'active',
        due_on: task.dueOn,
        title: task.title,
        task_role: task.role,
        assignee_id: task.assigneeId,
        due_soon: task.dueSoon,
        overdue: task.overdue,
        escalated: task.escalated,
      },
    ];
  });
  if (sync.length > 0) {
    await m.query(
      `UPDATE notifications n
          SET state = CASE WHEN NOT s.open
                             OR (n.kind = 'due-soon' AND NOT s.due_soon)
                             OR (n.kind = 'overdue' AND NOT s.overdue)
                             OR (n.kind = 'escalated' AND NOT s.escalated)
                           THEN 'obsolete' ELSE n.state END,
              due_on = s.due_on, title = s.title, task_role = s.task_role, assignee_id = s.assignee_id
         FROM jsonb_to_recordset($1::jsonb) AS s(placement_id uuid, task_id text, open boolean, due_on date,
              title text, task_role text, assignee_id text, due_soon boolean, overdue boolean, escalated boolean)
        WHERE n.placement_id = s.placement_id AND n.task_id = s.task_id
          AND n.state = 'pending' AND n.mail_id IS NULL`,
      [JSON.stringify(sync)],
    );
  }
  // A paused, ended or completed package tells nobody anything more (a resumed one gets new timers).
  const inactive = pending.filter((id) => states.get(id)?.status !== 'active');
  if (inactive.length > 0) {
    await m.query(
      `UPDATE notifications SET state = 'obsolete'
        WHERE placement_id = ANY($1::uuid[]) AND state = 'pending' AND mail_id IS NULL`,
      [inactive],
    );
  }

  await m.query(
    `INSERT INTO notification_placement_state (placement_id, version, state)
     SELECT placement_id, version, state FROM jsonb_to_recordset($1::jsonb) AS r(placement_id uuid, version integer, state jsonb)
     ON CONFLICT (placement_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state`,
    [
      JSON.stringify(
        pending.map((id) => ({ placement_id: id, version: states.get(id)?.version, state: states.get(id) })),
      ),
    ],
  );
  return inserted;
}
