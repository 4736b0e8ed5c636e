import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { checkFacts } from '../domain/planner/inputs.js';
import type { RegisterPlacement } from '../domain/package/commands.js';
import {
  commandUpdates,
  planQuery,
  placementWorkflowId,
  PLACEMENT_WORKFLOW_TYPE,
  registerUpdate,
  type CommandName,
  type CommandOf,
  type CommandResult,
  type PackageInput,
  type PackageView,
} from '../../workflows/package-contracts.js';
import { updateOutcome } from './update-outcome.js';

/**
 * An Update found no running workflow for the placement, but one that has closed, with this status:
 * COMPLETED when its package ended (or completed), otherwise stopped by a fault (FAILED, TERMINATED, …).
 * A WorkflowNotFoundError is left for a placement that has no workflow at all.
 */
export class PackageClosedError extends Error {
  constructor(readonly status: string) {
    super(`the placement's workflow is closed (${status})`);
    this.name = 'PackageClosedError';
  }
}

/**
 * Client side of the placement workflow: every command is an Update whose id is the command id, so a
 * repeated request (a client retry, a double click) is deduplicated by Temporal and by the workflow.
 */
export class PlacementCommands {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private handle(placementId: string): WorkflowHandle {
    return this.client.workflow.getHandle(placementWorkflowId(placementId));
  }

  /**
   * Registers a placement and starts its package, idempotently. The workflow id is derived from the
   * placement id and an existing workflow is reused, so the same registration twice finds one workflow;
   * the `register` update (id derived from the command id) then waits until the registration is recorded.
   * Both steps are idempotent, so a client that dies between them simply sends both again. (This is what
   * update-with-start does in one call; the time-skipping test server does not implement that call.)
   */
  async register(cmd: RegisterPlacement): Promise<CommandResult> {
    checkFacts(cmd.facts); // refuse facts the planner would refuse, before any workflow starts
    const input: PackageInput = { registration: cmd };
    try {
      await this.client.workflow.start(PLACEMENT_WORKFLOW_TYPE, {
        workflowId: placementWorkflowId(cmd.placementId),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // An ended placement is not registered anew under the same id.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return this.closedAs(
      cmd.placementId,
      this.handle(cmd.placementId).executeUpdate(registerUpdate, {
        args: [cmd],
        updateId: `register-${cmd.commandId}`,
      }),
    );
  }

  /** Sends a command to the placement's workflow as its Update; the Update id is the command id. */
  send<N extends CommandName>(placementId: string, name: N, cmd: CommandOf<N>): Promise<CommandResult> {
    const update = commandUpdates[name] as UpdateDefinition<CommandResult, [CommandOf<N>]>;
    const { commandId } = cmd as { commandId: string };
    return this.closedAs(
      placementId,
      this.handle(placementId).executeUpdate(update, { args: [cmd], updateId: commandId }),
    );
  }

  /**
   * An Update on a workflow that is not running fails with WorkflowNotFoundError, whether the package
   * ended or its workflow failed: tells which (PackageClosedError with its status), so that only an ended
   * package is reported as ended.
   */
  private async closedAs<T>(placementId: string, update: Promise<T>): Promise<T> {
    try {
      return await update;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const description = await this.handle(placementId)
        .describe()
        .catch((cause: unknown) => {
          if (cause instanceof WorkflowNotFoundError) return undefined;
          throw cause;
        });
      if (!description) throw error;
      throw new PackageClosedError(description.status.name);
    }
  }

  /**
   * A command's outcome as the engine knows it, waiting at most `waitMs`: its result, `pending` (not
   * decided within the wait), or `unknown` (no such Update on the placement's workflow). A refusal is
   * thrown (WorkflowUpdateFailedError), as executeUpdate throws it.
   */
  outcome(
    placementId: string,
    commandId: string,
    waitMs: number,
  ): Promise<CommandResult | 'pending' | 'unknown'> {
    return updateOutcome<CommandResult>(
      this.client,
      placementWorkflowId(placementId),
      [commandId, `register-${commandId}`],
      waitMs,
    );
  }

  plan(placementId: string): Promise<PackageView | undefined> {
    return this.handle(placementId).query(planQuery);
  }
}
