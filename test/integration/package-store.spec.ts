import { randomUUID } from 'node:crypto';
import { appendPackageEvents } from '../../activities/package-store.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore, StreamVersionConflictError } from '../../libs/event-store/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
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

  it('logs each write a person caused in the access log, in the same transaction, once', async () => {
    const placementId = randomUUID();
    const childRef = randomUUID();
    const by = { userId: 'kp-7', role: 'kontaktperson' as const };
    const at = '2026-03-02T06:00:00.000Z';
    const registered: PackageEvent = {
      type: 'PlacementRegistered',
      data: {
        placementId,
        childRef,
        organisation: { serviceId: randomUUID(), municipalityId: randomUUID() },
        facts: placementFacts('omsorgsovertakelse', '2026-03-01'),
        catalogVersion: '2026.1',
        by,
        at,
      },
    };
    await appendPackageEvents(store, {
      placementId,
      expectedVersion: 0,
      events: [registered, opened('a#1')],
    });
    const completed: PackageEvent = {
      type: 'TaskCompleted',
      data: {
        taskId: 'a#1',
        at,
        completedOn: '2026-03-02',
        outcome: 'gjennomfort',
        by: { userId: 'fhr-2', role: 'fosterhjemsressurs' },
      },
    };
    const input = { placementId, expectedVersion: 2, events: [completed] };
    await appendPackageEvents(store, input);
    await appendPackageEvents(store, input); // a retried activity
    const rows = await db.dataSource.query<
      { user_id: string; roles: string[]; child_ref: string; action: string; outcome: string; xid: string }[]
    >(
      `SELECT user_id, roles, child_ref, action, outcome, xmin::text AS xid FROM access_log
        WHERE placement_id = $1 ORDER BY id`,
      [placementId],
    );
    expect(rows.map(({ xid: _, ...r }) => r)).toEqual([
      {
        user_id: 'kp-7',
        roles: ['kontaktperson'],
        child_ref: childRef,
        action: 'event:PlacementRegistered',
        outcome: 'allowed',
      },
      {
        user_id: 'fhr-2',
        roles: ['fosterhjemsressurs'],
        child_ref: childRef,
        action: 'event:TaskCompleted',
        outcome: 'allowed',
      },
    ]);
    const events = await db.dataSource.query<{ stream_version: number; xid: string }[]>(
      `SELECT stream_version, xmin::text AS xid FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [placementId],
    );
    expect(rows.map((r) => r.xid)).toEqual([events[0]?.xid, events[2]?.xid]);
  });

  it('appends nothing from a stale version, and answers with what is stored after it and its causes', async () => {
    const placementId = randomUUID();
    const tick = { tick: true } as const;
    await appendPackageEvents(store, {
      placementId,
      expectedVersion: 0,
      events: [opened('a#1')],
      cause: tick,
    });
    const stale = await appendPackageEvents(store, {
      placementId,
      expectedVersion: 0,
      events: [opened('other#1')],
      cause: { commandId: 'c-1' },
    });
    expect(stale).toEqual({ version: 1, ahead: { events: [opened('a#1')], causes: [tick] } });
    const stored = await db.dataSource.query<{ payload: unknown; metadata: unknown }[]>(
      `SELECT payload, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [placementId],
    );
    expect(stored).toEqual([{ payload: opened('a#1').data, metadata: { cause: tick } }]);
    // A stream behind the caller's version is not a catch-up: that is an error.
    await expect(
      appendPackageEvents(store, { placementId, expectedVersion: 5, events: [opened('b#1')] }),
    ).rejects.toBeInstanceOf(StreamVersionConflictError);
  });
});
