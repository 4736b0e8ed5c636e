import { defineSignal } from '@temporalio/workflow';
import type { IsoDate } from '../libs/domain/vocabulary.js';

/**
 * The daily notification digest: one long-running workflow for the whole system, started (or reconfigured)
 * by every worker at start-up with signalWithStart, so there is always exactly one.
 */
export const DIGEST_WORKFLOW_TYPE = 'notificationDigests';
export const DIGEST_WORKFLOW_ID = 'notification-digests';

/** When the digest goes out: hour and minute on the Oslo wall clock (DIGEST_HOUR, DIGEST_MINUTE). */
export interface DigestSchedule {
  readonly hour: number;
  readonly minute: number;
}

export interface DigestWorkflowInput extends DigestSchedule {
  /** The last Oslo day a digest ran for (carried across continue-as-new). */
  readonly doneOn?: IsoDate;
}

/** A worker started with another DIGEST_HOUR/DIGEST_MINUTE: the next digest follows the new time. */
export const configureDigestsSignal = defineSignal<[DigestSchedule]>('configure');
