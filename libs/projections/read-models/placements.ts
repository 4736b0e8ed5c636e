import type { ProjectedPlacement } from '../projected-placement.js';
import type { ReadModel } from '../read-model.js';
import { table, upsert, type RowOf } from '../table.js';

/*
 * `placements`: one row per placement and its package's status, rewritten with each batch that moves
 * it. `updated_at` is the recorded_at of the event that last changed the row, never the wall clock, so
 * a rebuild reproduces it.
 */
export const PLACEMENTS = table('placements', {
  placement_id: { type: 'uuid', primary: true },
  child_ref: { type: 'uuid' },
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  placement_type: { type: 'text' },
  placement_date: { type: 'date' },
  catalog_version: { type: 'text' },
  /** active | paused | ended | completed */
  status: { type: 'text' },
  paused_from: { type: 'date', nullable: true },
  /** The stream version folded into this row. */
  version: { type: 'integer' },
  registered_at: { type: 'timestamptz' },
  ended_on: { type: 'date', nullable: true },
  end_reason: { type: 'text', nullable: true },
  updated_at: { type: 'timestamptz' },
});
export type PlacementRow = RowOf<typeof PLACEMENTS>;

export function placementRow(p: ProjectedPlacement, updatedAt: string): PlacementRow {
  const s = p.package;
  return {
    placement_id: s.placementId,
    child_ref: s.childRef,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    placement_type: s.facts.placementType,
    placement_date: s.facts.placementDate,
    catalog_version: s.catalogVersion,
    status: s.status,
    paused_from: s.pausedFrom ?? null,
    version: s.version,
    registered_at: s.registeredAt,
    ended_on: p.endedOn,
    end_reason: p.endReason,
    updated_at: updatedAt,
  };
}

export const placementsReadModel: ReadModel = {
  table: PLACEMENTS,
  batch: () => ({
    write: (m, moved) =>
      upsert(
        m,
        PLACEMENTS,
        moved.map((p) => placementRow(p.state, p.recordedAt)),
      ),
  }),
};
