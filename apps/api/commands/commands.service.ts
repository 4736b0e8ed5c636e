import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { legalBasisOf, type Actor, type Role } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { PlacementCommands } from '../../../libs/temporal/index.js';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import {
  changedFacts,
  dateShift,
  diffPlan,
  validateChange,
  type PlanChange,
} from '../../../libs/domain/package/decide.js';
import { planPackage } from '../../../libs/domain/planner/plan-package.js';
import { CatalogsService } from '../catalogs/catalogs.service.js';
import { ProblemException } from '../common/problem.js';
import { PlacementsService } from '../placements/placements.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { toProblem } from './command-errors.js';
import type {
  AdHocTaskDto,
  ChangePlacementDto,
  ChangePreviewDto,
  ChangeResultDto,
  PlanChangeDto,
  PreviewChangeDto,
  ReductionDto,
  CommandResultDto,
  CompleteTaskDto,
  EndDto,
  PauseDto,
  RegisterPlacementDto,
  ReassignTaskDto,
  RegisteredDto,
  ResumeDto,
  WaiveTaskDto,
} from './commands.dto.js';

/** The API's view of a plan change: added tasks without their timer internals. */
function planChangeDto(change: PlanChange): PlanChangeDto {
  return {
    moved: [...change.moved],
    replaced: [...change.replaced],
    added: change.added.map(({ taskId, title, dueOn }) => ({ taskId, title, dueOn })),
    cancelled: [...change.cancelled],
    kept: change.kept,
  };
}

/** Namespace for ids derived from an Idempotency-Key (fixed, arbitrary). */
const IDEMPOTENCY_NAMESPACE = '6b2d0c8e-4f1a-4e7b-9c3d-2a1b0c9d8e7f';
const IDEMPOTENCY_KEY = /^[\w-]{8,100}$/;
const COMMAND_TIMEOUT_MS = 10_000;

/** The actor of a command: the principal acting in the given role when it has it, else its first role. */
function actor(principal: Scoped, preferred?: string): Actor {
  const role: Role | undefined = principal.roles.find((r) => r === preferred) ?? principal.roles[0];
  if (!role) throw new ProblemException(403, 'Du har ingen rolle.'); // the verifier never lets this through
  return { userId: principal.userId, role };
}

/**
 * Commands on placements and tasks: check access on the read model (logged), then one Update on the
 * placement's workflow. The command id is the Idempotency-Key when given, so a retry has one effect.
 */
@Injectable()
export class CommandsService {
  private readonly commands: PlacementCommands;

  constructor(
    private readonly client: Client,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tasks: TasksService,
    private readonly placements: PlacementsService,
    private readonly catalogs: CatalogsService,
    private readonly calendars: ServiceCalendars,
    private readonly reference: ReferenceService,
  ) {
    this.commands = new PlacementCommands(client, config.TEMPORAL_TASK_QUEUE);
  }

  private static commandId(principal: Scoped, key: string | undefined, route: string): string {
    if (key === undefined) return randomUUID();
    if (!IDEMPOTENCY_KEY.test(key))
      throw new ProblemException(400, 'Ugyldig Idempotency-Key.', [
        { field: 'Idempotency-Key', reason: 'må ha 8–100 tegn: bokstaver a–z, sifre, - eller _' },
      ]);
    return uuidv5(`${principal.issuer}|${principal.userId}|${route}|${key}`, IDEMPOTENCY_NAMESPACE);
  }

