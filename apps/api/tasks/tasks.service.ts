import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../../../libs/database/index.js';
import { activePeopleWithRole } from '../../../libs/notifications/index.js';
import { mayBeGiven, visibleTasksSql, type Scoped, type TaskResource } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { AccessService } from '../auth/access.service.js';
import { requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { taskResource } from '../auth/resource-access.js';
import { PeopleNames } from '../auth/people-names.service.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import { ProblemException } from '../common/problem.js';
import {
  encodeCursor,
  inboxCountsSql,
  inboxSql,
  TASK_COLUMNS,
  TASK_FROM,
  type InboxRow,
  type TaskRow,
} from './inbox-query.js';
import type {
  AssigneeDto,
  AssigneesQueryDto,
  InboxCountsDto,
  InboxPageDto,
  InboxQueryDto,
  TaskDto,
  WaiverRecordDto,
} from './tasks.dto.js';
import type { WaiverRecord } from '../../../libs/domain/package/state.js';
import type { Actor } from '../../../libs/domain/vocabulary.js';

const actorDto = (a: Actor, names: ReadonlyMap<string, string>) => ({
  userId: a.userId,
  role: a.role,
  ...(names.has(a.userId) ? { name: names.get(a.userId) } : {}),
});

/** A task's waiver record as the API shows it: codes, ids, instants and people by name. */
export const waiverDto = (w: WaiverRecord, names: ReadonlyMap<string, string>): WaiverRecordDto => ({
  status: w.status,
  requestId: w.requestId,
  reason: w.reason,
  requestedBy: actorDto(w.requestedBy, names),
  requestedAt: w.requestedAt,
  ...(w.decidedBy ? { decidedBy: actorDto(w.decidedBy, names) } : {}),
  ...(w.decidedAt ? { decidedAt: w.decidedAt } : {}),
});

export const toDto = (
  r: InboxRow,
  names: ReadonlyMap<string, string>,
  caseNumbers: ReadonlyMap<string, string>,
): TaskDto => ({
  placementId: r.placement_id,
  ...(caseNumbers.has(r.placement_id) ? { caseNumber: caseNumbers.get(r.placement_id) } : {}),
  taskId: r.task_id,
  stepId: r.step_id,
  occurrence: r.occurrence,
  title: r.title,
  track: r.track,
  role: r.role,
  origin: r.origin,
  assigneeId: r.assignee_id,
  ...(r.assignee_id && names.has(r.assignee_id) ? { assigneeName: names.get(r.assignee_id) } : {}),
  opensOn: r.opens_on,
  dueOn: r.due_on,
  status: r.status,
  escalated: r.escalated,
  overdueAtRegistration: r.overdue_at_registration,
  completedOn: r.completed_on,
  outcome: r.outcome,
  statutory: r.statutory,
  childRef: r.child_ref,
  serviceId: r.service_id,
  ...(r.waiver ? { waiver: waiverDto(r.waiver, names) } : {}),
});

@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
    private readonly names: PeopleNames,
    private readonly caseNumbers: CaseNumbers,
  ) {}

  /** The principal's inbox: visible tasks only, in the asked view and sort, keyset-paginated. */
  async inbox(principal: Scoped, query: InboxQueryDto, requestId?: string): Promise<InboxPageDto> {
    const { text, params, limit, sort } = inboxSql(principal, query);
    const rows = await preparedQuery<InboxRow>(this.dataSource, text, params);
    const page = rows.slice(0, limit);
    await this.accessLog.recordListing(principal, 'GET /api/tasks', page, requestId);
    const names = await this.names.current();
    // The listing's access log row (above) names every child on the page, case numbers included.
    const caseNumbers = await this.caseNumbers.forPlacements(
      page.map((r) => r.placement_id),
      principal,
    );
    return {
      items: page.map((r) => toDto(r, names, caseNumbers)),
      nextCursor:
        rows.length > limit && page.length ? encodeCursor(sort, page[page.length - 1].sort_key ?? []) : null,
    };
  }

  /** How many tasks each view holds: counts only, no child on them, so nothing to log. */
  async counts(principal: Scoped): Promise<InboxCountsDto> {
    const { text, params } = inboxCountsSql(principal);
    const [row] = await preparedQuery<InboxCountsDto>(this.dataSource, text, params);
    return { mine: row?.mine ?? 0, pool: row?.pool ?? 0, done: row?.done ?? 0 };
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
      `SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE ${where} AND t.status IN ('open', 'due-soon', 'overdue')
        ORDER BY t.due_on, t.placement_id, t.task_id LIMIT $${params.length}`,
      params,
    );
  }

  /** A task the guard loaded and checked (`task:read`), with its case number for the owning service. */
  async get(row: TaskRow, reader: Scoped): Promise<TaskDto> {
    const caseNumbers = await this.caseNumbers.forPlacements([row.placement_id], reader);
    return toDto(row, await this.names.current(), caseNumbers);
  }

  /**
   * Who the task can be given to (for those who may reassign it): the people the API knows, active,
   * holding its role (or `query.role`) and allowed to act on it once it is theirs. Logged as a read of
   * the child's data, like the task itself.
   */
  async assignees(
    principal: Scoped,
    row: TaskRow,
    query: AssigneesQueryDto,
    request: AuthenticatedRequest,
  ): Promise<AssigneeDto[]> {
    const role = query.role ?? row.role;
    await this.requireRoleChange(principal, row, role, request);
    const people = await this.candidates(row, role);
    return people.map((p) => ({
      userId: p.userId,
      ...(p.name ? { name: p.name } : {}),
      roles: [...p.roles],
    }));
  }

  /**
   * Refuses (400, naming `assigneeId`) a reassignment of `task` into `role` to someone who is not among
   * its candidates (see `assignees`): a mistyped id would otherwise take the task out of the role's pool
   * and give it to nobody.
   */
  async requireCandidate(task: TaskRow, role: string, assigneeId: string): Promise<void> {
    const people = await this.candidates(task, role);
    if (!people.some((p) => p.userId === assigneeId))
      throw new ProblemException(400, 'Oppgaven kan ikke gis til denne personen.', [
        { field: 'assigneeId', reason: 'kan ikke få denne oppgaven (se GET …/assignees)' },
      ]);
  }

  /** The people `task` can be given to in `role`, one per user id, by name (else id). */
  private async candidates(task: TaskRow, role: string): Promise<Scoped[]> {
    const resource: TaskResource = { ...taskResource(task), role };
    const byUser = new Map<string, Scoped>();
    for (const person of await activePeopleWithRole(this.dataSource, role))
      if (!byUser.has(person.userId) && mayBeGiven(person, resource)) byUser.set(person.userId, person);
    const label = (p: Scoped) => p.name ?? p.userId;
    return [...byUser.values()].sort((a, b) => label(a).localeCompare(label(b), 'nb'));
  }

  /**
   * Checks that the principal may move `task` into `role` when that is another role than its own
   * (leaders and caseworkers only): 403, logged, otherwise.
   */
  async requireRoleChange(
    principal: Scoped,
    task: TaskRow,
    role: string,
    request: AuthenticatedRequest,
  ): Promise<void> {
    if (role === task.role) return;
    await this.access.authorize(principal, 'task:change-role', taskResource(task), {
      route: request.routeKey ?? '(unknown route)',
      placementId: task.placement_id,
      requestId: requestId(request),
    });
  }
}
