import type { PackageEvent } from '../libs/domain/events.js';
import { evolve, type PackageState } from '../libs/domain/package/state.js';
import type { PackageInput } from './package-contracts.js';
import { store } from './package-effects.js';
import { createEventStream, type EventStream } from './event-stream.js';

/**
 * The placement's stream as the workflow holds it: the generic event stream (./event-stream.ts) over
 * the care package's state and events, appended to the placement's stream.
 */
export type PackageStream = EventStream<PackageState, PackageEvent>;

export function createPackageStream(input: PackageInput): PackageStream {
  return createEventStream<PackageState, PackageEvent>({
    ...(input.carried ? { carried: input.carried } : {}),
    evolve,
    append: ({ expectedVersion, events, cause }) =>
      store.appendPackageEvents({
        placementId: input.registration.placementId,
        expectedVersion,
        events,
        cause,
      }),
    notReady: 'Plasseringen er ikke registrert ferdig ennå.',
  });
}
