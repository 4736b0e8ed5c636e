import { Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { validateOrder } from '../domain/kompetansebase/decide.js';
import type { AssignmentState } from '../domain/kompetansebase/state.js';
import type { SubmitOrder } from '../domain/kompetansebase/vocabulary.js';
import {
  ASSIGNMENT_WORKFLOW_TYPE,
  assignmentQuery,
  assignmentUpdates,
  assignmentWorkflowId,
  submitOrderUpdate,
  type AssignmentCommandName,
  type AssignmentCommandResult,
  type AssignmentInput,
} from '../../workflows/kompetansebase-contracts.js';
import { isNotFound, updateOutcome } from './update-outcome.js';

type CommandOf<N extends AssignmentCommandName> =
  (typeof assignmentUpdates)[N] extends UpdateDefinition<AssignmentCommandResult, [infer C]> ? C : never;

/**
 * Client side of the kompetansebase assignment workflow, as PlacementCommands is of the placement's:
 * the order starts the workflow (id derived from the assignment id, an existing one reused), then its
 * `submitOrder` Update waits until the order is recorded; every other command is an Update whose id is
 * the command id, so a repeated request has one effect.
 */
export class AssignmentCommands {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private handle(assignmentId: string): WorkflowHandle {
    return this.client.workflow.getHandle(assignmentWorkflowId(assignmentId));
  }

  async submit(order: SubmitOrder): Promise<AssignmentCommandResult> {
    validateOrder(order); // refuse what the workflow would refuse, before any workflow starts
    const input: AssignmentInput = { order };
    try {
      await this.client.workflow.start(ASSIGNMENT_WORKFLOW_TYPE, {
        workflowId: assignmentWorkflowId(order.assignmentId),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return this.handle(order.assignmentId).executeUpdate(submitOrderUpdate, {
      args: [order],
      updateId: `submit-${order.commandId}`,
    });
  }

  send<N extends AssignmentCommandName>(
    assignmentId: string,
    name: N,
    cmd: CommandOf<N>,
  ): Promise<AssignmentCommandResult> {
    const update = assignmentUpdates[name] as UpdateDefinition<AssignmentCommandResult, [CommandOf<N>]>;
    const { commandId } = cmd as { commandId: string };
    return this.handle(assignmentId).executeUpdate(update, { args: [cmd], updateId: commandId });
  }

  /**
   * A command's outcome as the engine knows it, waiting at most `waitMs` (see updateOutcome). The order
   * (its command id is the assignment id) is in the workflow's input: once its workflow has started, the
   * order is pending until a worker records it, even if the Update that waited for it is gone.
   */
  async outcome(
    assignmentId: string,
    commandId: string,
    waitMs: number,
  ): Promise<AssignmentCommandResult | 'pending' | 'unknown'> {
    const outcome = await updateOutcome<AssignmentCommandResult>(
      this.client,
      assignmentWorkflowId(assignmentId),
      [commandId, `submit-${commandId}`],
      waitMs,
    );
    if (outcome !== 'unknown' || commandId !== assignmentId) return outcome;
    const running = await this.handle(assignmentId)
      .describe()
      .then((d) => d.status.name === 'RUNNING')
      .catch((error: unknown) => {
        if (isNotFound(error)) return false;
        throw error;
      });
    return running ? 'pending' : 'unknown';
  }

  state(assignmentId: string): Promise<AssignmentState | undefined> {
    return this.handle(assignmentId).query(assignmentQuery);
  }
}
