import { type DataSource, type EntityManager } from 'typeorm';
import { PACKAGE_STREAM_TYPE } from '../domain/events.js';

/*
 * The reading half of every consumer of the `events` table (the read-model projector, the notification
 * outbox), so that each reads the same way:
 *
 * Never skips an event. A global_position is taken at INSERT but becomes visible at COMMIT, so positions
 * commit out of order. A consumer reads only events whose transaction is older than every transaction
 * still running (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`): such a transaction has ended, and
 * every transaction that could still add an event has a larger tx_id. It reads them in
 * (tx_id, global_position) order after its checkpoint, which it stores as that same pair.
 *
 * Never applies an event twice. The checkpoint row is locked (SELECT … FOR UPDATE) for the whole batch,
 * so two consumers of one name queue up rather than apply one batch twice; what the consumer writes and
 * the checkpoint are written in the same transaction, so a crash leaves either both or neither.
 */

export interface BatchRow {
  position: string;
  tx_id: string;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  recorded_at: string;
}

export interface Checkpoint {
  /** xid8 as text. */
  readonly txId: string;
  /** global_position (bigint) as text. */
  readonly position: string;
}

export interface ConsumedBatch<T> {
  /** Events read after the checkpoint (of any stream type). */
  readonly events: number;
  /** The checkpoint after the batch (before it when nothing was read; null: never moved). */
  readonly checkpoint: Checkpoint | null;
  /** What `apply` returned; undefined when nothing was read. */
  readonly applied: T | undefined;
  readonly caughtUp: boolean;
}

/** timestamptz as ISO 8601 text with its full microsecond precision (a JS Date would cut it to ms). */
export const ISO = (column: string) => `to_json(${column}) #>> '{}'`;

/**
 * Reads the next batch after checkpoint `name` and, in the same transaction, lets `apply` fold it, then
 * moves the checkpoint. `apply` gets the batch and, per placement stream in it, the highest version read.
 */
export async function consumeBatch<T>(
  dataSource: DataSource,
  name: string,
  batchSize: number,
  apply: (m: EntityManager, upTo: ReadonlyMap<string, number>, batch: readonly BatchRow[]) => Promise<T>,
): Promise<ConsumedBatch<T>> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be ≥ 1, got ${batchSize}`);
  return dataSource.transaction(async (m) => {
    await m.query(
      `INSERT INTO projection_checkpoints (name, tx_id, position) VALUES ($1, '0', 0) ON CONFLICT (name) DO NOTHING`,
      [name],
    );
    // Another consumer holding this row finishes its batch first; we then read its new checkpoint.
    const [from] = await m.query<{ tx_id: string; position: string }[]>(
      `SELECT tx_id::text AS tx_id, position::text AS position FROM projection_checkpoints WHERE name = $1 FOR UPDATE`,
      [name],
    );
    if (!from) throw new Error(`checkpoint ${name} vanished while locking it`);
    // ORDER BY names the table's columns: a bare `tx_id` would mean the output column, the xid8 as
    // text, whose order is not the xid order ('1000' < '999'): the index could not be used, and a batch
    // spanning such a step would move the checkpoint past events it had not read.
    const batch = await m.query<BatchRow[]>(
      `SELECT global_position::text AS position, tx_id::text AS tx_id, stream_type, stream_id::text AS stream_id,
              stream_version, ${ISO('recorded_at')} AS recorded_at
         FROM events
        WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
          AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.tx_id, events.global_position
        LIMIT $3`,
      [from.tx_id, from.position, batchSize],
    );
    const last = batch.at(-1);
    if (!last) {
      const checkpoint = from.position === '0' ? null : { txId: from.tx_id, position: from.position };
      return { events: 0, checkpoint, applied: undefined, caughtUp: true };
    }

    // The highest stream version of each placement in the batch: its state is folded up to there.
    const upTo = new Map<string, number>();
    for (const row of batch) {
      if (row.stream_type !== PACKAGE_STREAM_TYPE) continue;
      upTo.set(row.stream_id, Math.max(upTo.get(row.stream_id) ?? 0, row.stream_version));
    }
    const applied = await apply(m, upTo, batch);
    await m.query(
      `UPDATE projection_checkpoints
          SET tx_id = $2::xid8, position = $3::bigint, last_recorded_at = $4::timestamptz, updated_at = now()
        WHERE name = $1`,
      [name, last.tx_id, last.position, last.recorded_at],
    );
    return {
      events: batch.length,
      checkpoint: { txId: last.tx_id, position: last.position },
      applied,
      caughtUp: batch.length < batchSize,
    };
  });
}
