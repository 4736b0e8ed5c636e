import { v5 as uuidv5 } from 'uuid';

/** Namespace for this system's name-based (v5) UUIDs. Fixed forever: changing it changes every derived id. */
const NAMESPACE = '5b0c3a4e-8f0f-4a39-9a53-0d6f2f7e6c11';

/**
 * A deterministic UUID for a business fact, e.g. `eventIdFor('placement', id, 'registered')`.
 * Retried activities compute the same id, so the event store recognises the repeat.
 */
export function deterministicId(...parts: readonly string[]): string {
  return uuidv5(parts.join('\u001f'), NAMESPACE);
}
