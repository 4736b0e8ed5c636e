import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, type EntityManager } from 'typeorm';
import { isPackageEventType, PACKAGE_STREAM_TYPE, type PackageEvent } from '../domain/events.js';
import {
  changedFacts,
  changedLedger,
  changedPlacementFact,
  ledgerFacts,
  ledgerMayChange,
  linkLedgerVersions,
  linkPlacementVersions,
  linkVersions,
  type AdherenceVersion,
  type LedgerFact,
  type LedgerVersion,
  type PlacementVersion,
} from './adherence.js';
import { consumeBatch, ISO, type Checkpoint } from './checkpointed-batch.js';
import {
  ledgerRows,
  placementRow,
  project,
  taskRow,
  timelineRow,
  touchedTaskIds,
  type ProjectedPlacement,
  type TaskRow,
  type TimelineRow,
} from './read-models.js';

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
 */
async function applyPlacements(m: EntityManager, upTo: ReadonlyMap<string, number>): Promise<number> {
  if (upTo.size === 0) return 0;
  const ids = [...upTo.keys()];
  const snapshots = await m.query<{ placement_id: string; version: number; state: ProjectedPlacement }[]>(
    `SELECT placement_id, version, state FROM projection_placement_state WHERE placement_id = ANY($1::uuid[])`,
    [ids],
  );
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

  const timeline: TimelineRow[] = [];
  const adherence: AdherenceVersion[] = [];
  const placementFacts: PlacementVersion[] = [];
  const ledger: LedgerVersion[] = [];
  /** Each placement's ledger facts after its last event so far in this batch. */
  const ledgers = new Map<string, readonly LedgerFact[]>();
  const tasks = new Map<string, TaskRow>();
  const lastRecordedAt = new Map<string, string>();
  for (const row of events) {
    const expected = (states.get(row.stream_id)?.package.version ?? 0) + 1;
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
    const previous = states.get(row.stream_id);
    const next = project(previous, event);
    states.set(row.stream_id, next);
    for (const fact of changedFacts(previous, next))
      adherence.push({
        ...fact,
        stream_version: row.stream_version,
        recorded_from: row.recorded_at,
        recorded_to: null,
      });
    const placementFact = changedPlacementFact(previous, next);
    if (placementFact)
      placementFacts.push({
        ...placementFact,
        stream_version: row.stream_version,
        recorded_from: row.recorded_at,
        recorded_to: null,
      });
    if (ledgerMayChange(previous, next)) {
      const after = ledgerFacts(next);
      for (const change of changedLedger(ledgers.get(row.stream_id) ?? ledgerFacts(previous), after))
        ledger.push({
          ...change,
          stream_version: row.stream_version,
          recorded_from: row.recorded_at,
          recorded_to: null,
        });
      ledgers.set(row.stream_id, after);
    }
    lastRecordedAt.set(row.stream_id, row.recorded_at);
    timeline.push(timelineRow(row.stream_id, row.stream_version, row.position, event));
    for (const taskId of touchedTaskIds(event)) {
      const task = next.package.tasks[taskId];
      if (task) tasks.set(`${row.stream_id}/${taskId}`, taskRow(next.package, task, row.recorded_at));
    }
  }
  for (const id of pending) {
    if (states.get(id)?.package.version !== upTo.get(id)) {
      throw new Error(`placement ${id}: events up to version ${upTo.get(id)} were not all readable`);
    }
  }

  const projected = pending.map((id) => states.get(id)!);
  await upsert(
    m,
    'projection_placement_state',
    ['placement_id uuid', 'version integer', 'state jsonb'],
    ['placement_id'],
    projected.map((p) => ({ placement_id: p.package.placementId, version: p.package.version, state: p })),
  );
  await upsert(
    m,
    'placements',
    [
      'placement_id uuid',
      'child_ref uuid',
      'service_id uuid',
      'municipality_id uuid',
      'placement_type text',
      'placement_date date',
      'catalog_version text',
      'status text',
      'paused_from date',
      'version integer',
      'registered_at timestamptz',
      'ended_on date',
      'end_reason text',
      'updated_at timestamptz',
    ],
    ['placement_id'],
    projected.map((p) => placementRow(p, lastRecordedAt.get(p.package.placementId)!)),
  );
  await upsert(
    m,
    'task_inbox',
    [
      'placement_id uuid',
      'task_id text',
      'step_id text',
      'occurrence integer',
      'title text',
      'track text',
      'role text',
      'origin text',
      'assignee_id text',
      'opens_on date',
      'due_on date',
      'nominal_due_on date',
      'status text',
      'escalated boolean',
      'completed_on date',
      'outcome text',
      'waiver_reason text',
      'statutory text',
      'catalog_version text',
      'service_id uuid',
      'municipality_id uuid',
      'child_ref uuid',
      'updated_at timestamptz',
    ],
    ['placement_id', 'task_id'],
    [...tasks.values()],
  );
  await upsert(
    m,
    'placement_timeline',
    [
      'placement_id uuid',
      'stream_version integer',
      'global_position bigint',
      'type text',
      'at timestamptz',
      'task_id text',
      'details jsonb',
    ],
    ['placement_id', 'stream_version'],
    timeline,
    'nothing',
  );
  await writeAdherence(m, adherence);
  await writePlacementFacts(m, placementFacts);
  await writeLedger(m, ledger);
  // The ledger is recomputed whole: a changed placement date or a reduction can move every year.
  await m.query(`DELETE FROM statutory_ledger WHERE placement_id = ANY($1::uuid[])`, [pending]);
  await upsert(
    m,
    'statutory_ledger',
    [
      'placement_id uuid',
      'child_ref uuid',
      'service_id uuid',
      'municipality_id uuid',
      'year integer',
      'kind text',
      'active_days integer',
      'required integer',
      'planned integer',
      'completed integer',
      'waived integer',
    ],
    ['placement_id', 'year', 'kind'],
    projected.flatMap(ledgerRows),
  );
  return events.length;
}

