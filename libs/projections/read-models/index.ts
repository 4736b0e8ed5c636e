import type { ReadModel } from '../read-model.js';
import { adherenceFactsReadModel } from './adherence-facts.js';
import { adherencePlacementsReadModel } from './adherence-placements.js';
import { placementStateReadModel } from './placement-state.js';
import { placementTimelineReadModel } from './placement-timeline.js';
import { placementsReadModel } from './placements.js';
import { statutoryLedgerVersionsReadModel } from './statutory-ledger-versions.js';
import { statutoryLedgerReadModel } from './statutory-ledger.js';
import { taskInboxReadModel } from './task-inbox.js';

/**
 * Every read model the projector builds, one file each: its table, its columns and its rows from an
 * event. The projector writes them in this order; rebuild truncates them and the checksum reads them
 * in it.
 */
export const READ_MODELS: readonly ReadModel[] = [
  placementsReadModel,
  taskInboxReadModel,
  placementTimelineReadModel,
  statutoryLedgerReadModel,
  adherenceFactsReadModel,
  adherencePlacementsReadModel,
  statutoryLedgerVersionsReadModel,
  placementStateReadModel,
];

/** Their TypeORM mappings, for the data source. */
export const readModelEntities = READ_MODELS.map((r) => r.table.entity);
