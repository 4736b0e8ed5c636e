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
  type AnyTaskRow,
  type InboxRow,
  type PlacementInboxRow,
  type TaskRow,
} from './inbox-query.js';
import type {
  AssigneeDto,
  AssigneesQueryDto,
  InboxCountsDto,
  InboxPageDto,
  InboxQueryDto,
  TaskAssignmentDto,
  TaskDto,
  WaiverRecordDto,
} from './tasks.dto.js';
import type { WaiverRecord } from '../../../libs/domain/package/state.js';
import { REQUEST_TYPE_LABEL } from '../../../libs/domain/labels.js';
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

/** What the page's assignment tasks belong to: the ordering services' names (reference data). */
export type ServiceNames = ReadonlyMap<string, string>;

/** An assignment's task in words: its request type in bokmål and the ordering service (e.g. a feed's line). */
export const assignmentLabel = (r: InboxRow, services: ServiceNames): string => {
  const type = r.request_type ? (REQUEST_TYPE_LABEL[r.request_type] ?? r.request_type) : 'Oppdrag';
  const service = r.ordering_service_id ? services.get(r.ordering_service_id) : undefined;
  return service ? `${type} for ${service}` : type;
};

const assignmentDto = (r: InboxRow, services: ServiceNames): TaskAssignmentDto | undefined =>
  r.assignment_id && r.request_type && r.ordering_service_id
    ? {
        assignmentId: r.assignment_id,
        requestType: r.request_type,
        requestTypeLabel: REQUEST_TYPE_LABEL[r.request_type] ?? r.request_type,
        orderingServiceId: r.ordering_service_id,
        ...(services.has(r.ordering_service_id)
          ? { orderingServiceName: services.get(r.ordering_service_id) }
          : {}),
      }
    : undefined;

export const toDto = (
  r: InboxRow,
  names: ReadonlyMap<string, string>,
  caseNumbers: ReadonlyMap<string, string>,
  services: ServiceNames = new Map(),
): TaskDto => {
  const assignment = assignmentDto(r, services);
  return {
    caseKind: r.case_kind,
    ...(r.placement_id ? { placementId: r.placement_id } : {}),
    ...(r.placement_id && caseNumbers.has(r.placement_id)
      ? { caseNumber: caseNumbers.get(r.placement_id) }
      : {}),
    ...(assignment ? { assignment } : {}),
    ...placementFields(r, names),
  };
};

const placementFields = (r: InboxRow, names: ReadonlyMap<string, string>) => ({
  taskId: r.task_id,
  stepId: r.step_id,
  occurrence: r.occurrence,
  title: r.title,
  ...(r.track ? { track: r.track } : {}),
  role: r.role,
  origin: r.origin,
  assigneeId: r.assignee_id,
  ...(r.assignee_id && names.has(r.assignee_id) ? { assigneeName: names.get(r.assignee_id) } : {}),
  ...(r.opens_on ? { opensOn: r.opens_on } : {}),
  dueOn: r.due_on,
  status: r.status,
  escalated: r.escalated,
  overdueAtRegistration: r.overdue_at_registration,
  completedOn: r.completed_on,
  outcome: r.outcome,
  statutory: r.statutory,
  ...(r.child_ref ? { childRef: r.child_ref } : {}),
  ...(r.service_id ? { serviceId: r.service_id } : {}),
  ...(r.waiver ? { waiver: waiverDto(r.waiver, names) } : {}),
});

/** A placement's tasks: the rows that name a child (an assignment's task names none). */
export const placementRows = <T extends InboxRow>(rows: readonly T[]) =>
  rows.filter((r): r is T & PlacementInboxRow => r.case_kind === 'placement');

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
    const placements = placementRows(page);
    await this.accessLog.recordListing(principal, 'GET /api/tasks', placements, requestId);
    const names = await this.names.current();
    // The listing's access log row (above) names every child on the page, case numbers included.
    const caseNumbers = await this.caseNumbers.forPlacements(
      placements.map((r) => r.placement_id),
      principal,
    );
    const services = await this.serviceNames(page);
    return {
      items: page.map((r) => toDto(r, names, caseNumbers, services)),
      nextCursor:
        rows.length > limit && page.length ? encodeCursor(sort, page[page.length - 1].sort_key ?? []) : null,
    };
  }

  /** The names of the services that ordered the rows' assignments (reference data, not personal). */
  async serviceNames(rows: readonly InboxRow[]): Promise<ServiceNames> {
    const ids = [...new Set(rows.flatMap((r) => (r.ordering_service_id ? [r.ordering_service_id] : [])))];
    if (ids.length === 0) return new Map();
    const found = await this.dataSource.query<{ id: string; name: string }[]>(
      `SELECT id::text AS id, name FROM services WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(found.map((s) => [s.id, s.name]));
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
  async openTasks(principal: Scoped, limit = 2000): Promise<AnyTaskRow[]> {
    const params: unknown[] = [];
    const where = visibleTasksSql(principal, params);
    params.push(limit);
    return this.dataSource.query<AnyTaskRow[]>(
      `SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE ${where} AND t.status IN ('open', 'due-soon', 'overdue')
        ORDER BY t.due_on, t.case_id, t.task_id LIMIT $${params.length}`,
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
