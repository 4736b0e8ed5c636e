import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type DataSource, type EntityManager } from 'typeorm';
import { isPackageEventType, PACKAGE_STREAM_TYPE, type PackageEvent } from '../domain/events.js';
import { consumeBatch, ISO, type Checkpoint } from './checkpointed-batch.js';
import { project, type ProjectedPlacement } from './projected-placement.js';
import type { MovedPlacement } from './read-model.js';
import { READ_MODELS } from './read-models/index.js';
import { loadSnapshots } from './read-models/placement-state.js';

/*
 * The projector: folds the append-only `events` table into the read models. It reads as every consumer
 * of the events does (./checkpointed-batch.ts: never skips an event, never applies one twice); and each
 * placement's snapshot keeps the stream version folded in, so an event at or below it is a no-op.
 */

/** The one projector that builds every read model in libs/projections. */
export const READ_MODELS_PROJECTOR = 'read-models';

export interface BatchInfo {
  readonly events: number;
  readonly placements: readonly string[];
  readonly checkpoint: Checkpoint;
}

export interface RunOptions {
  /** Events read per transaction (default 500). */
  readonly batchSize?: number;
  /** Checkpoint name (default `read-models`). */
  readonly name?: string;
  /**
   * Test seam: runs inside the transaction after the read models are written and before the checkpoint
   * moves. Throwing from it rolls the whole batch back (a crash between apply and checkpoint).
   */
  readonly beforeCheckpoint?: (batch: BatchInfo, manager: EntityManager) => Promise<void> | void;
}

export interface RunResult {
  /** Events read after the checkpoint (of any stream type). */
  readonly events: number;
  /** Events folded into placements (more than `events` when a placement's earlier events came late). */
  readonly applied: number;
  readonly placements: number;
  /** The checkpoint after the run (null when there never was an event). */
  readonly checkpoint: Checkpoint | null;
  /** Fewer than batchSize events were ready: nothing more to do right now. */
  readonly caughtUp: boolean;
}

/** An event the projector cannot fold: it stops rather than skip it (deploy a projector that knows it). */
export class UnprojectableEventError extends Error {
  constructor(
    readonly globalPosition: string,
    reason: string,
  ) {
    super(`event at global position ${globalPosition}: ${reason}`);
    this.name = 'UnprojectableEventError';
  }
}

interface StreamEventRow {
  stream_id: string;
  stream_type: string;
  stream_version: number;
  position: string;
  type: string;
  schema_version: number;
  payload: unknown;
  recorded_at: string;
}

/** Projects the next batch of events, in one transaction with the checkpoint. */
export async function runOnce(dataSource: DataSource, options: RunOptions = {}): Promise<RunResult> {
  const name = options.name ?? READ_MODELS_PROJECTOR;
  const result = await consumeBatch(dataSource, name, options.batchSize ?? 500, async (m, upTo, batch) => {
    const applied = await applyPlacements(m, upTo);
    const last = batch[batch.length - 1];
    const checkpoint = { txId: last.tx_id, position: last.position };
    await options.beforeCheckpoint?.({ events: batch.length, placements: [...upTo.keys()], checkpoint }, m);
    return { applied, placements: upTo.size };
  });
  return {
    events: result.events,
    applied: result.applied?.applied ?? 0,
    placements: result.applied?.placements ?? 0,
    checkpoint: result.checkpoint,
    caughtUp: result.caughtUp,
  };
}

/**
 * Folds each placement from its snapshot's version up to `upTo`, reading those events by stream. An
 * event of a placement is committed only after all its earlier ones (appends to a stream queue on a
 * lock and number from the committed maximum), so these are all visible here even when an earlier
 * version sorts later in (tx_id, global_position) order: it is folded now and is a no-op when reached.
 * Each event is folded once and handed to every read model (read-models/), which then write their rows.
 */
