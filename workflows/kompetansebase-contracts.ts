import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssignmentState } from '../libs/domain/kompetansebase/state.js';
import type {
  AcceptOrder,
  CompleteAssignmentStep,
  DeclineOrder,
  SubmitOrder,
  WaitOrder,
} from '../libs/domain/kompetansebase/vocabulary.js';

/**
 * The kompetansebase assignment workflow's messages, shared by the API (client) and the workflow: a
 * second package type on the same worker, task queue and event store as the placements. One workflow
 * per assignment, its id derived from the assignment id, so submitting twice finds the same workflow.
 */
export const ASSIGNMENT_WORKFLOW_TYPE = 'kompetansebaseAssignment';
export const assignmentWorkflowId = (assignmentId: string): string => `kompetansebase-${assignmentId}`;

export interface AssignmentInput {
  readonly order: SubmitOrder;
  /** State carried over by continue-as-new. */
  readonly carried?: {
    readonly state: AssignmentState;
    readonly processed: readonly string[];
    readonly versions?: Readonly<Record<string, number>>;
  };
  /** Continue-as-new once history holds this many events (default 5,000; tests set it low). */
  readonly maxHistoryEvents?: number;
}

export interface AssignmentOutcome {
  readonly assignmentId: string;
  readonly status: AssignmentState['status'];
  readonly version: number;
}

export type KompetansebaseAssignmentWorkflow = (input: AssignmentInput) => Promise<AssignmentOutcome>;

export interface AssignmentCommandResult {
  readonly version: number;
  readonly applied: boolean;
  readonly repeated?: boolean;
}

/** The order, sent with start (update-with-start): answers once the order is recorded. */
export const submitOrderUpdate = defineUpdate<AssignmentCommandResult, [SubmitOrder]>('submitOrder');

/** The commands on a submitted assignment, by name (the API, the workflow and tests share them). */
export const assignmentUpdates = {
  acceptOrder: defineUpdate<AssignmentCommandResult, [AcceptOrder]>('acceptOrder'),
  declineOrder: defineUpdate<AssignmentCommandResult, [DeclineOrder]>('declineOrder'),
  waitOrder: defineUpdate<AssignmentCommandResult, [WaitOrder]>('waitOrder'),
  completeAssignmentStep: defineUpdate<AssignmentCommandResult, [CompleteAssignmentStep]>(
    'completeAssignmentStep',
  ),
} as const;
export type AssignmentCommandName = keyof typeof assignmentUpdates;

/** The assignment's state (undefined until the order is recorded). */
export const assignmentQuery = defineQuery<AssignmentState | undefined>('assignment');
