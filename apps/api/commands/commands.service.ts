import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { legalBasisOf, type Actor, type Role } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { PackageClosedError, PlacementCommands } from '../../../libs/temporal/index.js';
import type { CommandResult } from '../../../workflows/package-contracts.js';
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
import { idempotentId } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';
import { CommandPending } from './command-pending.js';
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
  CommandStatusDto,
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
/** How long a lookup waits for the engine to tell a command's outcome before saying it is pending. */
const LOOKUP_WAIT_MS = 2_000;

/** Errors after which the command certainly did not reach the placement's workflow. */
const isDefinitelyNotSent = (error: unknown) => error instanceof PackageClosedError;

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
  private readonly waitMs: number;

  constructor(
    private readonly client: Client,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tasks: TasksService,
    private readonly placements: PlacementsService,
    private readonly catalogs: CatalogsService,
    private readonly calendars: ServiceCalendars,
    private readonly reference: ReferenceService,
    private readonly dataSource: DataSource,
  ) {
    this.commands = new PlacementCommands(client, config.TEMPORAL_TASK_QUEUE);
    this.waitMs = config.API_COMMAND_WAIT_MS;
  }

  /** The command id of a request: from its Idempotency-Key (required), who sent it and what it is on. */
  private static commandId(principal: Scoped, key: string | undefined, scope: string): string {
    return idempotentId(principal, key, scope);
  }

  /**
   * One call into Temporal that has no effect (a query), bounded: an answer within API_COMMAND_WAIT_MS or
   * 503 (a lazy connection to an unreachable server would otherwise retry for as long as the client waits).
   */
  private async run<T>(call: () => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.waitMs);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new Error('Temporal call timed out')), { once: true }),
    );
    // The deadline also ends the client's own retries of an unreachable server (abort alone leaves a
    // retry timer behind, which then fails on a closed channel).
    const bounded = () => this.client.withDeadline(Date.now() + this.waitMs, call);
    try {
      return await Promise.race([this.client.withAbortSignal(signal, bounded), timedOut]);
    } catch (error) {
      throw toProblem(error);
    }
  }

  /**
   * One command, answered honestly: its outcome when it comes within API_COMMAND_WAIT_MS, a 4xx when the
   * workflow refused it, 503 (nothing was sent) when Temporal cannot be reached before sending, and 202
   * with the command's id when the wait ran out after sending: the command may still take effect, so the
   * answer says the outcome is not known yet, never that it failed (CommandPending).
   */
  private async send<T extends CommandResult>(
    placementId: string,
    commandId: string,
    call: () => Promise<T>,
  ): Promise<T | CommandResult> {
    // A repeat of a command whose events are stored is answered from them: its first outcome.
    const stored = await this.storedVersion(placementId, commandId);
    if (stored !== undefined) return { version: stored, applied: true, repeated: true };
    await this.run(() => this.client.workflowService.getSystemInfo({}));
    const signal = AbortSignal.timeout(this.waitMs);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new CommandPending(commandId, placementId)), {
        once: true,
      }),
    );
    try {
      return await Promise.race([this.client.withAbortSignal(signal, call), timedOut]);
    } catch (error) {
      if (error instanceof CommandPending) throw error;
      const problem = toProblem(error);
      // Not refused, not closed: the engine failed while the command was on its way.
      if (problem instanceof ProblemException && problem.getStatus() === 503 && !isDefinitelyNotSent(error))
        throw new CommandPending(commandId, placementId);
      throw problem;
    }
  }

  /** The stream version after a command's events, if any are stored (event metadata records the cause). */
  private async storedVersion(placementId: string, commandId: string): Promise<number | undefined> {
    const [row] = await this.dataSource.query<{ version: number | null }[]>(
      `SELECT max(stream_version)::int AS version FROM events
        WHERE stream_id = $1 AND metadata->'cause'->>'commandId' = $2`,
      [placementId, commandId],
    );
    return row?.version ?? undefined;
  }

  /**
   * What became of a command (by its id, as a 202 answer gave it): applied (its events are stored, or the
   * engine answered), refused, still pending, or unknown (404: never received, or not yet: send it again
   * with the same Idempotency-Key).
   */
  async lookup(
    p: Scoped,
    placementId: string,
    commandId: string,
    requestId?: string,
  ): Promise<CommandStatusDto> {
    const route = 'GET /api/placements/{placementId}/commands/{commandId}';
    await this.placements.authorized(p, placementId, 'placement:read', route, requestId);
    const stored = await this.storedVersion(placementId, commandId);
    if (stored !== undefined) return { commandId, status: 'applied', version: stored };
    try {
      const result = await this.commands.outcome(placementId, commandId, LOOKUP_WAIT_MS);
      if (result === 'pending') return { commandId, status: 'pending' };
      if (result === 'unknown')
        throw new ProblemException(404, 'Ukjent kommando. Send den på nytt med samme Idempotency-Key.');
      return { commandId, status: 'applied', version: result.version };
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      const problem = toProblem(error);
      if (problem instanceof ProblemException && problem.getStatus() < 500)
        return {
          commandId,
          status: 'rejected',
          detail: problem.message,
          ...(problem.errors ? { errors: [...problem.errors] } : {}),
        };
      throw problem;
    }
  }

  async register(
    principal: Scoped,
    body: RegisterPlacementDto,
    idempotencyKey: string | undefined,
  ): Promise<RegisteredDto> {
    const commandId = CommandsService.commandId(principal, idempotencyKey, 'POST /api/placements');
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
    // Same key, same placement: a retried registration finds the workflow it started.
    const placementId = uuidv5(`placement|${commandId}`, IDEMPOTENCY_NAMESPACE);
    const childRef = uuidv5(`child|${commandId}`, IDEMPOTENCY_NAMESPACE);
    const result = await this.send(placementId, commandId, () =>
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
    return {
      commandId,
      placementId,
      childRef,
      version: result.version,
      applied: result.applied,
      repeated: result.repeated ?? false,
    };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.complete(placementId, {
        commandId,
        actor: actor(p, task.role),
        taskId,
        outcome: body.outcome,
        completedOn: body.completedOn,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.waive(placementId, {
        commandId,
        actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
        taskId,
        reason: body.reason,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.reassign(placementId, {
        commandId,
        actor: actor(p, p.roles.includes('leder') ? 'leder' : task.role),
        taskId,
        assigneeId: body.assigneeId ?? null,
        ...(body.role ? { role: body.role } : {}),
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.reassign(placementId, {
        commandId,
        actor: actor(p, task.role),
        taskId,
        assigneeId: p.userId,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }

  private async onPlacement(p: Scoped, placementId: string, route: string, requestId?: string) {
    await this.placements.authorized(p, placementId, 'placement:write', route, requestId);
  }

  async pause(p: Scoped, placementId: string, body: PauseDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/pause';
    await this.onPlacement(p, placementId, route, requestId);
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.pause(placementId, {
        commandId,
        actor: actor(p, 'kontaktperson'),
        reason: body.reason,
        from: body.from,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }

  async resume(p: Scoped, placementId: string, body: ResumeDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/resume';
    await this.onPlacement(p, placementId, route, requestId);
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.resume(placementId, {
        commandId,
        actor: actor(p, 'kontaktperson'),
        on: body.on,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }

  async end(p: Scoped, placementId: string, body: EndDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/end';
    await this.onPlacement(p, placementId, route, requestId);
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.end(placementId, {
        commandId,
        actor: actor(p, 'kontaktperson'),
        reason: body.reason,
        endedOn: body.endedOn,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }

  /** Give a claimed task back to the role pool. */
  async unclaim(p: Scoped, placementId: string, taskId: string, key?: string, requestId?: string) {
    const route = 'POST /api/tasks/{placementId}/{taskId}/unclaim';
    const task = await this.onTask(p, placementId, taskId, 'task:act', route, requestId);
    if (task.assignee_id !== p.userId) throw new ProblemException(409, 'Oppgaven er ikke tatt av deg.');
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}|${taskId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.reassign(placementId, {
        commandId,
        actor: actor(p, task.role),
        taskId,
        assigneeId: null,
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, change, repeated } = await this.send(placementId, commandId, () =>
      this.commands.change(placementId, {
        commandId,
        actor: actor(p, 'kontaktperson'),
        expectedVersion: body.expectedVersion,
        ...CommandsService.changeOf(body),
      }),
    );
    return {
      commandId,
      version,
      applied,
      repeated: repeated ?? false,
      ...(change ? { change: planChangeDto(change) } : {}),
    };
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
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.recordReduction(placementId, {
        commandId,
        actor: actor(p, 'leder'),
        decision: { kind: body.kind, minimumPerYear: body.minimumPerYear, effectiveFrom: body.effectiveFrom },
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }

  async addAdHoc(p: Scoped, placementId: string, body: AdHocTaskDto, key?: string, requestId?: string) {
    const route = 'POST /api/placements/{placementId}/ad-hoc-tasks';
    await this.onPlacement(p, placementId, route, requestId);
    const commandId = CommandsService.commandId(p, key, `${route}|${placementId}`);
    const { version, applied, repeated } = await this.send(placementId, commandId, () =>
      this.commands.addAdHoc(placementId, {
        commandId,
        actor: actor(p, 'kontaktperson'),
        stepId: body.stepId,
        dueOn: body.dueOn,
        ...(body.role ? { role: body.role } : {}),
      }),
    );
    return { commandId, version, applied, repeated: repeated ?? false };
  }
}
