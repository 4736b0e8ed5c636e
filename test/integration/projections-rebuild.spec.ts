import { spawnSync } from 'node:child_process';
import { EventStore } from '../../libs/event-store/index.js';
import { readModelChecksum, readModelDigests, rebuild } from '../../libs/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionQueries, seedHistories } from '../support/projections.js';

/*
 * The rebuild (truncate + replay) against real PostgreSQL, over histories of every event type projected
 * live in small batches first (seedHistories): it reproduces the live read models exactly.
 */

describe('projections: rebuild (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const { q, projectAll } = projectionQueries(() => db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    await seedHistories(store, projectAll);
  });
  afterAll(() => db.drop());

  describe('rebuild', () => {
    it('truncates and replays to exactly the live read models, whatever the batch size', async () => {
      await projectAll();
      const live = await readModelDigests(db.dataSource);
      const liveChecksum = await readModelChecksum(db.dataSource);
      expect(live.placements.rows).toBeGreaterThan(10);
      expect(live.task_inbox.rows).toBeGreaterThan(20);
      // The ledger's history too, closed versions (a year a moved placement date removed) included.
      expect(live.statutory_ledger_versions.rows).toBeGreaterThan(
        (await q<{ n: number }>(`SELECT count(*)::int AS n FROM statutory_ledger`))[0].n,
      );

      const result = await rebuild(db.dataSource, { batchSize: 7 });
      expect(result.events).toBe(Number((await q<{ n: string }>(`SELECT count(*) AS n FROM events`))[0].n));
      expect(await readModelDigests(db.dataSource)).toEqual(live);
      expect(await readModelChecksum(db.dataSource)).toBe(liveChecksum);

      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(liveChecksum);
    });

    it('notices a read model that differs from the events', async () => {
      const live = await readModelChecksum(db.dataSource);
      await q(`UPDATE task_inbox SET status = 'completed' WHERE status = 'due-soon'`);
      expect(await readModelChecksum(db.dataSource)).not.toBe(live);
      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(live);
    });

    it('runs as a command: npm run projections:rebuild', () => {
      const cli = new URL('../../dist/apps/projections-rebuild/main.js', import.meta.url).pathname;
      const result = spawnSync(process.execPath, [cli], {
        env: { PATH: process.env.PATH, DATABASE_URL: db.url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as { events: number; unchanged: boolean };
      expect(report.events).toBeGreaterThan(40);
      expect(report.unchanged).toBe(true);
    });
  });
});