async function applyPlacements(m: EntityManager, upTo: ReadonlyMap<string, number>): Promise<number> {
  if (upTo.size === 0) return 0;
  const ids = [...upTo.keys()];
  const snapshots = await loadSnapshots(m, ids);
  const states = new Map<string, ProjectedPlacement | undefined>(
    snapshots.map((s) => [s.placement_id, s.state]),
  );
  const fromVersion = new Map(snapshots.map((s) => [s.placement_id, s.version]));
  const pending = ids.filter((id) => upTo.get(id)! > (fromVersion.get(id) ?? 0));
  if (pending.length === 0) return 0;

  const events = await m.query<StreamEventRow[]>(
    `SELECT e.stream_id, e.stream_type, e.stream_version, e.global_position::text AS position, e.type,
            e.schema_version, e.payload, ${ISO('e.recorded_at')} AS recorded_at
       FROM unnest($1::uuid[], $2::int[], $3::int[]) AS w(stream_id, after_version, up_to)
       JOIN events e ON e.stream_id = w.stream_id AND e.stream_version > w.after_version
                    AND e.stream_version <= w.up_to
      ORDER BY e.stream_id, e.stream_version`,
    [pending, pending.map((id) => fromVersion.get(id) ?? 0), pending.map((id) => upTo.get(id)!)],
  );

  const batches = READ_MODELS.map((readModel) => readModel.batch());
  const lastRecordedAt = new Map<string, string>();
  for (const row of events) {
    const before = states.get(row.stream_id);
    const expected = (before?.package.version ?? 0) + 1;
    if (row.stream_version !== expected || row.stream_type !== PACKAGE_STREAM_TYPE) {
      throw new UnprojectableEventError(
        row.position,
        `stream ${row.stream_id} has version ${row.stream_version} where ${expected} was expected`,
      );
    }
    if (!isPackageEventType(row.type))
      throw new UnprojectableEventError(row.position, `unknown type ${row.type}`);
    if (row.schema_version !== 1) {
      throw new UnprojectableEventError(row.position, `${row.type} schema version ${row.schema_version}`);
    }
    const event = { type: row.type, data: row.payload } as PackageEvent;
    const after = project(before, event);
    states.set(row.stream_id, after);
    lastRecordedAt.set(row.stream_id, row.recorded_at);
    const folded = {
      placementId: row.stream_id,
      streamVersion: row.stream_version,
      globalPosition: row.position,
      recordedAt: row.recorded_at,
      event,
      before,
      after,
    };
    for (const batch of batches) batch.event?.(folded);
  }
  for (const id of pending) {
    if (states.get(id)?.package.version !== upTo.get(id)) {
      throw new Error(`placement ${id}: events up to version ${upTo.get(id)} were not all readable`);
    }
  }

  const moved: MovedPlacement[] = pending.map((id) => ({
    state: states.get(id)!,
    recordedAt: lastRecordedAt.get(id)!,
  }));
  for (const batch of batches) await batch.write(m, moved);
  return events.length;
}

/** The channel every append notifies on commit (migration 1765420000000-events-appended-notify). */
export const EVENTS_APPENDED_CHANNEL = 'events_appended';

export interface ListenOptions {
  /** The database to LISTEN on, over a connection of the projector's own. */
  readonly connectionString: string;
  /** Pause between polls while the listener is up: only a safety net (default 5 s). */
  readonly intervalMs?: number;
  /** Before connecting the listener again after it failed or dropped (default 1 s). */
  readonly retryMs?: number;
  /**
   * After a notification, wait this long for more before running (default 0): under a load of appends
   * one run then folds many commits, and costs less CPU per event, for this much more lag.
   */
  readonly coalesceMs?: number;
  /** Told when the listener is up (LISTEN done) and when it is down again. */
  readonly onListening?: (listening: boolean) => void;
}

export interface ProjectorOptions extends Omit<RunOptions, 'beforeCheckpoint'> {
  /** Pause between polls once caught up, while no listener is up (default 150 ms). */
  readonly intervalMs?: number;
  /**
   * Wake on commit: LISTEN on EVENTS_APPENDED_CHANNEL and run as soon as an append commits. Polling
   * goes on, every `listen.intervalMs` while listening and every `intervalMs` while the listener is down
   * (then reconnected every `listen.retryMs`).
   */
  readonly listen?: ListenOptions;
  /** Aborting it stops the loop, as `stop()` does. */
  readonly signal?: AbortSignal;
  /** Called with each failed run; the loop backs off (up to 5 s) and retries. Default: a line on stderr. */
  readonly onError?: (error: unknown) => void;
  /** Called after each run that read events, with how long the run took. */
  readonly onBatch?: (result: RunResult, durationMs: number) => void;
}

