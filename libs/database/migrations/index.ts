import { EventStore1763900000000 } from './1763900000000-event-store.js';
import { ReadModels1763950000000 } from './1763950000000-read-models.js';
import { AccessLog1764000000000 } from './1764000000000-access-log.js';
import { InboxIndexes1764100000000 } from './1764100000000-inbox-indexes.js';

/** Every migration, in order. Schema changes happen only here (never `synchronize`). */
export const migrations = [
  EventStore1763900000000,
  ReadModels1763950000000,
  AccessLog1764000000000,
  InboxIndexes1764100000000,
];
