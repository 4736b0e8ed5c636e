import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { KOMPETANSEBASE_CATALOG, assignmentStep } from '../../../libs/domain/kompetansebase/catalog.js';
import type { AssignmentState } from '../../../libs/domain/kompetansebase/state.js';
import type { DeclineReason, WaitReason } from '../../../libs/domain/kompetansebase/vocabulary.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import type { Actor, Role } from '../../../libs/domain/vocabulary.js';
import { DEVELOPMENT_KEY, OrderTextStore, type OrderTexts } from '../../../libs/personal-data/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import type { AssignmentCommandResult } from '../../../workflows/kompetansebase-contracts.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { CommandSender, type CommandRequest } from '../commands/command-sender.js';
import type { CommandStatusDto } from '../commands/commands.dto.js';
import { idempotentId, keyReused } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';
import type {
  AssignmentCommandResultDto,
  AssignmentDetailDto,
  AssignmentSummaryDto,
  CompleteStepDto,
  OrderDto,
  OrderedDto,
  QueueDto,
} from './kompetansebase.dto.js';

const BASE_ROLES: readonly Role[] = ['kompetansebase-veileder', 'kompetansebase-leder'];
const isBaseStaff = (p: Scoped) => p.roles.some((r) => BASE_ROLES.includes(r));

interface AssignmentRow {
  assignment_id: string;
  service_id: string;
  service_name: string;
  network_id: string;
  request_type: string;
  urgency: string;
  status: string;
  ordered_on: string;
  accepted_on: string | null;
  decline_reason: string | null;
  families: number;
  state: AssignmentState;
  version: number;
  waiting_days: number;
}

const COLUMNS = `a.assignment_id, a.service_id, s.name AS service_name, a.network_id, a.request_type, a.urgency,
  a.status, to_char(a.ordered_on, 'YYYY-MM-DD') AS ordered_on, to_char(a.accepted_on, 'YYYY-MM-DD') AS accepted_on,
  a.decline_reason, a.families, a.state, a.version, ($1::date - a.ordered_on)::int AS waiting_days`;
const FROM = `kompetansebase_assignments a JOIN services s ON s.id = a.service_id`;

const summary = (r: AssignmentRow): AssignmentSummaryDto => ({
  assignmentId: r.assignment_id,
  serviceId: r.service_id,
  serviceName: r.service_name,
  requestType: r.request_type,
  urgency: r.urgency,
  status: r.status,
  orderedOn: r.ordered_on,
  ...(r.accepted_on ? { acceptedOn: r.accepted_on } : {}),
  ...(r.decline_reason ? { declineReason: r.decline_reason } : {}),
  ...(r.state.waitReason && r.status === 'venter' ? { waitReason: r.state.waitReason } : {}),
  waitingDays: r.waiting_days,
  families: r.families,
});

/**
 * Kompetansebase orders and assignments through the API (issue 17). A service's caseworker or leader
 * orders from the base of the service's learning network; the order's texts (case number, goal, plan
 * reference) are sealed apart from the workflow, which gets codes and opaque ids only. The base's staff
 * (a principal of a kompetansebase role belongs to the base of its `network` claim) see its queue and
 * assignments; its leader accepts, declines or lets an order wait; its counsellors complete the steps.
 * The ordering service sees its own orders. Every command is an Update whose id comes from the
 * Idempotency-Key, the caller, the route and the resource, so a repeat has one effect; it is sent and
 * answered as a placement's commands are (CommandSender: the outcome, or 202 with where to look it up
 * when the engine does not answer within API_COMMAND_WAIT_MS).
 */
