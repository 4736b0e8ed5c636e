import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import type { PlanChange } from '../../../libs/domain/package/decide.js';
import type { Actor, Role } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { PackageClosedError, PlacementCommands } from '../../../libs/temporal/index.js';
import { AssignmentCommands } from '../../../libs/temporal/assignment-commands.js';
import { isNotFound } from '../../../libs/temporal/update-outcome.js';
import type { CommandName, CommandOf, CommandResult } from '../../../workflows/package-contracts.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { idempotentId, keyReused } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';
import { toProblem } from './command-errors.js';
import { CommandPending, type CommandSubject } from './command-pending.js';
import type { CommandResultDto, CommandStatusDto, PlanChangeDto } from './commands.dto.js';

/** How often a process deletes expired key bindings (`forgetExpiredKeys`). */
const SWEEP_EVERY_MS = 3_600_000;

/** How long a lookup waits for the engine to tell a command's outcome before saying it is pending. */
const LOOKUP_WAIT_MS = 2_000;

/** Errors after which the command certainly did not reach the placement's workflow. */
const isDefinitelyNotSent = (error: unknown) => error instanceof PackageClosedError;

/** The actor of a command: the principal acting in the given role when it has it, else its first role. */
export function actor(principal: Scoped, preferred?: string): Actor {
  const role: Role | undefined = principal.roles.find((r) => r === preferred) ?? principal.roles[0];
  if (!role) throw new ProblemException(403, 'Du har ingen rolle.'); // the verifier never lets this through
  return { userId: principal.userId, role };
}

/** The API's view of a plan change: added tasks without their timer internals. */
export function planChangeDto(change: PlanChange): PlanChangeDto {
  return {
    moved: [...change.moved],
    replaced: [...change.replaced],
    added: change.added.map(({ taskId, title, dueOn }) => ({ taskId, title, dueOn })),
    cancelled: [...change.cancelled],
    kept: change.kept,
  };
}

/** What every command answers: the stream version after it, whether it took effect, whether a repeat. */
interface SentResult {
  readonly version: number;
  readonly applied: boolean;
  readonly repeated?: boolean;
}

/**
 * The request a command id is taken in for, when the same key with another body must be refused (422)
 * rather than answered as a repeat: `body` is what the command asks (without who asks: the id says
 * that), `what` names it in the 422 («er brukt for …»).
 */
export interface CommandRequest {
  readonly body: unknown;
  readonly what: string;
}

/** A value with every object's keys in order: equal requests give equal text, whatever their key order. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;
const fingerprintOf = (body: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');

/**
 * Sends commands to placements' and kompetansebase assignments' workflows and answers honestly: the outcome when it comes within
 * API_COMMAND_WAIT_MS, a 4xx when the workflow refused it, 503 (nothing was sent) when Temporal cannot be
 * reached before sending, and 202 with the command's id when the wait ran out after sending (the command
 * may still take effect: CommandPending). A command's id comes from its Idempotency-Key, who sent it,
 * the route and the resource, so the same request again has one effect and answers the first outcome.
 */
@Injectable()
export class CommandSender {
  readonly engine: PlacementCommands;
  readonly assignments: AssignmentCommands;
  private readonly waitMs: number;
  private readonly keyDays: number;
  private lastSweep = 0;

  constructor(
    private readonly client: Client,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.engine = new PlacementCommands(client, config.TEMPORAL_TASK_QUEUE);
    this.assignments = new AssignmentCommands(client, config.TEMPORAL_TASK_QUEUE);
    this.waitMs = config.API_COMMAND_WAIT_MS;
    this.keyDays = config.IDEMPOTENCY_KEY_DAYS;
  }

  /** The id of the command a request carries: its key, its sender, its route and what it is on. */
  static commandId(principal: Scoped, request: AuthenticatedRequest, key: string): string {
    const { placementId, taskId } = request.params as { placementId?: string; taskId?: string };
    const on = [placementId, taskId].filter((id) => id !== undefined).join('|');
    return idempotentId(principal, key, on ? `${request.routeKey}|${on}` : `${request.routeKey}`);
  }

  /** Sends command `name` of the request to its placement's workflow (`build` gets the command id). */
  async command<N extends CommandName>(
    principal: Scoped,
    request: AuthenticatedRequest,
    key: string,
    name: N,
    build: (commandId: string) => CommandOf<N>,
  ): Promise<CommandResultDto & { change?: PlanChangeDto }> {
    const placementId = (request.params as { placementId: string }).placementId;
    const commandId = CommandSender.commandId(principal, request, key);
    const result = await this.sendTo(
      { kind: 'placement', id: placementId },
      commandId,
      () => this.engine.send(placementId, name, build(commandId)),
      { body: request.body ?? {}, what: 'en annen forespørsel' },
    );
    return {
      commandId,
      version: result.version,
      applied: result.applied,
      repeated: result.repeated ?? false,
      ...(result.change ? { change: planChangeDto(result.change) } : {}),
    };
  }