export interface ProjectorHandle {
  /** Ends the loop after the current run; resolves when it has ended. */
  stop(): Promise<void>;
  /** Skips the current pause: poll now (e.g. right after an append). */
  wake(): void;
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>;
}

/**
 * After a wake, while events after the checkpoint are committed but not yet readable (an older
 * transaction is still open, so they are not below the snapshot's xmin: see checkpointed-batch.ts), run
 * again after these pauses (the last repeated) rather than wait for the next poll.
 */
const CHASE_MS = [5, 10, 20, 40, 80, 160, 320, 640, 1000];

/**
 * Whether any event lies after the checkpoint `$1`: one step of `events_tx_position_idx` (the ORDER BY
 * and LIMIT make the planner walk the index from the checkpoint; a bare EXISTS over the row comparison
 * scanned the whole table, 0.3–0.5 s at 1.2 million events, after every woken run).
 */
export const EVENTS_AFTER_CHECKPOINT_SQL = `SELECT EXISTS (
   SELECT 1
     FROM (SELECT coalesce(max(tx_id), '0'::xid8) AS tx_id, coalesce(max(position), 0) AS position
             FROM projection_checkpoints WHERE name = $1) AS cp,
          LATERAL (SELECT 1 FROM events e
                    WHERE (e.tx_id, e.global_position) > (cp.tx_id, cp.position)
                    ORDER BY e.tx_id, e.global_position LIMIT 1) AS next
 ) AS waiting`;

/** Whether events after the checkpoint `name` are committed but not yet readable to the projector. */
async function unreadableEvents(dataSource: DataSource, name: string): Promise<boolean> {
  const [row] = await dataSource.query<{ waiting: boolean }[]>(EVENTS_AFTER_CHECKPOINT_SQL, [name]);
  return row?.waiting ?? false;
}

/**
 * Runs `runOnce` until stopped: back to back while behind; once caught up, again when woken (by
 * `wake()` or, with `listen`, by a committed append) or after the polling interval.
 */
