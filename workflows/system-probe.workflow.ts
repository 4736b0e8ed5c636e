import { proxyActivities } from '@temporalio/workflow';
import type { SystemActivities } from '../activities/system.activities.js';
import type { SystemProbeInput, SystemProbeResult } from './system-probe-contracts.js';

const { recordSystemProbe } = proxyActivities<SystemActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['StreamVersionConflictError'] },
});

/** Self-test: proves that the worker runs workflows and that its activities reach PostgreSQL. */
export async function systemProbe(input: SystemProbeInput): Promise<SystemProbeResult> {
  return recordSystemProbe(input);
}
