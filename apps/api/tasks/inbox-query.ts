import type { WaiverRecord } from '../../../libs/domain/package/state.js';
import { visibleTasksSql, type Scoped } from '../../../libs/security/index.js';
import { isIsoDate } from '../common/dates.js';
import { ProblemException } from '../common/problem.js';
import type { InboxQueryDto } from './tasks.dto.js';

/*
 * The SQL of the inbox, built in one place: TasksService runs it, and the API benchmark
 * (bench/api.mjs) runs the very same text and parameters directly against PostgreSQL as its ceiling.
 */

export interface InboxRow {
  placement_id: string;
  task_id: string;
  step_id: string;
  occurrence: number;
  title: string;
  track: string;
  role: string;
  origin: string;
  assignee_id: string | null;
  opens_on: string;
  due_on: string;
  status: string;
  escalated: boolean;
  overdue_at_registration: boolean;
  completed_on: string | null;
  outcome: string | null;
  statutory: string | null;
  child_ref: string;
  service_id: string;
  /** The last waiver request and what became of it (libs/domain WaiverRecord), or null. */
  waiver: WaiverRecord | null;
}

export interface TaskRow extends InboxRow {
  bufetat_help: boolean;
}

/*
 * Bufetat help is a fact of the registration; the placements read model has no column for it yet, so it
 * is read from the projector's folded state (projection_placement_state). That state is a large jsonb
 * (TOASTed), so the inbox does not select it: read for every candidate row before the sort, it cost
 * ~65 µs a task (10,000 placements: seconds per page). Only a principal whose visibility depends on it
 * (Bufetat) makes the query use `s`; for everyone else PostgreSQL removes the unused LEFT JOIN.
 */
/** What a task shows (the inbox's columns). */
export const INBOX_COLUMNS = `t.placement_id, t.task_id, t.step_id, t.occurrence, t.title, t.track, t.role, t.origin,
  t.assignee_id, t.opens_on::text AS opens_on, t.due_on::text AS due_on, t.status, t.escalated,
  t.overdue_at_registration,
  t.completed_on::text AS completed_on, t.outcome, t.statutory, t.child_ref, t.service_id, t.waiver`;
/** A task with what the access function needs to decide on it (see TasksService.authorized). */
export const TASK_COLUMNS = `${INBOX_COLUMNS}, COALESCE(s.bufetat_help, false) AS bufetat_help`;
export const TASK_FROM = `task_inbox t LEFT JOIN LATERAL (
    SELECT (ps.state->'package'->'facts'->>'bufetatHelp')::boolean AS bufetat_help
      FROM projection_placement_state ps WHERE ps.placement_id = t.placement_id) s ON true`;

export const DEFAULT_INBOX_LIMIT = 50;

type Cursor = [dueOn: string, placementId: string, taskId: string];

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      isIsoDate(value[0]) &&
      /^[0-9a-f-]{36}$/i.test(String(value[1])) &&
      typeof value[2] === 'string'
    )
      return value as Cursor;
  } catch {
    // fall through
  }
  throw new ProblemException(400, 'Ugyldig markør.', [
    { field: 'cursor', reason: 'er ikke en markør fra en tidligere side' },
  ]);
}

export const encodeCursor = (r: Pick<InboxRow, 'due_on' | 'placement_id' | 'task_id'>) =>
  Buffer.from(JSON.stringify([r.due_on, r.placement_id, r.task_id])).toString('base64url');

export interface InboxSql {
  readonly text: string;
  readonly params: unknown[];
  /** The page size; the query asks for one row more, to know whether there is a next page. */
  readonly limit: number;
}

/** The principal's inbox query: visible tasks only, soonest due first, keyset-paginated. */
export function inboxSql(principal: Scoped, query: InboxQueryDto): InboxSql {
  const params: unknown[] = [];
  const arg = (v: unknown) => (params.push(v), `$${params.length}`);
  const where = [visibleTasksSql(principal, params)];
  if (query.status) where.push(`t.status = ${arg(query.status)}`);
  if (query.dueFrom) where.push(`t.due_on >= ${arg(query.dueFrom)}::date`);
  if (query.dueTo) where.push(`t.due_on <= ${arg(query.dueTo)}::date`);
  if (query.track) where.push(`t.track = ${arg(query.track)}`);
  if (query.role) where.push(`t.role = ${arg(query.role)}`);
  if (query.assignee === 'none') where.push(`t.assignee_id IS NULL`);
  else if (query.assignee)
    where.push(`t.assignee_id = ${arg(query.assignee === 'me' ? principal.userId : query.assignee)}`);
  if (query.placementId) where.push(`t.placement_id = ${arg(query.placementId)}::uuid`);
  if (query.cursor) {
    const [dueOn, placementId, taskId] = decodeCursor(query.cursor);
    where.push(
      `(t.due_on, t.placement_id, t.task_id) > (${arg(dueOn)}::date, ${arg(placementId)}::uuid, ${arg(taskId)})`,
    );
  }
  const limit = query.limit ?? DEFAULT_INBOX_LIMIT;
  const text = `SELECT ${INBOX_COLUMNS} FROM ${TASK_FROM} WHERE ${where.join(' AND ')}
        ORDER BY t.due_on, t.placement_id, t.task_id LIMIT ${arg(limit + 1)}`;
  return { text, params, limit };
}
