import type { EntityManager } from 'typeorm';
import type { PackageEvent } from '../domain/events.js';
import type { ProjectedPlacement } from './projected-placement.js';
import type { Table } from './table.js';

/*
 * What a read model is to the projector (projector.ts): a table, and how one batch of events becomes
 * its rows. Each read model is one file in read-models/; the projector folds each event once and hands
 * it to every read model, then lets each write its rows, in the batch's transaction.
 */

/** One event of a batch, folded: its placement's state before and after it. */
export interface FoldedEvent {
  readonly placementId: string;
  readonly streamVersion: number;
  /** global_position as text. */
  readonly globalPosition: string;
  /** The event's recorded_at, ISO 8601 with microseconds. */
  readonly recordedAt: string;
  readonly event: PackageEvent;
  readonly before: ProjectedPlacement | undefined;
  readonly after: ProjectedPlacement;
}

/** A placement the batch moved: its state after its last event in the batch, and when that was recorded. */
export interface MovedPlacement {
  readonly state: ProjectedPlacement;
  readonly recordedAt: string;
}

/** One batch's rows of a read model: gathered event by event, then written. */
export interface ReadModelBatch {
  /** Each event of the batch, in stream order within its placement. */
  readonly event?: (folded: FoldedEvent) => void;
  /** After the last event: writes the rows, one statement per table (see upsert in table.ts). */
  readonly write: (m: EntityManager, moved: readonly MovedPlacement[]) => Promise<void>;
}

export interface ReadModel {
  /** The table it writes (rebuild truncates it; the checksum reads it in key order). */
  readonly table: Table;
  /** Starts a batch. */
  readonly batch: () => ReadModelBatch;
}
