import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OrganisationRef } from '../libs/domain/events.js';
import type {
  AddAdHocTask,
  AnnulPlacement,
  ChangePlacement,
  CompleteTask,
  CosignWaiver,
  DeclineWaiver,
  EndPlacement,
  PausePlacement,
  ReassignTask,
  RecordReduction,
  SetSupervisionEnd,
  RegisterPlacement,
  RequestWaiver,
  ResumePlacement,
  WaiveTask,
} from '../libs/domain/package/commands.js';
import type { PlanChange } from '../libs/domain/package/decide.js';
import type { PackageState } from '../libs/domain/package/state.js';

/**
 * The placement workflow's messages, shared by the API (client) and the workflow. One workflow per
 * placement; its id is derived from the placement id, so registering twice finds the same workflow.
 */
export const PLACEMENT_WORKFLOW_TYPE = 'placementPackage';
/**
 * Workflow patch: a step that needs a leader's co-signature is waived only through a request another
 * leader co-signs (decideWaive's `fourEyes`). Waivers recorded before it replay as they were decided.
 */
export const WAIVER_COSIGN_PATCH = 'waiver-cosign';
export const placementWorkflowId = (placementId: string): string => `placement-${placementId}`;

export interface PackageInput {
  readonly registration: RegisterPlacement;
  /** State carried over by continue-as-new. */
  readonly carried?: CarriedState;
  /** Continue-as-new once history holds this many events (default 5,000; tests set it low). */
  readonly maxHistoryEvents?: number;
}

export interface CarriedState {
  readonly state: PackageState;
  /** Recently processed command ids: a repeat after continue-as-new still has one effect. */
  readonly processed: readonly string[];
  /** The package version after each of them (absent in runs carried over before it was kept). */
  readonly versions?: Readonly<Record<string, number>>;
}

export interface PackageOutcome {
  readonly placementId: string;
  readonly status: PackageState['status'];
  readonly version: number;
}

/** The workflow's signature, for typed starts (the workflow function itself stays inside workflows/). */
export type PlacementPackageWorkflow = (input: PackageInput) => Promise<PackageOutcome>;

/** What every command returns: the package version after it (for optimistic concurrency in the API). */
export interface CommandResult {
  readonly version: number;
  /** The command took effect (by this request, or by the first of its repeats). */
  readonly applied: boolean;
  /** This request repeated one already carried out (same command id): nothing happened again. */
  readonly repeated?: boolean;
  readonly change?: PlanChange;
}

export type PackageView = PackageState;

export const registerUpdate = defineUpdate<CommandResult, [RegisterPlacement]>('register');
export const completeTaskUpdate = defineUpdate<CommandResult, [CompleteTask]>('completeTask');
export const waiveTaskUpdate = defineUpdate<CommandResult, [WaiveTask]>('waiveTask');
export const requestWaiverUpdate = defineUpdate<CommandResult, [RequestWaiver]>('requestWaiver');
export const cosignWaiverUpdate = defineUpdate<CommandResult, [CosignWaiver]>('cosignWaiver');
export const declineWaiverUpdate = defineUpdate<CommandResult, [DeclineWaiver]>('declineWaiver');
export const reassignTaskUpdate = defineUpdate<CommandResult, [ReassignTask]>('reassignTask');
export const addAdHocTaskUpdate = defineUpdate<CommandResult, [AddAdHocTask]>('addAdHocTask');
export const changePlacementUpdate = defineUpdate<CommandResult, [ChangePlacement]>('changePlacement');
export const recordReductionUpdate = defineUpdate<CommandResult, [RecordReduction]>('recordReduction');
export const setSupervisionEndUpdate = defineUpdate<CommandResult, [SetSupervisionEnd]>('setSupervisionEnd');
export const pauseUpdate = defineUpdate<CommandResult, [PausePlacement]>('pause');
export const resumeUpdate = defineUpdate<CommandResult, [ResumePlacement]>('resume');
export const endPlacementUpdate = defineUpdate<CommandResult, [EndPlacement]>('endPlacement');
export const annulPlacementUpdate = defineUpdate<CommandResult, [AnnulPlacement]>('annulPlacement');

/**
 * The commands on a running package, by name: the one definition the API (through PlacementCommands),
 * the workflow (its handlers) and tests share. A command's type is its Update's argument.
 */
export const commandUpdates = {
  completeTask: completeTaskUpdate,
  waiveTask: waiveTaskUpdate,
  requestWaiver: requestWaiverUpdate,
  cosignWaiver: cosignWaiverUpdate,
  declineWaiver: declineWaiverUpdate,
  reassignTask: reassignTaskUpdate,
  addAdHocTask: addAdHocTaskUpdate,
  changePlacement: changePlacementUpdate,
  recordReduction: recordReductionUpdate,
  setSupervisionEnd: setSupervisionEndUpdate,
  pause: pauseUpdate,
  resume: resumeUpdate,
  endPlacement: endPlacementUpdate,
  annulPlacement: annulPlacementUpdate,
} as const;

export type CommandName = keyof typeof commandUpdates;
export type CommandOf<N extends CommandName> =
  (typeof commandUpdates)[N] extends UpdateDefinition<CommandResult, [infer C]> ? C : never;

/** The current plan and state of the package (undefined until registration has been recorded). */
export const planQuery = defineQuery<PackageView | undefined>('plan');

export type { OrganisationRef };