  /**
   * One call into Temporal, bounded: an answer within COMMAND_TIMEOUT_MS or 503 (a lazy connection to
   * an unreachable server would otherwise retry for as long as the client waits).
   */
  private async run<T>(call: () => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(COMMAND_TIMEOUT_MS);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error('Temporal call timed out')), { once: true }),
    );
    try {
      return await Promise.race([this.client.withAbortSignal(signal, call), timedOut]);
    } catch (error) {
      throw toProblem(error);
    }
  }

  async register(
    principal: Scoped,
    body: RegisterPlacementDto,
    idempotencyKey: string | undefined,
  ): Promise<RegisteredDto> {
    if (idempotencyKey === undefined)
      throw new ProblemException(400, 'Idempotency-Key mangler.', [
        { field: 'Idempotency-Key', reason: 'mangler' },
      ]);
    const { placementType, legalBasis } = body.facts;
    const dictated = legalBasisOf(placementType);
    if (dictated !== null && legalBasis !== dictated) {
      throw new ProblemException(400, 'Rettsgrunnlaget må stemme med plasseringstypen.', [
        { field: 'facts.legalBasis', reason: `må være ${dictated} for plasseringstypen ${placementType}` },
      ]);
    }
    if (!(await this.reference.serves(principal.organisation, body.municipalityId)))
      throw new ProblemException(400, 'Kommunen hører ikke til tjenesten din.', [
        { field: 'municipalityId', reason: 'er ikke en kommune tjenesten din handler for' },
      ]);
    // Checked here, before any workflow starts: the workflow would fail on it (and stay Failed).
    if (!(await this.catalogs.exists(body.catalogVersion)))
      throw new ProblemException(400, 'Katalogversjonen finnes ikke.', [
        { field: 'catalogVersion', reason: 'ingen katalog har denne versjonen (se GET /api/catalogs)' },
      ]);
    const commandId = CommandsService.commandId(principal, idempotencyKey, 'POST /api/placements');
    // Same key, same placement: a retried registration finds the workflow it started.
    const placementId = uuidv5(`placement|${commandId}`, IDEMPOTENCY_NAMESPACE);
    const childRef = uuidv5(`child|${commandId}`, IDEMPOTENCY_NAMESPACE);
    const result = await this.run(() =>
      this.commands.register({
        commandId,
        actor: actor(principal, 'kontaktperson'),
        placementId,
        childRef,
        organisation: { serviceId: principal.organisation, municipalityId: body.municipalityId },
        facts: { ...body.facts },
        catalogVersion: body.catalogVersion,
      }),
    );
    return { placementId, childRef, version: result.version, applied: result.applied };
  }

  private async onTask(
    principal: Scoped,
    placementId: string,
    taskId: string,
    action: 'task:act' | 'task:reassign',
    route: string,
    requestId: string | undefined,
  ) {
    return this.tasks.authorized(principal, placementId, taskId, action, route, requestId);
  }

  async complete(
    p: Scoped,
    placementId: string,
    taskId: string,
    body: CompleteTaskDto,
    key: string | undefined,
    requestId?: string,
  ): Promise<CommandResultDto> {
    const route = 'POST /api/tasks/{placementId}/{taskId}/complete';
    const task = await this.onTask(p, placementId, taskId, 'task:act', route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.complete(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`),
        actor: actor(p, task.role),
        taskId,
        outcome: body.outcome,
        completedOn: body.completedOn,
      }),
    );
    return { version, applied };
  }

  async waive(
    p: Scoped,
    placementId: string,
    taskId: string,
    body: WaiveTaskDto,
    key: string | undefined,
    requestId?: string,
  ): Promise<CommandResultDto> {
    const route = 'POST /api/tasks/{placementId}/{taskId}/waive';
    const task = await this.onTask(p, placementId, taskId, 'task:act', route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.waive(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`),
        actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
        taskId,
        reason: body.reason,
      }),
    );
    return { version, applied };
  }

  async reassign(
    p: Scoped,
    placementId: string,
    taskId: string,
    body: ReassignTaskDto,
    key: string | undefined,
    requestId?: string,
  ): Promise<CommandResultDto> {
    const route = 'POST /api/tasks/{placementId}/{taskId}/reassign';
    const task = await this.onTask(p, placementId, taskId, 'task:reassign', route, requestId);
    await this.tasks.requireRoleChange(p, task, body.role ?? task.role, route, requestId);
    // To a person: only someone who may take it (else 400, and the workflow is never asked); null: the pool.
    if (body.assigneeId !== null && body.assigneeId !== undefined)
      await this.tasks.requireCandidate(task, body.role ?? task.role, body.assigneeId);
    const { version, applied } = await this.run(() =>
      this.commands.reassign(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`),
        actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
        taskId,
        assigneeId: body.assigneeId ?? null,
        ...(body.role ? { role: body.role } : {}),
      }),
    );
    return { version, applied };
  }

  /** Take a task from one's role pool. */
  async claim(
    p: Scoped,
    placementId: string,
    taskId: string,
    key: string | undefined,
    requestId?: string,
  ): Promise<CommandResultDto> {
    const route = 'POST /api/tasks/{placementId}/{taskId}/claim';
    const task = await this.onTask(p, placementId, taskId, 'task:act', route, requestId);
    if (task.assignee_id !== null && task.assignee_id !== p.userId)
      throw new ProblemException(409, 'Oppgaven er allerede tatt av en annen.');
    const { version, applied } = await this.run(() =>
      this.commands.reassign(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`),
        actor: actor(p, task.role),
        taskId,
        assigneeId: p.userId,
      }),
    );
    return { version, applied };
  }

  private async onPlacement(p: Scoped, placementId: string, route: string, requestId?: string) {
    await this.placements.authorized(p, placementId, 'placement:write', route, requestId);
  }

  async pause(p: Scoped, placementId: string, body: PauseDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/pause';
    await this.onPlacement(p, placementId, route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.pause(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'kontaktperson'),
        reason: body.reason,
        from: body.from,
      }),
    );
    return { version, applied };
  }

  async resume(p: Scoped, placementId: string, body: ResumeDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/resume';
    await this.onPlacement(p, placementId, route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.resume(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'kontaktperson'),
        on: body.on,
      }),
    );
    return { version, applied };
  }

  async end(p: Scoped, placementId: string, body: EndDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/end';
    await this.onPlacement(p, placementId, route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.end(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'kontaktperson'),
        reason: body.reason,
        endedOn: body.endedOn,
      }),
    );
    return { version, applied };
  }

  /** Give a claimed task back to the role pool. */
  async unclaim(p: Scoped, placementId: string, taskId: string, key?: string, requestId?: string) {
    const route = 'POST /api/tasks/{placementId}/{taskId}/unclaim';
    const task = await this.onTask(p, placementId, taskId, 'task:act', route, requestId);
    if (task.assignee_id !== p.userId) throw new ProblemException(409, 'Oppgaven er ikke tatt av deg.');
    const { version, applied } = await this.run(() =>
      this.commands.reassign(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`),
        actor: actor(p, task.role),
        taskId,
        assigneeId: null,
      }),
    );
    return { version, applied };
  }

  /**
   * What a change of placement date or type would do, computed as the workflow will compute it (the
   * same pure planner and diff over the package's current state), without changing anything. The
   * answer's `expectedVersion` makes the apply refuse (409) if the package moves on in between.
   */
  async previewChange(
    p: Scoped,
    placementId: string,
    body: PreviewChangeDto,
    requestId?: string,
  ): Promise<ChangePreviewDto> {
    const route = 'POST /api/placements/{placementId}/change/preview';
    await this.placements.authorized(p, placementId, 'placement:read', route, requestId);
    CommandsService.requireSomethingToChange(body);
    const state = await this.run(() => this.commands.plan(placementId));
    if (!state) throw new ProblemException(404, 'Plasseringen finnes ikke.');
    const cmd = {
      commandId: 'preview',
      actor: actor(p, 'kontaktperson'),
      ...CommandsService.changeOf(body),
    };
    try {
      validateChange(state, cmd);
    } catch (error) {
      throw toProblem(error);
    }
    const catalog = await this.catalogs.get(state.catalogVersion);
    const facts = changedFacts(state.facts, cmd);
    const calendar = await this.calendars.forService(state.organisation.serviceId);
    const proposed = planPackage(catalog, { facts, reductions: state.reductions }, calendar);
    return {
      expectedVersion: state.version,
      legalBasis: facts.legalBasis,
      change: planChangeDto(diffPlan(state, proposed, { dateShiftDays: dateShift(state.facts, facts) })),
    };
  }

  /** The change a request asks for: only the fields it gives. */
  private static changeOf(body: PreviewChangeDto) {
    return {
      ...(body.placementDate ? { placementDate: body.placementDate } : {}),
      ...(body.placementType ? { placementType: body.placementType } : {}),
      ...(body.legalBasis ? { legalBasis: body.legalBasis } : {}),
    };
  }

  private static requireSomethingToChange(body: PreviewChangeDto): void {
    if (body.placementDate === undefined && body.placementType === undefined)
      throw new ProblemException(400, 'Ingenting å endre.', [
        { field: 'placementDate', reason: 'placementDate eller placementType må være med' },
      ]);
  }

  /** Apply a change of placement date or type decided on `expectedVersion` (409 if it moved on). */
  async change(
    p: Scoped,
    placementId: string,
    body: ChangePlacementDto,
    key?: string,
    requestId?: string,
  ): Promise<ChangeResultDto> {
    const route = 'POST /api/placements/{placementId}/change';
    await this.onPlacement(p, placementId, route, requestId);
    CommandsService.requireSomethingToChange(body);
    const { version, applied, change } = await this.run(() =>
      this.commands.change(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'kontaktperson'),
        expectedVersion: body.expectedVersion,
        ...CommandsService.changeOf(body),
      }),
    );
    return { version, applied, ...(change ? { change: planChangeDto(change) } : {}) };
  }

  async recordReduction(
    p: Scoped,
    placementId: string,
    body: ReductionDto,
    key?: string,
    requestId?: string,
  ) {
    const route = 'POST /api/placements/{placementId}/reductions';
    await this.onPlacement(p, placementId, route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.recordReduction(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'leder'),
        decision: { kind: body.kind, minimumPerYear: body.minimumPerYear, effectiveFrom: body.effectiveFrom },
      }),
    );
    return { version, applied };
  }

  async addAdHoc(p: Scoped, placementId: string, body: AdHocTaskDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/ad-hoc-tasks';
    await this.onPlacement(p, placementId, route, requestId);
    const { version, applied } = await this.run(() =>
      this.commands.addAdHoc(placementId, {
        commandId: CommandsService.commandId(p, key, `${route}|${placementId}`),
        actor: actor(p, 'kontaktperson'),
        stepId: body.stepId,
        dueOn: body.dueOn,
        ...(body.role ? { role: body.role } : {}),
      }),
    );
    return { version, applied };
  }
}
