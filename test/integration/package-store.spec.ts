import { randomUUID } from 'node:crypto';
import { appendPackageEvents } from '../../activities/package-store.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore, StreamVersionConflictError } from '../../libs/event-store/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** The workflow's append activity, retried as Temporal would after a worker died mid-way. */
describe('appendPackageEvents (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  const opened = (taskId: string): PackageEvent => ({
    type: 'TaskOpened',
    data: { taskId, at: '2026-03-02T06:00:00.000Z' },
  });

  it('appends a retried batch once: event ids follow from placement and stream version', async () => {
    const placementId = randomUUID();
    const input = { placementId, expectedVersion: 0, events: [opened('a#1'), opened('b#1')] };
    expect(await appendPackageEvents(store, input)).toEqual({ version: 2 });
    expect(await appendPackageEvents(store, input)).toEqual({ version: 2 });
    await Promise.all([appendPackageEvents(store, input), appendPackageEvents(store, input)]);
    const stored = await store.readStream({ streamType: 'placement', streamId: placementId });
    expect(stored.map((e) => [e.streamVersion, e.type, e.payload.taskId])).toEqual([
      [1, 'TaskOpened', 'a#1'],
      [2, 'TaskOpened', 'b#1'],
    ]);
  });

  it('refuses a batch written from a stale version by anyone else', async () => {
    const placementId = randomUUID();
    await appendPackageEvents(store, { placementId, expectedVersion: 0, events: [opened('a#1')] });
    await expect(
      appendPackageEvents(store, { placementId, expectedVersion: 0, events: [opened('other#1')] }),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
  });
});
