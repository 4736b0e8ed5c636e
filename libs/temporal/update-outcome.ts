import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/** gRPC status NOT_FOUND (5): Temporal's answer for an Update id or a workflow it does not know. */
const GRPC_NOT_FOUND = 5;
export const isNotFound = (error: unknown): boolean =>
  error instanceof WorkflowNotFoundError ||
  (error as { code?: unknown }).code === GRPC_NOT_FOUND ||
  (error as { cause?: { code?: unknown } }).cause?.code === GRPC_NOT_FOUND;

/**
 * The outcome of an Update on workflow `workflowId` as the engine knows it, waiting at most `waitMs` for
 * each of `updateIds` (a command may have been sent under one of several ids): its result, `pending`
 * (not decided within the wait), or `unknown` (no such Update). A refusal is thrown
 * (WorkflowUpdateFailedError), as executeUpdate throws it. Shared by every kind of workflow a command
 * goes to (placements, kompetansebase assignments).
 */
export async function updateOutcome<R>(
  client: Client,
  workflowId: string,
  updateIds: readonly string[],
  waitMs: number,
): Promise<R | 'pending' | 'unknown'> {
  for (const updateId of updateIds) {
    const signal = AbortSignal.timeout(waitMs);
    try {
      return await client.withAbortSignal(signal, () =>
        client.workflow.getHandle(workflowId).getUpdateHandle<R>(updateId).result(),
      );
    } catch (error) {
      if (signal.aborted) return 'pending';
      if (!isNotFound(error)) throw error;
    }
  }
  return 'unknown';
}
