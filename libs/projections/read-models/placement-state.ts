import type { EntityManager } from 'typeorm';
import type { ProjectedPlacement } from '../projected-placement.js';
import type { ReadModel } from '../read-model.js';
import { table, upsert } from '../table.js';

/*
 * `projection_placement_state`: the projector's snapshot of each placement's folded state, so an event
 * needs no replay of its stream. `version` is the stream version folded in: an event at or below it
 * has been applied (the idempotency guard, read by the projector before it folds a batch).
 */
export const PLACEMENT_STATE = table('projection_placement_state', {
  placement_id: { type: 'uuid', primary: true },
  version: { type: 'integer' },
  state: { type: 'jsonb' },
});

export interface Snapshot {
  readonly placement_id: string;
  readonly version: number;
  readonly state: ProjectedPlacement;
}

/** The snapshots of the given placements (none for a placement never projected). */
export function loadSnapshots(m: EntityManager, placementIds: readonly string[]): Promise<Snapshot[]> {
  return m.query<Snapshot[]>(
    `SELECT placement_id, version, state FROM ${PLACEMENT_STATE.name} WHERE placement_id = ANY($1::uuid[])`,
    [placementIds],
  );
}

export const placementStateReadModel: ReadModel = {
  table: PLACEMENT_STATE,
  batch: () => ({
    write: (m, moved) =>
      upsert(
        m,
        PLACEMENT_STATE,
        moved.map(({ state }) => ({
          placement_id: state.package.placementId,
          version: state.package.version,
          state,
        })),
      ),
  }),
};
