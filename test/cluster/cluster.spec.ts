import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { fold } from '../../libs/domain/package/state.js';
import { TEMPORAL_SERVICES, type RunningStack } from '../../libs/dev-servers/index.js';
import { caseworker, placementRequestBody, registration } from '../../libs/fixtures/placements.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';
import { PROJECTOR_HOLDER_SQL, startClusterStack } from '../support/cluster.js';
import * as crash from '../support/crash-checks.js';
import { processes, until } from '../support/processes.js';
import { stackApi } from '../support/stack-api.js';

/**
 * The production-shaped topology (`npm run start:cluster`): the Temporal server's frontend, history,
 * matching and worker services as processes of their own on PostgreSQL, two application workers, two
 * APIs. What a single process hides is tested here: both APIs serve the same system, the projector runs
 * in one worker at a time and moves to another within seconds when its process is killed, a Temporal
 * history process and a worker killed (SIGKILL) while commands are in flight lose and duplicate nothing,
 * and the rate limit holds across APIs.
 */
describe('the cluster topology', () => {
  let stack: RunningStack;
  let connection: Connection;
  let commands: PlacementCommands;
  let db: pg.Client;

  beforeAll(async () => {
    stack = await startClusterStack('cluster');
    connection = await Connection.connect({ address: stack.temporalAddress });
    commands = new PlacementCommands(new Client({ connection }), 'omsorgspakken');
    db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
  }, 300_000);
  afterAll(async () => {
    await db?.end();
    await connection?.close();
    await stack?.stop();
  });

  const argvOf = (pid: number) => processes().find((p) => p.pid === pid)?.argv ?? [];
  const kill9 = (pid: number) => process.kill(pid, 'SIGKILL');

  it('runs each Temporal service as a process of its own, on PostgreSQL, with two workers and two APIs', async () => {
    const services = stack.temporalServices();
    expect(services.map((s) => s.service).sort()).toEqual([...TEMPORAL_SERVICES].sort());
    for (const { service, pid } of services) {
      const argv = argvOf(pid);
      expect(argv[0]).toMatch(/temporal-server$/);
      expect(argv.slice(-2)).toEqual(['--service', service]);
    }
    expect(new Set(services.map((s) => s.pid)).size).toBe(4);
    const { rows } = await db.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'temporal%' ORDER BY datname`,
    );
    expect(rows.map((r) => r.datname)).toEqual(['temporal', 'temporal_visibility']);
    expect(stack.replicas('worker')).toHaveLength(2);
    expect(stack.apiUrls).toHaveLength(2);
    for (const url of stack.apiUrls) expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it('takes registrations through both APIs into the inbox, read the same through either', async () => {
    const today = osloDateOf(Date.now());
    const apis = stack.apiUrls.map((url) => stackApi(() => ({ apiUrl: url })));
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await apis[i % 2].post('demo-kontaktperson', '/api/placements', {
        ...placementRequestBody(addDays(today, -3 - i)),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { placementId: string }).placementId);
    }
    for (const id of ids) {
      const read = async (api: (typeof apis)[number]) => {
        const res = await api.get('demo-leder', `/api/tasks?placementId=${id}&limit=200`);
        expect(res.status).toBe(200);
        return ((await res.json()) as { items: { placementId: string; taskId: string }[] }).items;
      };
      const items = await until(`the inbox of ${id}`, async () => {
        const found = await read(apis[0]);
        return found.length > 0 ? found : undefined;
      });
      expect(items.every((t) => t.placementId === id)).toBe(true);
      expect((await read(apis[1])).map((t) => t.taskId)).toEqual(items.map((t) => t.taskId));
    }
  });

  it('runs the projector in one worker at a time and moves it to another within seconds of a kill -9', async () => {
    const holders = async () =>
      (await db.query<{ pid: number }>(PROJECTOR_HOLDER_SQL)).rows.map((r) => r.pid);
    const [holder] = await until('a projector lock holder', async () => {
      const found = await holders();
      return found.length > 0 ? found : undefined;
    });
    expect(await holders()).toEqual([holder]);
    const workerPids = stack.replicas('worker').map((w) => w.child.pid);
    expect(workerPids).toContain(holder);

    kill9(holder);
    const killedAt = Date.now();
    const next = await until(
      'another projector lock holder',
      async () => (await holders()).find((pid) => pid !== holder),
      10_000,
      50,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(next).not.toBe(holder);
    expect(takeoverMs).toBeLessThan(5_000);
    expect(await holders()).toEqual([next]);

    // The new holder projects: a registration made now reaches the read models.
    const reg = registration('frivillig', addDays(osloDateOf(Date.now()), -2));
    await commands.register(reg);
    await until(
      'the new registration in the read models',
      async () =>
        (await db.query('SELECT 1 FROM placements WHERE placement_id = $1', [reg.placementId])).rowCount
          ? true
          : undefined,
      30_000,
    );
    // The supervisor replaces the killed worker (a second later): the next test kills a live one.
    await until(
      'the killed projector holder replaced',
      () => (stack.replicas('worker').every((w) => w.child.pid !== holder) ? true : undefined),
      60_000,
    );
  });

  const eventsOf = (placementId: string) => crash.eventsOf(db, placementId);
  const settled = (placementId: string) => crash.settled(commands, db, placementId, 120_000);
  const untilAnswered = <T>(send: () => Promise<T>) => crash.untilAnswered(send, 90);

  it('loses and duplicates nothing when a Temporal history process and a worker are killed mid-flight', async () => {
    const today = osloDateOf(Date.now());
    const types = ['omsorgsovertakelse', 'frivillig', 'akutt', 'slekt-nettverk'] as const;
    // Placements that started months ago: a burst of timers is due at once, so the workflows are busy.
    const regs = Array.from({ length: 8 }, (_, i) =>
      registration(types[i % 4], addDays(today, -(60 + i * 20))),
    );
    await Promise.all(regs.map((r) => untilAnswered(() => commands.register(r))));

    const sent: { placementId: string; commandId: string; taskId: string; result: Promise<unknown> }[] = [];
    const send = (round: number) => {
      for (const reg of regs) {
        const cmd = {
          commandId: randomUUID(),
          actor: caseworker(),
          taskId: `veiledning#${round}`,
          outcome: 'gjennomfort' as const,
          completedOn: today,
        };
        sent.push({
          placementId: reg.placementId,
          commandId: cmd.commandId,
          taskId: cmd.taskId,
          result: untilAnswered(() => commands.send(reg.placementId, 'completeTask', cmd)),
        });
        // The same command again, as a client retry would send it.
        sent.push({
          placementId: reg.placementId,
          commandId: cmd.commandId,
          taskId: cmd.taskId,
          result: untilAnswered(() => commands.send(reg.placementId, 'completeTask', cmd)),
        });
      }
    };
    send(1);
    const history = stack.temporalServices().find((s) => s.service === 'history')!;
    const worker = stack.replicas('worker')[0];
    kill9(history.pid);
    kill9(worker.child.pid!);
    send(2);
    // The supervisor starts both again (a second later); meanwhile the other worker and the commands wait.
    await until(
      'a new history process',
      () => stack.temporalServices().find((s) => s.service === 'history' && s.pid !== history.pid),
      30_000,
    );
    send(3);
    const results = (await Promise.all(sent.map((c) => c.result))) as { applied: boolean }[];
    expect(results.every((r) => r.applied)).toBe(true);
    // The supervisor replaced the killed worker too.
    await until(
      'the killed worker replaced',
      () => (stack.replicas('worker').every((w) => w.child.pid !== worker.child.pid) ? true : undefined),
      60_000,
    );

    for (const reg of regs) {
      const state = await settled(reg.placementId);
      const stored = await eventsOf(reg.placementId);
      expect(stored.map((s) => s.version)).toEqual(stored.map((_, i) => i + 1));
      // The workflow's state is exactly the fold of what PostgreSQL holds: nothing lost, nothing extra.
      expect(fold(stored.map((s) => s.event))).toEqual(state);
      expect(stored.filter((s) => s.event.type === 'PlacementRegistered')).toHaveLength(1);
      const transitions = crash.timerTransitions(stored);
      expect(new Set(transitions).size).toBe(transitions.length);
      // Each command took effect once, however often it was sent and whatever died meanwhile.
      for (const round of [1, 2, 3]) {
        const done = stored.filter(
          (s) =>
            s.event.type === 'TaskCompleted' &&
            (s.event.data as { taskId: string }).taskId === `veiledning#${round}`,
        );
        expect(`${reg.placementId} round ${round}: ${done.length}`).toBe(
          `${reg.placementId} round ${round}: 1`,
        );
      }
    }
    // The read models caught up with every workflow.
    for (const reg of regs) {
      const state = await settled(reg.placementId);
      await until(
        `the read models of ${reg.placementId}`,
        async () =>
          (
            await db.query<{ version: number }>('SELECT version FROM placements WHERE placement_id = $1', [
              reg.placementId,
            ])
          ).rows[0]?.version === state.version
            ? true
            : undefined,
        30_000,
      );
    }
  }, 600_000);

  it('holds a client to one rate limit across two API processes', async () => {
    // Two more APIs with a small limit, on the same database: the limit is per user and per minute,
    // counted wherever the request lands. (Tokens come from the stack's own APIs.)
    const LIMIT = 6;
    const limited = await Promise.all(
      [0, 1].map(async () => {
        const { freePort } = await import('../../libs/dev-servers/index.js');
        const port = await freePort();
        const app = await stack.startApp('api', { API_PORT: String(port), API_RATE_LIMIT: String(LIMIT) });
        return { app, url: `http://127.0.0.1:${port}` };
      }),
    );
    try {
      const token = (await stackApi(() => stack).as('demo-tilsynsforer')).authorization;
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT + 4; i++) {
        const res = await fetch(`${limited[i % 2].url}/api/me`, { headers: { authorization: token } });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), ...Array<number>(4).fill(429)]);
      // Another user is not held back by it, on either API.
      const other = (await stackApi(() => stack).as('demo-fosterhjemsressurs')).authorization;
      for (const { url } of limited)
        expect((await fetch(`${url}/api/me`, { headers: { authorization: other } })).status).toBe(200);
    } finally {
      await Promise.all(limited.map(({ app }) => stack.stopApp(app)));
    }
  });
});
