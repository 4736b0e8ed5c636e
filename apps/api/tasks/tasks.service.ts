import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  visibleTasksSql,
  type Action,
  type Scoped,
  type TaskResource,
} from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { AccessService } from '../auth/access.service.js';
import { ProblemException } from '../common/problem.js';
import type { InboxPageDto, InboxQueryDto, TaskDto } from './tasks.dto.js';

export interface TaskRow {
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
  completed_on: string | null;
  outcome: string | null;
  statutory: string | null;
  child_ref: string;
  service_id: string;
  bufetat_help: boolean;
}

/*
 * Bufetat help is a fact of the registration; the placements read model has no column for it yet, so it
 * is read from the projector's folded state (projection_placement_state).
 */
const COLUMNS = `t.placement_id, t.task_id, t.step_id, t.occurrence, t.title, t.track, t.role, t.origin,
  t.assignee_id, t.opens_on::text AS opens_on, t.due_on::text AS due_on, t.status, t.escalated,
  t.completed_on::text AS completed_on, t.outcome, t.statutory, t.child_ref, t.service_id,
  COALESCE(s.bufetat_help, false) AS bufetat_help`;
const FROM = `task_inbox t LEFT JOIN LATERAL (
    SELECT (ps.state->'package'->'facts'->>'bufetatHelp')::boolean AS bufetat_help
      FROM projection_placement_state ps WHERE ps.placement_id = t.placement_id) s ON true`;

const toDto = (r: TaskRow): TaskDto => ({
  placementId: r.placement_id,
  taskId: r.task_id,
  stepId: r.step_id,
  occurrence: r.occurrence,
  title: r.title,
  track: r.track,
  role: r.role,
  origin: r.origin,
  assigneeId: r.assignee_id,
  opensOn: r.opens_on,
  dueOn: r.due_on,
  status: r.status,
  escalated: r.escalated,
  completedOn: r.completed_on,
  outcome: r.outcome,
  statutory: r.statutory,
  childRef: r.child_ref,
  serviceId: r.service_id,
});

const toResource = (r: TaskRow): TaskResource => ({
  kind: 'task',
  serviceId: r.service_id,
  childRef: r.child_ref,
  bufetatHelp: r.bufetat_help,
  role: r.role,
  assigneeId: r.assignee_id,
});

type Cursor = [dueOn: string, placementId: string, taskId: string];

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      /^\d{4}-\d{2}-\d{2}$/.test(String(value[0])) &&
      /^[0-9a-f-]{36}$/i.test(String(value[1])) &&
      typeof value[2] === 'string'
    )
      return value as Cursor;
  } catch {
    // fall through
  }
  throw new ProblemException(400, 'Ugyldig markør.', [
    { field: 'cursor', reason: 'not a cursor from this API' },
  ]);
}
const encodeCursor = (r: TaskRow) =>
  Buffer.from(JSON.stringify([r.due_on, r.placement_id, r.task_id])).toString('base64url');

@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** The principal's inbox: visible tasks only, soonest due first, keyset-paginated. */
  async inbox(principal: Scoped, query: InboxQueryDto, requestId?: string): Promise<InboxPageDto> {
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
    const limit = query.limit ?? 50;
    const rows = await this.dataSource.query<TaskRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')}
        ORDER BY t.due_on, t.placement_id, t.task_id LIMIT ${arg(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    // One access-log line per child whose data was shown.
    const children = new Map(page.map((r) => [r.child_ref, r.placement_id]));
    await this.accessLog.record(
      [...children].map(([childRef, placementId]) => ({
        principal,
        childRef,
        placementId,
        action: 'GET /api/tasks',
        outcome: 'allowed' as const,
        requestId,
      })),
    );
    return {
      items: page.map(toDto),
      nextCursor: rows.length > limit && page.length ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /**
   * Every open task (open, due soon, overdue) the principal may see: the inbox's query and visibility
   * filter without paging (for the calendar feed), soonest due first, at most `limit`.
   */
  async openTasks(principal: Scoped, limit = 2000): Promise<TaskRow[]> {
    const params: unknown[] = [];
    const where = visibleTasksSql(principal, params);
    params.push(limit);
    return this.dataSource.query<TaskRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} AND t.status IN ('open', 'due-soon', 'overdue')
        ORDER BY t.due_on, t.placement_id, t.task_id LIMIT $${params.length}`,
      params,
    );
  }

  async get(principal: Scoped, placementId: string, taskId: string, requestId?: string): Promise<TaskDto> {
    const row = await this.authorized(
      principal,
      placementId,
      taskId,
      'task:read',
      'GET /api/tasks/{placementId}/{taskId}',
      requestId,
    );
    return toDto(row);
  }

  /** Loads a task and checks `action` on it (logged; 404 when missing or hidden, 403 when forbidden). */
  async authorized(
    principal: Scoped,
    placementId: string,
    taskId: string,
    action: Action,
    route: string,
    requestId?: string,
    manager?: EntityManager,
  ): Promise<TaskRow> {
    const [row] = await (manager ?? this.dataSource).query<(TaskRow | undefined)[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE t.placement_id = $1 AND t.task_id = $2`,
      [placementId, taskId],
    );
    await this.access.authorize(
      principal,
      action,
      row && toResource(row),
      { route, placementId, requestId },
      manager,
    );
    return row!;
  }
}