/** New adherence versions: each task's current row is closed where its first new version starts. */
async function writeAdherence(m: EntityManager, versions: readonly AdherenceVersion[]): Promise<void> {
  if (versions.length === 0) return;
  const { rows, firsts } = linkVersions(versions);
  // TypeORM answers an UPDATE with [rows, count].
  const [closed] = await m.query<[{ service_id: string; due_on: string }[], number]>(
    `UPDATE adherence_facts a SET recorded_to = f.recorded_from
       FROM jsonb_to_recordset($1::jsonb) AS f(placement_id uuid, task_id text, recorded_from timestamptz)
      WHERE a.placement_id = f.placement_id AND a.task_id = f.task_id AND a.recorded_to IS NULL
      RETURNING a.service_id::text AS service_id, a.due_on::text AS due_on`,
    [
      JSON.stringify(
        firsts.map(({ placement_id, task_id, recorded_from }) => ({ placement_id, task_id, recorded_from })),
      ),
    ],
  );
  await upsert(
    m,
    'adherence_facts',
    [
      'placement_id uuid',
      'task_id text',
      'stream_version integer',
      'recorded_from timestamptz',
      'recorded_to timestamptz',
      'step_id text',
      'track text',
      'statutory text',
      'origin text',
      'service_id uuid',
      'municipality_id uuid',
      'placement_type text',
      'placement_date date',
      'due_on date',
      'status text',
      'completed_on date',
      'outcome text',
      'waiver_reason text',
      'follows_task_id text',
    ],
    ['placement_id', 'task_id', 'stream_version'],
    rows,
    'nothing',
  );
  // The months whose figures may have moved, old and new due dates alike (migration 1764430000000).
  const touched = [...closed, ...versions.map((v) => ({ service_id: v.service_id, due_on: v.due_on }))];
  await m.query(
    `INSERT INTO adherence_changes (service_id, month, version)
     SELECT service_id, month, nextval('adherence_change_seq')
       FROM (SELECT DISTINCT service_id, date_trunc('month', due_on)::date AS month
               FROM jsonb_to_recordset($1::jsonb) AS t(service_id uuid, due_on date)) d
     ON CONFLICT (service_id, month) DO UPDATE SET version = excluded.version`,
    [JSON.stringify(touched)],
  );
}

/** New placement-level adherence versions, linked like the task facts (libs/projections/adherence.ts). */
async function writePlacementFacts(m: EntityManager, versions: readonly PlacementVersion[]): Promise<void> {
  if (versions.length === 0) return;
  const { rows, firsts } = linkPlacementVersions(versions);
  await m.query(
    `UPDATE adherence_placements a SET recorded_to = f.recorded_from
       FROM jsonb_to_recordset($1::jsonb) AS f(placement_id uuid, recorded_from timestamptz)
      WHERE a.placement_id = f.placement_id AND a.recorded_to IS NULL`,
    [JSON.stringify(firsts.map(({ placement_id, recorded_from }) => ({ placement_id, recorded_from })))],
  );
  await upsert(
    m,
    'adherence_placements',
    [
      'placement_id uuid',
      'stream_version integer',
      'recorded_from timestamptz',
      'recorded_to timestamptz',
      'service_id uuid',
      'municipality_id uuid',
      'placement_type text',
      'legal_basis text',
      'placement_date date',
      'ended_on date',
      'end_reason text',
      'caseworker_changes_182 integer',
    ],
    ['placement_id', 'stream_version'],
    rows,
    'nothing',
  );
}

