import { RequestAllowance } from '../../apps/api/common/fixed-window.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * The request rate limit leased from PostgreSQL (RequestAllowance): two instances stand for two API
 * processes on one database. The limit holds exactly across them, with far fewer writes than requests.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const windowRow = async (key: string) =>
  (
    await db.dataSource.query<{ count: number }[]>(`SELECT count FROM rate_limit_windows WHERE key = $1`, [
      key,
    ])
  )[0];

it('lets through exactly the limit across two processes, leasing shares instead of one write a request', async () => {
  const a = new RequestAllowance(db.dataSource);
  const b = new RequestAllowance(db.dataSource);
  const limit = 600;
  const outcomes: boolean[] = [];
  // Alternating between the processes, as a client behind a load balancer does.
  for (let i = 0; i < 700; i++) outcomes.push((await (i % 2 ? b : a).admit('k:alternating', limit)).allowed);
  expect(outcomes.filter(Boolean)).toHaveLength(limit);
  // Refused only at the end: a process's unused share is used up before the other is refused.
  expect(outcomes.slice(0, limit).every(Boolean)).toBe(true);
  expect((await windowRow('k:alternating'))?.count).toBe(limit);
  const leases = a.leasesTaken + b.leasesTaken;
  expect(leases).toBeLessThan(100);
  // Once used up, refused from memory: no more leases, Retry-After within the minute.
  const refused = await a.admit('k:alternating', limit);
  expect(refused.allowed).toBe(false);
  expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(a.leasesTaken + b.leasesTaken).toBe(leases);
});

it('holds the limit for concurrent requests of one key in both processes', async () => {
  const a = new RequestAllowance(db.dataSource);
  const b = new RequestAllowance(db.dataSource);
  const limit = 250;
  const answers = await Promise.all(
    Array.from({ length: 400 }, (_, i) => (i % 2 ? b : a).admit('k:concurrent', limit)),
  );
  // All of the limit is leased; a process may still hold a few tokens when the other is refused.
  expect((await windowRow('k:concurrent'))?.count).toBe(limit);
  const admitted = answers.filter((x) => x.allowed).length;
  expect(admitted).toBeLessThanOrEqual(limit);
  expect(admitted).toBeGreaterThanOrEqual(limit - RequestAllowance.MAX_LEASE);
  // Those are let through later, and not one more.
  let later = 0;
  for (let i = 0; i < 2 * RequestAllowance.MAX_LEASE; i++)
    if ((await (i % 2 ? b : a).admit('k:concurrent', limit)).allowed) later++;
  expect(admitted + later).toBe(limit);
});

it('leases one at a time near a small limit, and keys do not share', async () => {
  const a = new RequestAllowance(db.dataSource);
  const b = new RequestAllowance(db.dataSource);
  const seen: boolean[] = [];
  for (let i = 0; i < 9; i++) seen.push((await (i % 2 ? b : a).admit('k:small', 6)).allowed);
  expect(seen).toEqual([true, true, true, true, true, true, false, false, false]);
  expect(a.leasesTaken + b.leasesTaken).toBe(8); // six granted one by one, then each learns it is used up
  expect((await a.admit('k:other', 6)).allowed).toBe(true);
});

it('starts a new window once the old one has ended', async () => {
  const a = new RequestAllowance(db.dataSource);
  expect((await a.admit('k:ended', 1)).allowed).toBe(true);
  expect((await a.admit('k:ended', 1)).allowed).toBe(false);
  // The window began over a minute ago (as the database's clock sees it), in this process too.
  await db.dataSource.query(
    `UPDATE rate_limit_windows SET window_start = now() - interval '61 seconds' WHERE key = 'k:ended'`,
  );
  const fresh = new RequestAllowance(db.dataSource);
  expect((await fresh.admit('k:ended', 1)).allowed).toBe(true);
  expect((await windowRow('k:ended'))?.count).toBe(1);
});
