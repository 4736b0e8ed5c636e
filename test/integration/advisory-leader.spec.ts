import { electLeader, type Leadership } from '../../libs/database/advisory-leader.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/processes.js';

/*
 * One holder at a time (the projector's election, libs/database/advisory-leader.ts) on a real
 * PostgreSQL: the others wait; when the holder's lock connection is cut (as when its process dies, or
 * PostgreSQL ends the session) its work is stopped and another takes over within about `retryMs`.
 */
describe('electLeader', () => {
  let db: TestDatabase;
  const elections: Leadership[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(elections.map((e) => e.stop()));
    await db?.drop();
  });

  function candidate(name: string) {
    const state = { leading: false, runs: 0, aborted: 0 };
    const election = electLeader({
      connectionString: db.url,
      name: `test:${name}`,
      retryMs: 200,
      lead: async (signal) => {
        state.runs += 1;
        state.leading = true;
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        state.leading = false;
        state.aborted += 1;
      },
    });
    elections.push(election);
    return { election, state };
  }

  const holderBackend = async (name: string) =>
    (
      await db.dataSource.query<{ pid: number }[]>(
        `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE $1`,
        [`omsorgspakken leader test:${name} %`],
      )
    ).map((r) => r.pid);

  it('lets one of several lead, and another take over when the holder’s session ends', async () => {
    const a = candidate('takeover');
    const b = candidate('takeover');
    const c = candidate('takeover');
    const all = [a, b, c];
    await until('a leader', () => (all.some((x) => x.state.leading) ? true : undefined), 10_000, 20);
    await new Promise((r) => setTimeout(r, 600)); // several retry rounds: still one
    expect(all.filter((x) => x.state.leading)).toHaveLength(1);
    expect(all.filter((x) => x.election.isLeader())).toHaveLength(1);
    const first = all.find((x) => x.state.leading)!;
    const [backend] = await holderBackend('takeover');
    expect(backend).toBeDefined();

    // Cut the holder's lock connection, as a dead process's would be.
    await db.dataSource.query('SELECT pg_terminate_backend($1)', [backend]);
    const cutAt = Date.now();
    const next = await until(
      'another leader',
      () => all.find((x) => x !== first && x.state.leading),
      10_000,
      20,
    );
    expect(Date.now() - cutAt).toBeLessThan(3_000);
    // The old holder stopped its work; never two at once afterwards.
    await until('the old holder to stop leading', () => (first.state.leading ? undefined : true), 5_000, 20);
    expect(first.state.aborted).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(all.filter((x) => x.state.leading)).toEqual([next]);
    expect(await holderBackend('takeover')).toHaveLength(1);
  });

  it('releases the lock on stop, and the next one leads', async () => {
    const a = candidate('stop');
    await until('a to lead', () => (a.state.leading ? true : undefined), 10_000, 20);
    const b = candidate('stop');
    await new Promise((r) => setTimeout(r, 500));
    expect(b.state.leading).toBe(false);
    await a.election.stop();
    expect(a.state.leading).toBe(false);
    await until('b to lead', () => (b.state.leading ? true : undefined), 5_000, 20);
  });
});
