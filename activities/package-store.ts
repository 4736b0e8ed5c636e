import type { PackageEvent } from '../libs/domain/events.js';
import { PACKAGE_STREAM_TYPE } from '../libs/domain/events.js';
import { type EventStore } from '../libs/event-store/index.js';
import { deterministicId } from '../libs/event-store/index.js';

export interface AppendPackageEventsInput {
  readonly placementId: string;
  /** The stream version the workflow's state was folded to. */
  readonly expectedVersion: number;
  readonly events: readonly PackageEvent[];
}

/**
 * Appends a care package's events. The event at stream version v always gets the id
 * uuidv5(placement, v): a retried activity (the worker died after the insert, before reporting)
 * recognises its own events and appends nothing twice.
 */
export async function appendPackageEvents(
  eventStore: EventStore,
  { placementId, expectedVersion, events }: AppendPackageEventsInput,
): Promise<{ version: number }> {
  const result = await eventStore.append(
    { streamType: PACKAGE_STREAM_TYPE, streamId: placementId },
    expectedVersion,
    events.map((event, i) => ({
      eventId: deterministicId(PACKAGE_STREAM_TYPE, placementId, String(expectedVersion + i + 1)),
      type: event.type,
      payload: event.data,
    })),
  );
  return { version: result.version };
}
