import { randomUUID } from 'node:crypto';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import {
  collectNotifications,
  collectOnce,
  NOTIFICATIONS_CONSUMER,
  recordPerson,
} from '../../libs/notifications/index.js';
import { DEMO_SERVICES, DEMO_USERS, demoPrincipal } from '../../libs/security/index.js';
import { seedPlacement, type FixturePlacement } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * The notification outbox reads the event store as the projector does (consumeBatch in
 * libs/projections/checkpointed-batch.ts), with its own checkpoint. Like the projector's test in
 * projections.spec.ts, this one makes the transaction id gain a digit (…9 → 10…) between two events
 * and reads them one per batch: ordered as text ('10000' < '9999'), the later transaction would come
 * first, the checkpoint would move past the earlier one's event and its notification would never be
 * written.
 */
describe('notification outbox across a transaction-id boundary (real PostgreSQL)', () => {
  let db: TestDatabase;
  const q = <T>(sql: string, params: unknown[] = []) => db.dataSource.query<T[]>(sql, params);
  const at = () => new Date().toISOString();
  const append = (p: FixturePlacement, events: PackageEvent[]) =>
    new EventStore(db.dataSource).append(
      { streamType: 'placement', streamId: p.placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
  /** Opens the placement's task and sends its reminder: one due-soon notification for the assignee. */
  const remind = (p: FixturePlacement) =>
    append(p, [
      { type: 'TaskOpened', data: { taskId: 'samtale#1', at: at() } },
      { type: 'TaskDueSoon', data: { taskId: 'samtale#1', at: at() } },
    ]);
  /** The transaction id of the placement's last append. */
  const lastXid = async (p: FixturePlacement) => {
    const [row] = await q<{ xid: string }>(
      `SELECT tx_id::text AS xid FROM events WHERE stream_id = $1 ORDER BY tx_id DESC LIMIT 1`,
      [p.placementId],
    );
    return row?.xid ?? '';
  };
  const notified = (p: FixturePlacement) =>
    q<{ kind: string; recipient_id: string }>(
      `SELECT kind, recipient_id FROM notifications WHERE placement_id = $1`,
      [p.placementId],
    );
  const seed = () =>
    seedPlacement(db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [
        { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-03', assigneeId: 'demo-kontaktperson' },
      ],
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    // The people the outbox may notify, as the API records the demo users.
    for (const user of DEMO_USERS) await recordPerson(db.dataSource, demoPrincipal(user));
  });
  afterAll(() => db?.drop());

  it('writes the notifications of both sides of …9 → 10…, reading one event per batch', async () => {
    const before = await seed();
    const after = await seed();
    await collectNotifications(db.dataSource);

    await remind(before);
    const beforeXid = await lastXid(before);
    // Use up transaction ids (one per subtransaction that writes) until they have one digit more.
    const next = 10n ** BigInt(beforeXid.length);
    await q(`CREATE UNLOGGED TABLE IF NOT EXISTS xid_burner (n int)`);
    for (;;) {
      const [{ now } = { now: '0' }] = await q<{ now: string }>(`SELECT pg_current_xact_id()::text AS now`);
      if (BigInt(now) >= next) break;
      await q(
        `DO $$ BEGIN FOR i IN 1..${Math.min(Number(next - BigInt(now)), 20_000)} LOOP
           BEGIN INSERT INTO xid_burner VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END;
         END LOOP; END $$`,
      );
    }
    await remind(after);
    // The reminders' transactions straddle the boundary: the later id has one digit more and, as text,
    // sorts first.
    const afterXid = await lastXid(after);
    expect(afterXid.length).toBe(beforeXid.length + 1);
    expect(afterXid < beforeXid).toBe(true);

    // One event per batch: four events (two per reminder), each read once, in transaction-id order.
    let events = 0;
    for (;;) {
      const batch = await collectOnce(db.dataSource, { batchSize: 1 });
      events += batch.events;
      if (batch.caughtUp) break;
    }
    expect(events).toBe(4);
    expect(await notified(before)).toEqual([{ kind: 'due-soon', recipient_id: 'demo-kontaktperson' }]);
    expect(await notified(after)).toEqual([{ kind: 'due-soon', recipient_id: 'demo-kontaktperson' }]);
    const [checkpoint] = await q<{ tx_id: string }>(
      `SELECT tx_id::text AS tx_id FROM projection_checkpoints WHERE name = $1`,
      [NOTIFICATIONS_CONSUMER],
    );
    expect(checkpoint?.tx_id).toBe(afterXid);

    // Nothing is left behind the checkpoint, and a second pass adds nothing.
    const [{ pending } = { pending: -1 }] = await q<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM events e, projection_checkpoints c
        WHERE c.name = $1 AND (e.tx_id, e.global_position) > (c.tx_id, c.position)`,
      [NOTIFICATIONS_CONSUMER],
    );
    expect(pending).toBe(0);
    expect(await collectNotifications(db.dataSource)).toEqual({ events: 0, notifications: 0 });
  });
});
