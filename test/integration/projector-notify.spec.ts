import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EventStore } from '../../libs/event-store/index.js';
import { append, registered } from '../../libs/fixtures/package-events.js';
import {
  EVENTS_AFTER_CHECKPOINT_SQL,
  startProjector,
  type ProjectorHandle,
} from '../../libs/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionQueries } from '../support/projections.js';

/*
 * The projector woken on commit (LISTEN/NOTIFY on events_appended, sent by a trigger on `events`),
 * against real PostgreSQL. Its polling intervals are set far beyond the test's timeout, so that an event
 * projected in time can only have been noticed through the notification; and when the listening
 * connection is killed, the projector polls (at its short fallback interval) until it listens again.
 */

const NEVER = 10 * 60_000;

describe('projector: woken by a committed append (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  let admin: pg.Client;
  const { placement, projectAll } = projectionQueries(() => db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await projectAll();
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  /** Registers a new placement; resolves with its id once the projector has put it in `placements`. */
  async function registerAndAwaitProjection(timeoutMs: number): Promise<string | undefined> {
    const id = randomUUID();
    await append(store, id, [registered(id, '2026-08-01')]);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await placement(id)) return id;
      await sleep(20);
    }
    return undefined;
  }

  /** Events of one listening state: resolves when the projector reports `listening`. */
  function listeningStates() {
    const waiters: { value: boolean; resolve: () => void }[] = [];
    let current = false;
    return {
      onListening: (value: boolean) => {
        current = value;
        for (const w of waiters.filter((w) => w.value === value)) w.resolve();
      },
      is: () => current,
      until: async (value: boolean, timeoutMs: number) => {
        if (current === value) return;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            new Promise<void>((resolve) => waiters.push({ value, resolve })),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(
                    new Error(`the projector was not ${value ? '' : 'un'}listening within ${timeoutMs} ms`),
                  ),
                timeoutMs,
              );
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  it('projects a committed event without waiting for a poll', async () => {
    const states = listeningStates();
    const projector = startProjector(db.dataSource, {
      intervalMs: NEVER,
      listen: { connectionString: db.url, intervalMs: NEVER, onListening: states.onListening },
    });
    try {
      await states.until(true, 15_000);
      // Its first runs (on start and on LISTEN) are over once it is idle: give them a moment.
      await sleep(200);
      for (let i = 0; i < 3; i++) expect(await registerAndAwaitProjection(20_000)).toBeDefined();
    } finally {
      await projector.stop();
    }
    // Stopped: its listening connection is gone too (its backend exits right after the close).
    const listeners = async () =>
      (
        await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE application_name LIKE 'omsorgspakken projector listener%' AND datname = current_database()`,
        )
      ).rows[0].n;
    const deadline = Date.now() + 5_000;
    while ((await listeners()) > 0 && Date.now() < deadline) await sleep(50);
    expect(await listeners()).toBe(0);
  });

  it('polls while its listening connection is dropped, and listens again', async () => {
    const states = listeningStates();
    const errors: unknown[] = [];
    let projector: ProjectorHandle | undefined;
    try {
      projector = startProjector(db.dataSource, {
        intervalMs: 50, // the fallback, while not listening
        onError: (error) => errors.push(error),
        listen: {
          connectionString: db.url,
          intervalMs: NEVER,
          retryMs: 8_000,
          onListening: states.onListening,
        },
      });
      await states.until(true, 15_000);
      await sleep(200);

      const { rows: killed } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE application_name LIKE 'omsorgspakken projector listener%' AND datname = current_database()`,
      );
      expect(killed).toEqual([{ ok: true }]);
      await states.until(false, 15_000);

      // Not listening (it reconnects only after retryMs): the fallback polling projects this one.
      expect(await registerAndAwaitProjection(7_000)).toBeDefined();
      expect(states.is()).toBe(false);
      expect(errors.length).toBeGreaterThan(0); // the dropped connection was reported

      // Listening again: with the listening interval far away, only a notification projects this one.
      await states.until(true, 20_000);
      await sleep(200);
      expect(await registerAndAwaitProjection(20_000)).toBeDefined();
    } finally {
      await projector?.stop();
    }
  });

  it('asks whether events lie after its checkpoint by one step of the index, never a scan of `events`', async () => {
    const ask = async () =>
      (await admin.query<{ waiting: boolean }>(EVENTS_AFTER_CHECKPOINT_SQL, ['read-models'])).rows[0].waiting;
    await projectAll();
    expect(await ask()).toBe(false);
    const id = randomUUID();
    await append(store, id, [registered(id, '2026-08-01')]);
    expect(await ask()).toBe(true);
    await projectAll();
    expect(await ask()).toBe(false);
    // The question's cost does not grow with the store: with 20,000 events before a caught-up
    // checkpoint (in a transaction rolled back afterwards), it reads a handful of rows, not every event.
    await admin.query('BEGIN');
    try {
      await admin.query(
        `INSERT INTO events (stream_type, stream_id, stream_version, event_id, type, payload)
         SELECT 'plan-probe', gen_random_uuid(), 1, gen_random_uuid(), 'Probe', '{}'::jsonb
           FROM generate_series(1, 20000)`,
      );
      await admin.query(
        `INSERT INTO projection_checkpoints (name, tx_id, position)
         SELECT 'plan-probe', pg_current_xact_id(), max(global_position) FROM events`,
      );
      await admin.query('ANALYZE events');
      const { rows } = await admin.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${EVENTS_AFTER_CHECKPOINT_SQL}`,
        ['plan-probe'],
      );
      const nodes: { type: string; read: number }[] = [];
      const walk = (node: Record<string, unknown>) => {
        if (node['Relation Name'] === 'events')
          nodes.push({
            type: String(node['Node Type']),
            read: Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0),
          });
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      const [explained] = rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[];
      walk(explained.Plan);
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) {
        expect(node.type).not.toBe('Seq Scan');
        expect(node.read).toBeLessThan(10);
      }
    } finally {
      await admin.query('ROLLBACK');
    }
  });
});