@Injectable()
export class KompetansebaseService {
  private readonly texts: OrderTextStore;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sender: CommandSender,
    private readonly accessLog: AccessLogService,
  ) {
    this.texts = new OrderTextStore(
      config.PERSONAL_DATA_KEY ? Buffer.from(config.PERSONAL_DATA_KEY, 'base64') : DEVELOPMENT_KEY,
    );
  }

  private get engine() {
    return this.sender.assignments;
  }

  private static today(): string {
    return osloDateOf(Date.now());
  }

  /** The base of a staff member's network; 403 when the principal belongs to none. */
  private async baseOf(
    p: Scoped,
  ): Promise<{ id: string; name: string; capacity: number; network_id: string }> {
    const [base] = p.network
      ? await this.dataSource.query<{ id: string; name: string; capacity: number; network_id: string }[]>(
          `SELECT id, name, capacity, network_id FROM kompetansebaser WHERE network_id = $1`,
          [p.network],
        )
      : [];
    if (!base) throw new ProblemException(403, 'Du hører ikke til en kompetansebase.');
    return base;
  }

  /** An assignment the caller may see (the base's staff, the ordering service); 404 otherwise (logged). */
  private async visible(p: Scoped, assignmentId: string, req: AuthenticatedRequest): Promise<AssignmentRow> {
    const [row] = await this.dataSource.query<AssignmentRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.assignment_id = $2`,
      [KompetansebaseService.today(), assignmentId],
    );
    return this.guard(p, row, assignmentId, req);
  }

  /**
   * Whether `p` may see the assignment `scope` belongs to (the base's staff of its network, the ordering
   * service's caseworkers and leaders): the read is logged either way, and anyone else gets 404.
   */
  private async guard<S extends { service_id: string; network_id: string | null }>(
    p: Scoped,
    scope: S | undefined,
    assignmentId: string,
    req: AuthenticatedRequest,
  ): Promise<S> {
    const sees =
      scope !== undefined &&
      ((isBaseStaff(p) && scope.network_id !== null && p.network === scope.network_id) ||
        (p.roles.some((r) => r === 'kontaktperson' || r === 'leder') && p.organisation === scope.service_id));
    await this.accessLog.record([
      {
        principal: p,
        action: req.routeKey ?? 'kompetansebase',
        outcome: sees ? 'allowed' : 'hidden',
        requestId: requestId(req),
        detail: `kompetansebase ${assignmentId}`,
      },
    ]);
    if (!sees) throw new ProblemException(404, 'Fant ikke oppdraget.');
    return scope;
  }

  /**
   * What became of a command on an assignment (by the id a 202 gave), for those who may see the
   * assignment. An order not yet recorded has no assignment row: its sealed texts name the ordering
   * service, so the orderer and the base can follow it from the start. The read is logged.
   */
  async commandStatus(
    p: Scoped,
    assignmentId: string,
    commandId: string,
    req: AuthenticatedRequest,
  ): Promise<CommandStatusDto> {
    const [scope] = await this.dataSource.query<{ service_id: string; network_id: string | null }[]>(
      `SELECT service_id, network_id FROM kompetansebase_assignments WHERE assignment_id = $1
       UNION ALL
       SELECT t.service_id, s.network_id FROM kompetansebase_order_texts t JOIN services s ON s.id = t.service_id
        WHERE t.assignment_id = $1
       LIMIT 1`,
      [assignmentId],
    );
    await this.guard(p, scope, assignmentId, req);
    return this.sender.lookup({ kind: 'assignment', id: assignmentId }, commandId);
  }

  async order(p: Scoped, body: OrderDto, key: string, req: AuthenticatedRequest): Promise<OrderedDto> {
    const [service] = await this.dataSource.query<{ base_id: string | null; network_id: string | null }[]>(
      `SELECT s.network_id, b.id AS base_id FROM services s LEFT JOIN kompetansebaser b ON b.network_id = s.network_id
        WHERE s.id = $1`,
      [p.organisation],
    );
    if (!service?.base_id || !service.network_id)
      throw new ProblemException(409, 'Tjenesten din hører ikke til et læringsnettverk med kompetansebase.');
    const assignmentId = idempotentId(p, key, req.routeKey ?? 'POST /api/kompetansebase/orders');
    const texts: OrderTexts = {
      caseNumber: body.caseNumber.trim(),
      goal: body.goal.trim(),
      planReference: body.planReference.trim(),
    };
    const stored = await this.dataSource.transaction(async (m) => {
      const put = await this.texts.put(m, assignmentId, p.organisation, texts, p.userId);
      await this.accessLog.record(
        [
          {
            principal: p,
            action: req.routeKey ?? 'kompetansebase',
            outcome: 'allowed',
            requestId: requestId(req),
            detail: `kompetansebase ${assignmentId}`,
          },
        ],
        m,
      );
      return put;
    });
    if (stored.repeat && JSON.stringify(stored.texts) !== JSON.stringify(texts))
      throw keyReused('en annen bestilling');
    const by: Actor = {
      userId: p.userId,
      role: p.roles.includes('kontaktperson') ? 'kontaktperson' : 'leder',
    };
    // What the order asks besides its texts (compared above, sealed): the same key with another type,
    // urgency or group is refused too.
    const asked = {
      requestType: body.requestType,
      urgency: body.urgency,
      ...(body.families?.length ? { families: body.families } : {}),
    };
    try {
      const result = await this.sender.sendTo(
        { kind: 'assignment', id: assignmentId },
        assignmentId,
        () =>
          this.engine.submit({
            commandId: assignmentId,
            assignmentId,
            origin: { baseId: service.base_id!, networkId: service.network_id!, serviceId: p.organisation },
            ...asked,
            catalogVersion: KOMPETANSEBASE_CATALOG.version,
            by,
          }),
        { body: asked, what: 'en annen bestilling' },
      );
      // A repeat (the claimed request, or the order's stored events, say it is one) has `repeated` set.
      return { assignmentId, ...this.result(result) };
    } catch (error) {
      // A refused order, or one certainly not sent (503; a maybe-sent one is a 202, not a problem), leaves
      // no texts behind that no assignment names.
      const status = error instanceof ProblemException ? error.getStatus() : 0;
      if (status >= 400 && !stored.repeat) await this.texts.drop(this.dataSource, assignmentId);
      throw error;
    }
  }

  private result(r: AssignmentCommandResult) {
    return { version: r.version, applied: r.applied, repeated: r.repeated ?? false };
  }

  async queue(p: Scoped, req: AuthenticatedRequest): Promise<QueueDto> {
    const base = await this.baseOf(p);
    const rows = await this.dataSource.query<AssignmentRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.base_id = $2 AND a.status IN ('bestilt', 'venter')
        ORDER BY (a.urgency = 'haster') DESC, a.ordered_on, a.assignment_id LIMIT 500`,
      [KompetansebaseService.today(), base.id],
    );
    const [{ active }] = await this.dataSource.query<{ active: number }[]>(
      `SELECT count(*)::int AS active FROM kompetansebase_assignments WHERE base_id = $1 AND status = 'aktiv'`,
      [base.id],
    );
    await this.accessLog.record([
      {
        principal: p,
        action: req.routeKey ?? 'kompetansebase',
        outcome: 'allowed',
        requestId: requestId(req),
      },
    ]);
    return {
      base: { baseId: base.id, name: base.name, capacity: base.capacity, active },
      queue: rows.map(summary),
    };
  }

  /** The base's assignments (its staff) or the service's own orders (caseworkers, leaders), newest first. */
  async list(p: Scoped, req: AuthenticatedRequest): Promise<AssignmentSummaryDto[]> {
    const staff = isBaseStaff(p);
    const scope = staff ? (await this.baseOf(p)).id : p.organisation;
    const rows = await this.dataSource.query<AssignmentRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${staff ? 'a.base_id' : 'a.service_id'} = $2
        ORDER BY a.ordered_on DESC, a.assignment_id LIMIT 500`,
      [KompetansebaseService.today(), scope],
    );
    await this.accessLog.record([
      {
        principal: p,
        action: req.routeKey ?? 'kompetansebase',
        outcome: 'allowed',
        requestId: requestId(req),
      },
    ]);
    return rows.map(summary);
  }

  async detail(p: Scoped, assignmentId: string, req: AuthenticatedRequest): Promise<AssignmentDetailDto> {
    const row = await this.visible(p, assignmentId, req);
    const texts = await this.texts.get(this.dataSource, assignmentId);
    const s = row.state;
    const tasks = Object.values(s.tasks)
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.taskId.localeCompare(b.taskId))
      .map((t) => ({
        taskId: t.taskId,
        stepId: t.stepId,
        title: assignmentStep(KOMPETANSEBASE_CATALOG, t.stepId).title,
        occurrence: t.occurrence,
        role: t.role,
        dueOn: t.dueOn,
        status: t.status,
        overdue: t.overdue,
        escalated: t.escalated,
        ...(t.completedOn ? { completedOn: t.completedOn } : {}),
        ...(t.late !== undefined ? { late: t.late } : {}),
        ...(t.attendance ? { attendance: { ...t.attendance } } : {}),
      }));
    return {
      ...summary(row),
      version: row.version,
      familyRefs: [...s.families],
      ...(s.evaluationOn ? { evaluationOn: s.evaluationOn } : {}),
      ...(s.closedOn ? { closedOn: s.closedOn } : {}),
      tasks,
      ...(texts ?? {}),
    };
  }

  private commandId(p: Scoped, req: AuthenticatedRequest, key: string, on: string): string {
    return idempotentId(p, key, `${req.routeKey ?? 'kompetansebase'}|${on}`);
  }

  private actor(p: Scoped): Actor {
    const role = p.roles.includes('kompetansebase-leder')
      ? 'kompetansebase-leder'
      : 'kompetansebase-veileder';
    return { userId: p.userId, role };
  }

  /**
   * A command of the base's staff on an assignment they may see, sent with the request it is taken in
   * for (`body`, what the command asks besides who asks), so that the same key with another body is
   * refused (422) and the same body again answers as a repeat.
   */
  private async staffCommand(
    p: Scoped,
    assignmentId: string,
    req: AuthenticatedRequest,
    commandId: string,
    request: CommandRequest,
    send: () => Promise<AssignmentCommandResult>,
  ): Promise<AssignmentCommandResultDto> {
    const row = await this.visible(p, assignmentId, req);
    if (!isBaseStaff(p) || p.network !== row.network_id)
      throw new ProblemException(404, 'Fant ikke oppdraget.');
    const result = await this.sender.sendTo(
      { kind: 'assignment', id: assignmentId },
      commandId,
      send,
      request,
    );
    return { commandId, ...this.result(result) };
  }

  accept(p: Scoped, assignmentId: string, key: string, req: AuthenticatedRequest) {
    const commandId = this.commandId(p, req, key, assignmentId);
    return this.staffCommand(
      p,
      assignmentId,
      req,
      commandId,
      { body: {}, what: 'en annen forespørsel' },
      () => this.engine.send(assignmentId, 'acceptOrder', { commandId, by: this.actor(p) }),
    );
  }

  decline(p: Scoped, assignmentId: string, reason: DeclineReason, key: string, req: AuthenticatedRequest) {
    const commandId = this.commandId(p, req, key, assignmentId);
    return this.staffCommand(
      p,
      assignmentId,
      req,
      commandId,
      { body: { reason }, what: 'et avslag med en annen grunn' },
      () => this.engine.send(assignmentId, 'declineOrder', { commandId, reason, by: this.actor(p) }),
    );
  }

  wait(p: Scoped, assignmentId: string, reason: WaitReason, key: string, req: AuthenticatedRequest) {
    const commandId = this.commandId(p, req, key, assignmentId);
    return this.staffCommand(
      p,
      assignmentId,
      req,
      commandId,
      { body: { reason }, what: 'en venting med en annen grunn' },
      () => this.engine.send(assignmentId, 'waitOrder', { commandId, reason, by: this.actor(p) }),
    );
  }

  complete(
    p: Scoped,
    assignmentId: string,
    taskId: string,
    body: CompleteStepDto,
    key: string,
    req: AuthenticatedRequest,
  ) {
    if (body.attendance && !Object.values(body.attendance).every((v) => typeof v === 'boolean'))
      throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
        { field: 'attendance', reason: 'må si ja (true) eller nei (false) for hver familie' },
      ]);
    const commandId = this.commandId(p, req, key, `${assignmentId}|${taskId}`);
    const step = {
      taskId,
      completedOn: body.completedOn,
      ...(body.evaluationOn !== undefined ? { evaluationOn: body.evaluationOn } : {}),
      ...(body.twoCounsellors !== undefined ? { twoCounsellors: body.twoCounsellors } : {}),
      ...(body.attendance !== undefined ? { attendance: body.attendance } : {}),
      ...(body.familyGroupConference !== undefined
        ? { familyGroupConference: body.familyGroupConference }
        : {}),
    };
    return this.staffCommand(
      p,
      assignmentId,
      req,
      commandId,
      { body: step, what: 'en annen utføring av steget' },
      () =>
        this.engine.send(assignmentId, 'completeAssignmentStep', { commandId, ...step, by: this.actor(p) }),
    );
  }
}
