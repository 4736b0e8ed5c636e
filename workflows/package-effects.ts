import { proxyLocalActivities } from '@temporalio/workflow';
import type { KompetansebaseActivities } from '../activities/kompetansebase.activities.js';
import type { PackageActivities } from '../activities/package.activities.js';

/*
 * What the placement workflow asks of the world outside it: the activities it calls (planning and
 * appending, with their timeouts and retries) and the clock. The workflow code itself stays
 * deterministic; these are recorded in history and replayed from it.
 */

/**
 * Planning runs as local activities too: its result (dates, timer instants) is still recorded in history,
 * as a marker, without a round trip through the server's task queue for every registration.
 */
export const planning = proxyLocalActivities<PackageActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    // A conflict or a bad catalog will not heal by retrying; everything else (database down) will.
    nonRetryableErrorTypes: [
      'StreamVersionConflictError',
      'UnknownCatalogVersion',
      'CommandRejected',
      'InvalidPlanInput',
    ],
  },
});

/**
 * Appends run as local activities: one marker in history instead of three events, which keeps a year's
 * history small. They are idempotent (event ids derive from placement and stream version), so the
 * at-least-once retry of a local activity is harmless.
 */
export const store = proxyLocalActivities<PackageActivities>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StreamVersionConflictError'],
  },
});
// (proxies: their members exist only on access, so they cannot be spread into one object)

export const nowIso = (): string => new Date().toISOString(); // the workflow clock: deterministic on replay

/**
 * The kompetansebase assignment's activities: planning on the ordering service's calendar and appending
 * to the assignment's stream, as local activities like the placement's (same timeouts and retries).
 */
export const kompetansebase = proxyLocalActivities<KompetansebaseActivities>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StreamVersionConflictError', 'UnknownCatalogVersion', 'InvalidPlanInput'],
  },
});