  /**
   * One call into Temporal that has no effect (a query), bounded: an answer within API_COMMAND_WAIT_MS or
   * 503 (a lazy connection to an unreachable server would otherwise retry for as long as the client waits).
   */
  async run<T>(call: () => Promise<T>): Promise<T> {
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

  /** One command to a placement's workflow, answered honestly (see the class). */
  send(placementId: string, commandId: string, call: () => Promise<CommandResult>): Promise<CommandResult> {
    return this.sendTo({ kind: 'placement', id: placementId }, commandId, call);
  }

  /**
   * One command to its subject's workflow (a placement, an assignment), answered honestly (see the
   * class). With `request`, the command id is claimed for the request's body first: the same key with
   * another body is refused (422, nothing sent), the same body again is a repeat (`repeated: true`, also
   * when the engine answers it as its first outcome, e.g. a command that changed nothing).
   */
  async sendTo<R extends SentResult>(
    subject: CommandSubject,
    commandId: string,
    call: () => Promise<R>,
    request?: CommandRequest,
  ): Promise<R> {
    const send = () => this.sendOnce(subject, commandId, call);
    return request ? this.claimed(commandId, request, send) : send();
  }

  /**
   * Runs `send` with `commandId` claimed for the request's body (`claim`): the same key with another
   * body is refused (422) before `send` runs; the same body again answers `repeated: true`. A refusal, or
   * a command certainly not sent, gives the key back (no effect, so it may carry a corrected request).
   */
  async claimed<R extends SentResult>(
    commandId: string,
    request: CommandRequest,
    send: () => Promise<R>,
  ): Promise<R> {
    const repeat = await this.claim(commandId, request);
    try {
      const result = await send();
      return repeat && !result.repeated ? { ...result, repeated: true } : result;
    } catch (error) {
      if (error instanceof ProblemException) await this.release(commandId);
      throw error;
    }
  }

  /**
   * Claims `commandId` for the request's body: false when this is its first request, true when the same
   * body was taken in under it before; 422 when another body was.
   */
  private async claim(commandId: string, request: CommandRequest): Promise<boolean> {
    const fingerprint = fingerprintOf(request.body);
    // The no-op update makes a conflicting insert return the stored row; xmax = 0 only on an insert.
    const [row] = await this.dataSource.query<{ fingerprint: string; inserted: boolean }[]>(
      `INSERT INTO command_requests (command_id, fingerprint) VALUES ($1, $2)
       ON CONFLICT (command_id) DO UPDATE SET command_id = EXCLUDED.command_id
       RETURNING fingerprint, (xmax = 0) AS inserted`,
      [commandId, fingerprint],
    );
    if (row.fingerprint !== fingerprint) throw keyReused(request.what);
    if (Date.now() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      void this.forgetExpiredKeys().catch(() => undefined); // in the background; the next sweep tries again
    }
    return !row.inserted;
  }

  /**
   * Deletes the bindings of keys older than IDEMPOTENCY_KEY_DAYS (run now and then by `claim`, at most
   * once an hour per process); returns how many.
   */
  async forgetExpiredKeys(): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM command_requests WHERE created_at < now() - make_interval(days => $1)`,
      [this.keyDays],
    );
    return count;
  }

  private async release(commandId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM command_requests WHERE command_id = $1`, [commandId]);
  }

  private async sendOnce<R extends SentResult>(
    subject: CommandSubject,
    commandId: string,
    call: () => Promise<R>,
  ): Promise<R> {
    // A repeat of a command whose events are stored is answered from them: its first outcome.
    const stored = await this.storedVersion(subject.id, commandId);
    if (stored !== undefined) return { version: stored, applied: true, repeated: true } as R;
    await this.run(() => this.client.workflowService.getSystemInfo({}));
    const signal = AbortSignal.timeout(this.waitMs);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new CommandPending(commandId, subject)), {
        once: true,
      }),
    );
    try {
      return await Promise.race([this.client.withAbortSignal(signal, call), timedOut]);
    } catch (error) {
      if (error instanceof CommandPending) throw error;
      // The package closed right after recording this very command (a registration whose every task was
      // done before it completes its package at once, before the update is answered): it took effect.
      // So too an assignment whose last command ended it (its workflow is gone when the answer is asked).
      if (error instanceof PackageClosedError || (subject.kind === 'assignment' && isNotFound(error))) {
        const recorded = await this.storedVersion(subject.id, commandId);
        if (recorded !== undefined) return { version: recorded, applied: true, repeated: false } as R;
      }
      const problem = toProblem(error, subject);
      // Not refused, not closed: the engine failed while the command was on its way.
      if (problem instanceof ProblemException && problem.getStatus() === 503 && !isDefinitelyNotSent(error))
        throw new CommandPending(commandId, subject);
      throw problem;
    }
  }

  /** The stream version after a command's events, if any are stored (event metadata records the cause). */
  private async storedVersion(streamId: string, commandId: string): Promise<number | undefined> {
    const [row] = await this.dataSource.query<{ version: number | null }[]>(
      `SELECT max(stream_version)::int AS version FROM events
        WHERE stream_id = $1 AND metadata->'cause'->>'commandId' = $2`,
      [streamId, commandId],
    );
    return row?.version ?? undefined;
  }

  /**
   * What became of a command (by its id, as a 202 answer gave it), on a subject whose access the caller
   * checked: applied (its events are stored, or the engine answered), refused, still pending, or unknown
   * (404: never received, or not yet: send it again with the same Idempotency-Key).
   */
  async lookup(subject: CommandSubject, commandId: string): Promise<CommandStatusDto> {
    const stored = await this.storedVersion(subject.id, commandId);
    if (stored !== undefined) return { commandId, status: 'applied', version: stored };
    try {
      const result =
        subject.kind === 'placement'
          ? await this.engine.outcome(subject.id, commandId, LOOKUP_WAIT_MS)
          : await this.assignments.outcome(subject.id, commandId, LOOKUP_WAIT_MS);
      if (result === 'pending') return { commandId, status: 'pending' };
      if (result === 'unknown')
        throw new ProblemException(404, 'Ukjent kommando. Send den på nytt med samme Idempotency-Key.');
      return { commandId, status: 'applied', version: result.version };
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      const problem = toProblem(error, subject);
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
}
