import { type EventStore } from '../libs/event-store/index.js';
import type { SystemProbeInput, SystemProbeResult } from '../workflows/system-probe-contracts.js';
import { deterministicId } from '../libs/event-store/index.js';

export interface SystemActivityDeps {
  readonly eventStore: EventStore;
}

export function createSystemActivities({ eventStore }: SystemActivityDeps) {
  return {
    /** Appends one SystemProbeRecorded event; a retry of the same probe appends nothing. */
    async recordSystemProbe({ probeId }: SystemProbeInput): Promise<SystemProbeResult> {
      const result = await eventStore.append({ streamType: 'system-probe', streamId: probeId }, 'any', [
        {
          eventId: deterministicId('system-probe', probeId, 'recorded'),
          type: 'SystemProbeRecorded',
          payload: {},
        },
      ]);
      return { probeId, streamVersion: result.version };
    },
  };
}

export type SystemActivities = ReturnType<typeof createSystemActivities>;
