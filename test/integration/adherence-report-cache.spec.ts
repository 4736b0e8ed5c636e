import { randomUUID } from 'node:crypto';
import { ReportCache, type ReportBasis } from '../../apps/api/adherence/report-cache.js';
import { Publications } from '../../apps/api/adherence/publications.js';
import { projectAll } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Regions' ids: Trøndelag's (migration 1765440000000) and Finnmark's (data/regions/finnmark.json). */
const TRONDELAG = '5f7db4d7-d156-529b-9270-a0145c3d2414';
const FINNMARK = '3318d70e-859f-5781-876a-8ac6c61f08f5';

/*
 * The report cache against a real PostgreSQL: a report as recorded at an instant is stored for every
 * process only once nothing can change it any more (every event recorded by then folded, and the
 * instant older than any transaction still running could be); concurrent requests share one computation.
 */
describe('report cache and publications (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await projectAll(db);
  });
  afterAll(() => db?.drop());

  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);
  /** A compute function that counts its calls and answers with the call's number. */
  const counter = () => {
    let calls = 0;
    const compute = () => Promise.resolve({ call: ++calls });
    return { compute, calls: () => calls };
  };
  const stored = async () =>
    (
      await db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM adherence_published_reports`)
    )[0]?.n;

  it('stores a final report once, for every process; one still open to change stays in the process', async () => {
    const at = minutesAgo(10);
    const basis: ReportBasis = { kind: 'recorded', at, store: true };
    const first = counter();
    expect(await new ReportCache(db.dataSource).get(['r', 1], first.compute, basis)).toEqual({ call: 1 });
    expect(await stored()).toBe(1);
    // Another API process (a new cache) finds it stored and computes nothing.
    const second = counter();
    expect(await new ReportCache(db.dataSource).get(['r', 1], second.compute, basis)).toEqual({ call: 1 });
    expect(second.calls()).toBe(0);

    // An instant within the margin of a running transaction: computed, never stored.
    const recent: ReportBasis = { kind: 'recorded', at: new Date(), store: true };
    const open = counter();
    await new ReportCache(db.dataSource).get(['r', 2], open.compute, recent);
    await new ReportCache(db.dataSource).get(['r', 2], open.compute, recent);
    expect(open.calls()).toBe(2);
    expect(await stored()).toBe(1);
  });

  it('waits for the projector to fold every event recorded by the instant before storing', async () => {
    const at = minutesAgo(10);
    // An event recorded 20 minutes ago, committed only now, not yet projected.
    await db.dataSource.query(
      `INSERT INTO events (stream_type, stream_id, stream_version, event_id, type, payload, recorded_at)
       VALUES ('test', $1, 1, $2, 'Late', '{}', now() - interval '20 minutes')`,
      [randomUUID(), randomUUID()],
    );
    const basis: ReportBasis = { kind: 'recorded', at, store: true };
    const before = counter();
    await new ReportCache(db.dataSource).get(['r', 3], before.compute, basis);
    expect(await stored()).toBe(1);
    await projectAll(db);
    const after = counter();
    await new ReportCache(db.dataSource).get(['r', 3], after.compute, basis);
    expect(await stored()).toBe(2);
    const third = counter();
    await new ReportCache(db.dataSource).get(['r', 3], third.compute, basis);
    expect(third.calls()).toBe(0);
  });

  it('computes a report once for requests that ask for it at the same time', async () => {
    const cache = new ReportCache(db.dataSource);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      calls += 1;
      await gate;
      return { calls };
    };
    const asked = Array.from({ length: 5 }, () => cache.get(['r', 4], compute, { kind: 'projector' }));
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await Promise.all(asked)).toEqual(Array.from({ length: 5 }, () => ({ calls: 1 })));
    expect(calls).toBe(1);
  });

  it('publishes a period once per region: every later request, in any process, gets the same instant', async () => {
    const a = new Publications(db.dataSource);
    const b = new Publications(db.dataSource);
    expect(await a.published(TRONDELAG, 'report', '2026-Q3')).toBeUndefined();
    const instants = await Promise.all([
      a.instant(TRONDELAG, 'report', '2026-Q3'),
      b.instant(TRONDELAG, 'report', '2026-Q3'),
    ]);
    expect(instants[0]?.getTime()).toBe(instants[1]?.getTime());
    expect((await b.published(TRONDELAG, 'report', '2026-Q3'))?.getTime()).toBe(instants[0]?.getTime());
    // Another kind of report has its own publication.
    expect(await a.published(TRONDELAG, 'cohort', '2026-Q3')).toBeUndefined();
    // So has another region: Trøndelag's lead froze nothing of Finnmark's quarter.
    expect(await a.published(FINNMARK, 'report', '2026-Q3')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    const finnmark = await b.instant(FINNMARK, 'report', '2026-Q3');
    expect(finnmark.getTime()).toBeGreaterThan(instants[0]?.getTime() ?? Infinity);
    expect((await a.published(TRONDELAG, 'report', '2026-Q3'))?.getTime()).toBe(instants[0]?.getTime());
  });
});
