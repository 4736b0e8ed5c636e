import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore } from '../../libs/event-store/index.js';
import {
  projectionLag,
  readModelChecksum,
  rebuild,
  runOnce,
  startProjector,
  type RunOptions,
} from '../../libs/projections/index.js';
import {
  append,
  dueSoon,
  opened,
  planned,
  registered,
  row,
  stream,
  task,
} from '../../libs/fixtures/package-events.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionQueries, seedHistories } from '../support/projections.js';

/*
 * The projector's guarantees against real PostgreSQL: it never skips an event (transactions that commit
 * out of order, transaction ids that gain a digit, a stream's versions out of order), applies each once
 * (concurrent projectors, a lost checkpoint), writes nothing when it fails before its checkpoint, and
 * its polling loop. The database holds histories of every event type first (seedHistories).
 */

describe('projections: delivery guarantees (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const { q, projectAll, inbox, placement, checkpoint } = projectionQueries(() => db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    await seedHistories(store, projectAll);
  });
  afterAll(() => db.drop());

  describe('delivery guarantees', () => {
    it('waits for a slower transaction that took an earlier position: no event is skipped (commit-order gap)', async () => {
      await projectAll();
      const before = await checkpoint();
      const slow = randomUUID();
      const fast = randomUUID();

      // A inserts first (earlier global_position, earlier tx id) and stays open.
      const a = db.dataSource.createQueryRunner();
      await a.connect();
      await a.startTransaction();
      try {
        await store.append(stream(slow), 0, [row(registered(slow, '2026-05-01'))], a.manager);
        const [{ xid: aXid }] = await a.manager.query<{ xid: string }[]>(
          `SELECT pg_current_xact_id()::text AS xid`,
        );

        // B inserts later and commits first.
        await append(store, fast, [registered(fast, '2026-05-02')]);
        const [{ xid: bXid }] = await q<{ xid: string }>(
          `SELECT tx_id::text AS xid FROM events WHERE stream_id = $1`,
          [fast],
        );
        expect(BigInt(aXid)).toBeLessThan(BigInt(bXid));

        // While A is open, B is committed and visible, yet the projector must not move past A.
        const during = await runOnce(db.dataSource);
        expect(during.events).toBe(0);
        expect(await checkpoint()).toEqual(before);
        expect(await placement(fast)).toBeUndefined();
        expect((await projectionLag(db.dataSource)).pendingEvents).toBe(1);

        await a.commitTransaction();
      } finally {
        if (a.isTransactionActive) await a.rollbackTransaction();
        await a.release();
      }

      await projectAll();
      expect(await placement(slow)).toMatchObject({ status: 'active', version: 1 });
      expect(await placement(fast)).toMatchObject({ status: 'active', version: 1 });
    });

    it('reads in transaction-id order where the id gains a digit (…9 → 10…), skipping nothing', async () => {
      // As text, '10000' sorts before '9999' (and '1500'): a batch ordered that way would take the later
      // transaction first and move the checkpoint past the earlier one's events.
      await projectAll();
      const before = randomUUID();
      const after = randomUUID();
      await append(store, before, [registered(before, '2026-04-01')]);
      const [{ xid }] = await q<{ xid: string }>(
        `SELECT tx_id::text AS xid FROM events WHERE stream_id = $1`,
        [before],
      );
      // Use up transaction ids (one per subtransaction that writes) until they have one digit more.
      const next = 10n ** BigInt(xid.length);
      await q(`CREATE UNLOGGED TABLE IF NOT EXISTS xid_burner (n int)`);
      for (;;) {
        const [{ now }] = await q<{ now: string }>(`SELECT pg_current_xact_id()::text AS now`);
        if (BigInt(now) >= next) break;
        await q(
          `DO $$ BEGIN FOR i IN 1..${Math.min(Number(next - BigInt(now)), 20_000)} LOOP
             BEGIN INSERT INTO xid_burner VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END;
           END LOOP; END $$`,
        );
      }
      await append(store, after, [registered(after, '2026-04-02')]);
      const xids = await q<{ xid: string }>(
        `SELECT tx_id::text AS xid FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY tx_id`,
        [[before, after]],
      );
      expect(xids.map((r) => r.xid.length)).toEqual([xid.length, xid.length + 1]);

      await projectAll({ batchSize: 1 });
      expect(await placement(before)).toMatchObject({ version: 1 });
      expect(await placement(after)).toMatchObject({ version: 1 });
    });

    it('folds a stream version that sorts after a later one of the same stream, once', async () => {
      // X takes a transaction id first, Y registers the placement (v1) and commits, then X appends v2:
      // in (tx_id, global_position) order v2 comes before v1.
      const id = randomUUID();
      const x = db.dataSource.createQueryRunner();
      await x.connect();
      await x.startTransaction();
      try {
        await x.query(`SELECT pg_current_xact_id()`);
        await append(store, id, [registered(id, '2026-03-01')]);
        await store.append(stream(id), 1, [row(planned([task('samtale#1', '2026-03-20')]))], x.manager);
        await x.commitTransaction();
      } finally {
        if (x.isTransactionActive) await x.rollbackTransaction();
        await x.release();
      }
      const order = await q<{ stream_version: number }>(
        `SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY tx_id, global_position`,
        [id],
      );
      expect(order.map((r) => r.stream_version)).toEqual([2, 1]);

      await projectAll({ batchSize: 1 });
      expect(await placement(id)).toMatchObject({ version: 2 });
      expect((await inbox(id)).map((t) => t.task_id)).toEqual(['samtale#1']);
      expect(
        await q(`SELECT stream_version FROM placement_timeline WHERE placement_id = $1 ORDER BY 1`, [id]),
      ).toEqual([{ stream_version: 1 }, { stream_version: 2 }]);
    });

    it('applies each event once when projectors run concurrently', async () => {
      await projectAll();
      const ids = Array.from({ length: 6 }, () => randomUUID());
      await Promise.all(
        ids.map((id, i) =>
          append(store, id, [
            registered(id, `2026-0${(i % 9) + 1}-10`),
            planned([
              task('samtale#1', '2026-10-01'),
              task('oppfolging#1', '2026-11-01', 'oppfolgingsbesok'),
            ]),
            opened('samtale#1'),
            dueSoon('samtale#1'),
          ]),
        ),
      );
      // Four projectors at once, small batches, until all are done: every event is read exactly once.
      let read = 0;
      const worker = async () => {
        for (let idle = 0; idle < 3;) {
          const result = await runOnce(db.dataSource, { batchSize: 3 });
          read += result.events;
          if (result.events === 0) {
            idle += 1;
            await sleep(10);
          }
        }
      };
      const deadline = Date.now() + 15_000;
      while ((await projectionLag(db.dataSource)).pendingEvents > 0 && Date.now() < deadline) {
        await Promise.all([worker(), worker(), worker(), worker()]);
      }
      expect(read).toBe(ids.length * 4);
      const timeline = await q<{ n: number; versions: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT (placement_id, stream_version))::int AS versions
           FROM placement_timeline WHERE placement_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(timeline).toEqual([{ n: 24, versions: 24 }]);
      const placements = await q<{ version: number }>(
        `SELECT version FROM placements WHERE placement_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(placements.map((p) => p.version)).toEqual([4, 4, 4, 4, 4, 4]);
      const statuses = await q<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM task_inbox WHERE placement_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
        [ids],
      );
      expect(statuses).toEqual([
        { status: 'due-soon', n: 6 },
        { status: 'planned', n: 6 },
      ]);
    });

    it('changes nothing when events already applied come again (checkpoint lost)', async () => {
      await projectAll();
      const before = await readModelChecksum(db.dataSource);
      await q(`UPDATE projection_checkpoints SET tx_id = '0', position = 0`);
      let applied = 0;
      for (;;) {
        const result = await runOnce(db.dataSource, { batchSize: 10 });
        applied += result.applied;
        if (result.caughtUp) break;
      }
      expect(applied).toBe(0);
      expect(await readModelChecksum(db.dataSource)).toBe(before);
    });

    it('persists nothing when it fails between applying and moving the checkpoint, and recovers cleanly', async () => {
      await projectAll();
      const before = await readModelChecksum(db.dataSource);
      const cp = await checkpoint();
      const id = randomUUID();
      await append(store, id, [
        registered(id, '2026-04-01'),
        planned([task('samtale#1', '2026-04-20')]),
        opened('samtale#1'),
      ]);

      let applied = 0;
      const crash: RunOptions['beforeCheckpoint'] = async (batch, m) => {
        // The rows are written inside the transaction at this point…
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM placement_timeline WHERE placement_id = $1`,
          [id],
        );
        applied = n;
        expect(batch.placements).toContain(id);
        throw new Error('simulated crash before the checkpoint');
      };
      await expect(runOnce(db.dataSource, { beforeCheckpoint: crash })).rejects.toThrow(/simulated crash/);
      expect(applied).toBe(3);
      // …and none of them survived.
      expect(await readModelChecksum(db.dataSource)).toBe(before);
      expect(await checkpoint()).toEqual(cp);

      await projectAll();
      expect(await placement(id)).toMatchObject({ version: 3 });
      expect(
        await q(`SELECT count(*)::int AS n FROM placement_timeline WHERE placement_id = $1`, [id]),
      ).toEqual([{ n: 3 }]);
      const live = await readModelChecksum(db.dataSource);
      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(live);
    });
  });

  describe('polling loop', () => {
    it('applies new events as they arrive, reports its lag and stops cleanly', async () => {
      const projector = startProjector(db.dataSource, { intervalMs: 20 });
      try {
        const id = randomUUID();
        await append(store, id, [registered(id, '2026-08-01')]);
        projector.wake();
        const deadline = Date.now() + 15_000;
        while (!(await placement(id)) && Date.now() < deadline) await sleep(20);
        expect(await placement(id)).toMatchObject({ status: 'active' });
        const lag = await projectionLag(db.dataSource);
        expect(lag.checkpoint).not.toBeNull();
        expect(lag.lastAppliedRecordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(lag.lastAppliedAgeMs).toBeGreaterThanOrEqual(0);
      } finally {
        await projector.stop();
      }
      const after = await checkpoint();
      const id = randomUUID();
      await append(store, id, [registered(id, '2026-08-02')]);
      await sleep(100);
      expect(await checkpoint()).toEqual(after); // stopped: nothing moves
      expect((await projectionLag(db.dataSource)).pendingEvents).toBe(1);
    });
  });
});
