import type { EntityManager } from 'typeorm';
import type { PackageEvent } from '../libs/domain/events.js';
import type { Actor } from '../libs/domain/vocabulary.js';
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
    undefined,
    (m) => logWrites(m, placementId, events),
  );
  return { version: result.version };
}

/**
 * The access-log rows of a write to a child's package: one per event a person caused (it names `by`),
 * committed in the same transaction as the events. The API logged the authorised request; this is the
 * write itself, so a command that never took effect leaves no write row.
 */
async function logWrites(m: EntityManager, placementId: string, events: readonly PackageEvent[]) {
  const caused = events.flatMap((e) => {
    const by = (e.data as { by?: Actor }).by;
    return by ? [{ type: e.type, by }] : [];
  });
  if (caused.length === 0) return;
  await m.query(
    `INSERT INTO access_log (user_id, roles, child_ref, placement_id, action, outcome)
     SELECT w.user_id, ARRAY[w.role], (first.payload->>'childRef')::uuid, $1, 'event:' || w.type, 'allowed'
       FROM unnest($2::text[], $3::text[], $4::text[]) AS w(user_id, role, type)
       CROSS JOIN (SELECT payload FROM events WHERE stream_id = $1 AND stream_version = 1) AS first`,
    [placementId, caused.map((c) => c.by.userId), caused.map((c) => c.by.role), caused.map((c) => c.type)],
  );
}
