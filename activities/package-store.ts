import type { EntityManager } from 'typeorm';
import type { EventCause, PackageEvent } from '../libs/domain/events.js';
import type { Actor } from '../libs/domain/vocabulary.js';
import { PACKAGE_STREAM_TYPE } from '../libs/domain/events.js';
import { StreamVersionConflictError, type EventStore } from '../libs/event-store/index.js';
import { deterministicId } from '../libs/event-store/index.js';

export interface AppendPackageEventsInput {
  readonly placementId: string;
  /** The stream version the workflow's state was folded to. */
  readonly expectedVersion: number;
  readonly events: readonly PackageEvent[];
  /** What decided these events (a command, or the clock); stored with each event. */
  readonly cause?: EventCause;
}

export interface AppendPackageEventsResult {
  readonly version: number;
  /**
   * The stream was ahead of `expectedVersion`: nothing was appended, and these are the events stored
   * after it, with what caused each. The workflow folds them and, unless they are its own decision
   * (an earlier attempt that committed before the worker died), decides again on the caught-up state.
   */
  readonly ahead?: { readonly events: readonly PackageEvent[]; readonly causes: readonly EventCause[] };
}

/** Test mode only: what the fault hook does after an append committed (see `faultAfterAppend`). */
export type AfterAppend = (cause: EventCause | undefined) => void;

/** Any stream's events as the deciders make them: a type and its data. */
interface StreamEvent {
  readonly type: string;
  readonly data: object;
}

/**
 * Appends one stream's decided events (a placement's package, a kompetansebase assignment, …). The event
 * at stream version v always gets the id uuidv5(stream type, stream id, v): a retried activity (the
 * worker died after the insert, before reporting) recognises its own events and appends nothing twice.
 * A stream that is ahead (the worker died after an append committed and before its workflow task
 * completed, and the retried task decided again, at another instant) is not an error: its events come
 * back, so that the workflow catches up with what PostgreSQL holds instead of staying behind it for good.
 * `inTransaction` writes what must commit with the events (the access log of a child's package).
 */
export async function appendStreamEvents<E extends StreamEvent>(
  eventStore: EventStore,
  input: {
    readonly streamType: string;
    readonly streamId: string;
    readonly expectedVersion: number;
    readonly events: readonly E[];
    readonly cause?: EventCause | undefined;
  },
  inTransaction?: (m: EntityManager) => Promise<void>,
  afterAppend?: AfterAppend,
): Promise<{ version: number; ahead?: { events: E[]; causes: EventCause[] } }> {
  const { streamType, streamId, expectedVersion, events, cause } = input;
  const stream = { streamType, streamId };
  try {
    const result = await eventStore.append(
      stream,
      expectedVersion,
      events.map((event, i) => ({
        eventId: deterministicId(streamType, streamId, String(expectedVersion + i + 1)),
        type: event.type,
        payload: event.data as Record<string, unknown>,
        ...(cause ? { metadata: { cause } } : {}),
      })),
      undefined,
      inTransaction,
    );
    afterAppend?.(cause);
    return { version: result.version };
  } catch (error) {
    if (!(error instanceof StreamVersionConflictError) || error.actual <= expectedVersion) throw error;
    const stored = (await eventStore.readStream(stream)).filter((e) => e.streamVersion > expectedVersion);
    return {
      version: stored.at(-1)?.streamVersion ?? expectedVersion,
      ahead: {
        events: stored.map((e) => ({ type: e.type, data: e.payload }) as E),
        causes: stored.map((e) => (e.metadata as { cause?: EventCause }).cause ?? { unknown: true }),
      },
    };
  }
}

/** Appends a care package's events to the placement's stream (see `appendStreamEvents`). */
export function appendPackageEvents(
  eventStore: EventStore,
  { placementId, expectedVersion, events, cause }: AppendPackageEventsInput,
  afterAppend?: AfterAppend,
): Promise<AppendPackageEventsResult> {
  return appendStreamEvents(
    eventStore,
    { streamType: PACKAGE_STREAM_TYPE, streamId: placementId, expectedVersion, events, cause },
    (m) => logWrites(m, placementId, events),
    afterAppend,
  );
}

/**
 * The test-mode fault hook (OMSORG_FAULT_KILL_AFTER_APPEND, refused outside NODE_ENV=test): the worker
 * process kills itself (SIGKILL, as `kill -9` does) right after the n-th append it committed of the
 * given kind (`command`, `tick` or `any`), before the append's result reaches the workflow: exactly the
 * window in which a crash used to leave a workflow behind its stream.
 */
export function faultAfterAppend(spec: string): AfterAppend {
  const match = /^(command|tick|any):(\d+)$/.exec(spec);
  if (!match) throw new Error(`fault spec must be command:N, tick:N or any:N, got ${spec}`);
  const kind = match[1];
  let remaining = Number(match[2]);
  return (cause) => {
    const of = cause && 'tick' in cause ? 'tick' : cause && 'commandId' in cause ? 'command' : 'other';
    if (kind !== 'any' && of !== kind) return;
    remaining -= 1;
    if (remaining === 0) process.kill(process.pid, 'SIGKILL');
  };
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
