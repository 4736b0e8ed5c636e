import { createHash } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { READ_MODELS_PROJECTOR, runOnce } from './projector.js';
import { READ_MODELS } from './read-models/index.js';

/** The names of the tables the projector writes (`rebuild` truncates them). */
export const READ_MODEL_TABLE_NAMES: readonly string[] = READ_MODELS.map((r) => r.table.name);

export interface RebuildResult {
  /** Events read during the replay. */
  readonly events: number;
  readonly batches: number;
}

/**
 * Throws the read models away and replays every event (B2: truncate + replay). The checkpoint reset and the
 * truncation are one transaction, so a live projector waits for it and then starts from the beginning too; the replay runs in batches like the live projector (and may run beside
 * it). Readers see the read models fill up again during the replay.
 */
export async function rebuild(
  dataSource: DataSource,
  options: { batchSize?: number; name?: string } = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 1000;
  const name = options.name ?? READ_MODELS_PROJECTOR;
  await dataSource.transaction(async (m) => {
    // Resetting the checkpoint first takes its row lock: a live projector's batch finishes before, and
    // its next one waits for this transaction and then reads the reset checkpoint.
    await m.query(
      `INSERT INTO projection_checkpoints (name, tx_id, position) VALUES ($1, '0', 0)
       ON CONFLICT (name) DO UPDATE SET tx_id = '0', position = 0, last_recorded_at = NULL, updated_at = now()`,
      [name],
    );
    await m.query(`TRUNCATE ${READ_MODEL_TABLE_NAMES.join(', ')}`);
  });
  let events = 0;
  let batches = 0;
  for (;;) {
    const result = await runOnce(dataSource, { batchSize, name });
    events += result.events;
    batches += 1;
    if (result.caughtUp) return { events, batches };
  }
}

export interface TableDigest {
  readonly rows: number;
  readonly sha256: string;
}

/**
 * A SHA-256 per read-model table over its rows in key order, every column included (the timestamps
 * come from the events, never the clock). Read in one REPEATABLE READ snapshot, in UTC and ISO dates,
 * so the text of a row does not depend on the session.
 */
export async function readModelDigests(dataSource: DataSource): Promise<Record<string, TableDigest>> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    try {
      await runner.query(`SET LOCAL TimeZone = 'UTC'`);
      await runner.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
      await runner.query(`SET LOCAL IntervalStyle = 'iso_8601'`);
      await runner.query(`SET LOCAL extra_float_digits = 3`);
      const digests: Record<string, TableDigest> = {};
      for (const { table } of READ_MODELS) {
        const [row] = (await runner.query(
          `SELECT count(*)::int AS rows,
                  encode(sha256(convert_to(coalesce(string_agg(t::text, E'\\n' ORDER BY ${table.key.join(', ')}), ''), 'UTF8')), 'hex')
                    AS sha256
             FROM ${table.name} t`,
        )) as TableDigest[];
        digests[table.name] = row!;
      }
      return digests;
    } finally {
      await runner.rollbackTransaction();
    }
  } finally {
    await runner.release();
  }
}

/** One deterministic hash of all read models: equal after a rebuild to what the live projector built. */
export async function readModelChecksum(dataSource: DataSource): Promise<string> {
  const digests = await readModelDigests(dataSource);
  const hash = createHash('sha256');
  for (const [table, d] of Object.entries(digests)) hash.update(`${table}:${d.rows}:${d.sha256}\n`);
  return hash.digest('hex');
}