export function startProjector(dataSource: DataSource, options: ProjectorOptions = {}): ProjectorHandle {
  const pollMs = options.intervalMs ?? 150;
  const coalesceMs = options.listen?.coalesceMs ?? 0;
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.stderr.write(`projector ${options.name ?? READ_MODELS_PROJECTOR}: ${String(error)}\n`));
  const stopping = new AbortController();
  const stopOnSignal = () => stopping.abort();
  options.signal?.addEventListener('abort', stopOnSignal, { once: true });
  if (options.signal?.aborted) stopping.abort();
  let pause = new AbortController();
  // A wake during a run must not be lost: the run may have read before the woken commit.
  let woken = false;
  const wake = () => {
    woken = true;
    pause.abort();
  };
  const listener = options.listen ? startListener(options.listen, wake, stopping.signal, onError) : undefined;

  const loop = async () => {
    let failures = 0;
    // While ≥ 0: chasing a woken commit not yet readable (index into CHASE_MS); -1: not chasing.
    let chase = -1;
    while (!stopping.signal.aborted) {
      woken = false;
      let delay = listener?.listening() ? (options.listen?.intervalMs ?? 5000) : pollMs;
      try {
        const started = performance.now();
        const result = await runOnce(dataSource, options);
        failures = 0;
        if (result.events > 0) options.onBatch?.(result, performance.now() - started);
        if (!result.caughtUp) continue;
        if (chase >= 0 && (await unreadableEvents(dataSource, options.name ?? READ_MODELS_PROJECTOR))) {
          delay = Math.min(delay, CHASE_MS[Math.min(chase, CHASE_MS.length - 1)]);
          chase += 1;
        } else chase = -1;
      } catch (error) {
        failures += 1;
        onError(error);
        delay = Math.min(pollMs * 2 ** failures, 5000);
      }
      if (stopping.signal.aborted) break;
      if (!(woken && failures === 0)) {
        pause = new AbortController();
        await sleep(delay, undefined, { signal: AbortSignal.any([stopping.signal, pause.signal]) }).catch(
          () => undefined,
        );
      }
      if (woken) {
        chase = 0;
        if (coalesceMs > 0)
          await sleep(coalesceMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
    await listener?.done;
    options.signal?.removeEventListener('abort', stopOnSignal);
  };
  const done = loop();
  return {
    stop: async () => {
      stopping.abort();
      await done;
    },
    wake,
    done,
  };
}

/**
 * LISTENs on EVENTS_APPENDED_CHANNEL over a connection of its own, calling `wake` on each notification
 * and once after each (re)connect (what committed while it was down). A connection that fails or drops
 * is replaced after `retryMs`; until then the projector polls at its fallback interval.
 */
function startListener(
  options: ListenOptions,
  wake: () => void,
  stopping: AbortSignal,
  onError: (error: unknown) => void,
): { listening(): boolean; done: Promise<void> } {
  let up = false;
  const setUp = (value: boolean) => {
    if (up === value) return;
    up = value;
    options.onListening?.(value);
  };
  const session = async () => {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: `omsorgspakken projector listener pid=${process.pid}`,
      keepAlive: true,
    });
    const ended = new Promise<void>((resolve) => {
      client.on('error', (error) => {
        onError(error);
        resolve();
      });
      client.on('end', () => resolve());
    });
    client.on('notification', () => wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_APPENDED_CHANNEL}`);
      setUp(true);
      wake();
      await Promise.race([ended, aborted(stopping)]);
    } finally {
      setUp(false);
      await client.end().catch(() => undefined);
    }
  };
  const done = (async () => {
    while (!stopping.aborted) {
      await session().catch(onError);
      if (stopping.aborted) break;
      // Polling covers the gap; a notification sent meanwhile is not lost work, only a later wake.
      wake();
      await sleep(options.retryMs ?? 1000, undefined, { signal: stopping }).catch(() => undefined);
    }
  })();
  return { listening: () => up, done };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

export interface ProjectionLag {
  readonly checkpoint: Checkpoint | null;
  /** recorded_at of the last event applied (null before the first). */
  readonly lastAppliedRecordedAt: string | null;
  /** now − lastAppliedRecordedAt, in ms (grows while idle: read it with `pendingEvents`). */
  readonly lastAppliedAgeMs: number | null;
  /** Events after the checkpoint, committed or not yet readable. */
  readonly pendingEvents: number;
  /** now − recorded_at of the oldest pending event, in ms: 0 when nothing is pending. */
  readonly oldestPendingAgeMs: number;
}

/** How far behind the events the read models are, measured in the database's clock. */
export async function projectionLag(
  dataSource: DataSource,
  name: string = READ_MODELS_PROJECTOR,
): Promise<ProjectionLag> {
  const [row] = await dataSource.query<
    {
      tx_id: string | null;
      position: string | null;
      last_recorded_at: string | null;
      last_age_ms: number | null;
      pending: number;
      oldest_pending_age_ms: number | null;
    }[]
  >(
    `WITH c AS (
       SELECT coalesce(cp.tx_id, '0'::xid8) AS tx_id, coalesce(cp.position, 0) AS position,
              cp.last_recorded_at, cp.name IS NOT NULL AS present
         FROM (VALUES ($1::text)) AS n(name)
         LEFT JOIN projection_checkpoints cp ON cp.name = n.name
     ), p AS (
       SELECT count(*)::int AS pending, min(e.recorded_at) AS oldest
         FROM events e, c WHERE (e.tx_id, e.global_position) > (c.tx_id, c.position)
     )
     SELECT CASE WHEN c.present AND c.position > 0 THEN c.tx_id::text END AS tx_id,
            CASE WHEN c.present AND c.position > 0 THEN c.position::text END AS position,
            ${ISO('c.last_recorded_at')} AS last_recorded_at,
            (extract(epoch FROM clock_timestamp() - c.last_recorded_at) * 1000)::float8 AS last_age_ms,
            p.pending,
            (extract(epoch FROM clock_timestamp() - p.oldest) * 1000)::float8 AS oldest_pending_age_ms
       FROM c, p`,
    [name],
  );
  return {
    checkpoint: row.tx_id && row.position ? { txId: row.tx_id, position: row.position } : null,
    lastAppliedRecordedAt: row.last_recorded_at,
    lastAppliedAgeMs: row.last_age_ms,
    pendingEvents: row.pending,
    oldestPendingAgeMs: row.oldest_pending_age_ms ?? 0,
  };
}
