import { type DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { EventRecord } from './event-record.entity.js';

export interface NewEvent {
  /** Deterministic id chosen by the caller, so a retried append is recognised and adds nothing. */
  readonly eventId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
  readonly schemaVersion?: number;
  /**
   * When the event was recorded, for loading a history recorded elsewhere (benchmark data, an import).
   * Default, and the only choice for what the system itself appends: the append transaction's now().
   * As-of reports read recorded time, so a history's times must not decrease along its stream.
   */
  readonly recordedAt?: string;
}

export interface StreamRef {
  readonly streamType: string;
  readonly streamId: string;
}

/** `'any'` appends after whatever is there; a number demands that the stream is at exactly that version. */
export type ExpectedVersion = number | 'any';

export interface AppendResult {
  /** False when every event was already stored (an idempotent retry). */
  readonly appended: boolean;
  /** The stream's version after the append. */
  readonly version: number;
}

/** The stream moved on since the caller read it (optimistic concurrency). Maps to HTTP 409. */
export class StreamVersionConflictError extends Error {
  constructor(
    readonly stream: StreamRef,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${stream.streamType}/${stream.streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'StreamVersionConflictError';
  }
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as {
    code?: string;
    driverError?: { code?: string; constraint?: string };
    constraint?: string;
  };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === UNIQUE_VIOLATION && name === constraint;
}

/**
 * Append-only event store over the `events` table. Appends are idempotent by event id and guarded by
 * (stream, version). Pass an EntityManager to append inside a caller's transaction.
 */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async append(
    stream: StreamRef,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    manager?: EntityManager,
    /** Runs in the append's transaction after the events were inserted (not on a recognised retry). */
    alongside?: (m: EntityManager) => Promise<void>,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const run = async (m: EntityManager) => {
      const result = await this.appendIn(m, stream, expected, events);
      if (result.appended && alongside) await alongside(m);
      return result;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return manager ? await run(manager) : await this.dataSource.transaction(run);
      } catch (error) {
        // A concurrent duplicate of the same append committed first: re-run to observe it as done.
        if (!manager && attempt < 3 && isUniqueViolation(error, 'events_event_id_uq')) continue;
        // 'any' lost a race for the next version: simply try again at the new end of the stream.
        if (
          !manager &&
          attempt < 3 &&
          expected === 'any' &&
          isUniqueViolation(error, 'events_stream_version_uq')
        )
          continue;
        if (typeof expected === 'number' && isUniqueViolation(error, 'events_stream_version_uq')) {
          const actual = await this.currentVersion(stream);
          throw new StreamVersionConflictError(stream, expected, actual);
        }
        throw error;
      }
    }
  }

  private async appendIn(
    m: EntityManager,
    stream: StreamRef,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    // Writers of one stream queue up here (for this transaction only), so 'any' appends never race for
    // a version and a conflict is reported from the check below; the unique constraint stays as a net.
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [stream.streamId]);
    const ids = events.map((e) => e.eventId);
    // Stored events with these ids, and whether each holds exactly what is being appended now.
    const existing = await m.query<{ same: boolean; same_stream: boolean }[]>(
      `SELECT (e.stream_id = $4 AND e.type = n.type AND e.payload = n.payload) AS same,
              (e.stream_id = $4) AS same_stream
         FROM events e
         JOIN unnest($1::uuid[], $2::text[], $3::jsonb[]) AS n(id, type, payload) ON e.event_id = n.id`,
      [ids, events.map((e) => e.type), events.map((e) => JSON.stringify(e.payload)), stream.streamId],
    );
    const current = await this.currentVersion(stream, m);
    if (existing.length === events.length && existing.every((r) => r.same)) {
      return { appended: false, version: current };
    }
    if (existing.some((r) => !r.same_stream)) {
      throw new Error(
        `append of ${events.length} events reuses ids of another stream's events: ids are not unique`,
      );
    }
    if (existing.length > 0) {
      // Same ids, other content: not a retry but a second writer (or a changed decision). Never drop it silently.
      throw new StreamVersionConflictError(
        stream,
        typeof expected === 'number' ? expected : current,
        current,
      );
    }
    if (typeof expected === 'number' && expected !== current) {
      throw new StreamVersionConflictError(stream, expected, current);
    }
    const rows = events.map<QueryDeepPartialEntity<EventRecord>>((e, i) => ({
      streamType: stream.streamType,
      streamId: stream.streamId,
      streamVersion: current + i + 1,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      payload: e.payload as QueryDeepPartialEntity<Record<string, unknown>>,
      metadata: (e.metadata ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
      ...(e.recordedAt === undefined ? {} : { recordedAt: new Date(e.recordedAt) }),
    }));
    // insert(), never save(): save() selects first and could update.
    await m.createQueryBuilder().insert().into(EventRecord).values(rows).updateEntity(false).execute();
    return { appended: true, version: current + events.length };
  }

  async currentVersion(stream: StreamRef, m: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await m.query<{ version: number }[]>(
      'SELECT coalesce(max(stream_version), 0)::int AS version FROM events WHERE stream_id = $1',
      [stream.streamId],
    );
    return row?.version ?? 0;
  }

  async readStream(stream: StreamRef, m: EntityManager = this.dataSource.manager): Promise<EventRecord[]> {
    return m.getRepository(EventRecord).find({
      where: { streamType: stream.streamType, streamId: stream.streamId },
      order: { streamVersion: 'ASC' },
    });
  }
}