/**
 * New statutory ledger versions (libs/projections/adherence.ts): each key's current row is closed where
 * its first new version (or tombstone) starts.
 */
async function writeLedger(m: EntityManager, versions: readonly LedgerVersion[]): Promise<void> {
  if (versions.length === 0) return;
  const { rows, firsts } = linkLedgerVersions(versions);
  await m.query(
    `UPDATE statutory_ledger_versions l SET recorded_to = f.recorded_from
       FROM jsonb_to_recordset($1::jsonb) AS f(placement_id uuid, year integer, kind text, recorded_from timestamptz)
      WHERE l.placement_id = f.placement_id AND l.year = f.year AND l.kind = f.kind AND l.recorded_to IS NULL`,
    [
      JSON.stringify(
        firsts.map(({ placement_id, year, kind, recorded_from }) => ({
          placement_id,
          year,
          kind,
          recorded_from,
        })),
      ),
    ],
  );
  await upsert(
    m,
    'statutory_ledger_versions',
    [
      'placement_id uuid',
      'year integer',
      'kind text',
      'stream_version integer',
      'recorded_from timestamptz',
      'recorded_to timestamptz',
      'service_id uuid',
      'municipality_id uuid',
      'active_days integer',
      'required integer',
      'planned integer',
      'completed integer',
      'waived integer',
      'status text',
      'ended_on date',
    ],
    ['placement_id', 'year', 'kind', 'stream_version'],
    rows,
    'nothing',
  );
}

/**
 * One multi-row INSERT … ON CONFLICT per table: the rows travel as one jsonb array and
 * jsonb_to_recordset types them. `columns` are `name type` pairs, trusted (never user input).
 */
async function upsert(
  m: EntityManager,
  table: string,
  columns: readonly string[],
  key: readonly string[],
  rows: readonly object[],
  onConflict: 'update' | 'nothing' = 'update',
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.split(' ')[0]);
  const updates = names.filter((n) => !key.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  await m.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${columns.join(', ')})
     ON CONFLICT (${key.join(', ')}) DO ${onConflict === 'update' ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    [JSON.stringify(rows)],
  );
}

export interface ProjectorOptions extends Omit<RunOptions, 'beforeCheckpoint'> {
  /** Pause between polls once caught up (default 150 ms). */
  readonly intervalMs?: number;
  /** Aborting it stops the loop, as `stop()` does. */
  readonly signal?: AbortSignal;
  /** Called with each failed run; the loop backs off (up to 5 s) and retries. Default: a line on stderr. */
  readonly onError?: (error: unknown) => void;
  /** Called after each run that read events. */
  readonly onBatch?: (result: RunResult) => void;
}

export interface ProjectorHandle {
  /** Ends the loop after the current run; resolves when it has ended. */
  stop(): Promise<void>;
  /** Skips the current pause: poll now (e.g. right after an append). */
  wake(): void;
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>;
}

/** Polls `runOnce` until stopped: back to back while behind, every `intervalMs` once caught up. */
export function startProjector(dataSource: DataSource, options: ProjectorOptions = {}): ProjectorHandle {
  const intervalMs = options.intervalMs ?? 150;
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.stderr.write(`projector ${options.name ?? READ_MODELS_PROJECTOR}: ${String(error)}\n`));
  const stopping = new AbortController();
  const stopOnSignal = () => stopping.abort();
  options.signal?.addEventListener('abort', stopOnSignal, { once: true });
  if (options.signal?.aborted) stopping.abort();
  let pause = new AbortController();

  const loop = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let delay = intervalMs;
      try {
        const result = await runOnce(dataSource, options);
        failures = 0;
        if (result.events > 0) options.onBatch?.(result);
        if (!result.caughtUp) continue;
      } catch (error) {
        failures += 1;
        onError(error);
        delay = Math.min(intervalMs * 2 ** failures, 5000);
      }
      if (stopping.signal.aborted) break;
      pause = new AbortController();
      await sleep(delay, undefined, { signal: AbortSignal.any([stopping.signal, pause.signal]) }).catch(
        () => undefined,
      );
    }
    options.signal?.removeEventListener('abort', stopOnSignal);
  };
  const done = loop();
  return {
    stop: async () => {
      stopping.abort();
      await done;
    },
    wake: () => pause.abort(),
    done,
  };
}

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
