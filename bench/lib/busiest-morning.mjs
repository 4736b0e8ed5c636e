// The busiest morning and the year ahead, in virtual time on the Temporal time-skipping test server,
// with the real workflow code (dist/) and the real activities on the benchmark's PostgreSQL, whose
// read models the stack's own projector keeps (so their lag is the production projector's).
//
// How: M placements, their placement dates spread over the past year, are registered with a worker
// running in the benchmark process. Then the server's clock is moved three days on (a long weekend)
// and the figure is the wall time until every placement has acted on everything due on the server's
// clock (the events in PostgreSQL, folded as the workflow folds them, say so), with the read models'
// lag sampled meanwhile. Then the same across a whole year.
//
// The worker keeps running while the clock moves: the time-skipping server does not move its clock
// while a workflow task is outstanding, so with the worker stopped the clock would stop at the first
// timer. It fires the timers of one instant together and moves on when they have been worked off: the
// wall time is the worker's work for every timer of the three days, done in bursts per instant (many
// of the package's timers share the instant of their day), not one burst of all three days.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { benchRegistrations } from './placements.mjs';
import { runPool, sleep, summary } from './stats.mjs';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;
const DAY_MS = 86_400_000;

/**
 * Runs the phases (`phases`: [{ name, days }]) for `placements` placements; returns per phase the
 * drain's wall time, how many placements had something due, the events appended and the lag samples.
 */
export async function measureBacklogs({
  dataSource,
  projectionLag,
  placements,
  concurrency,
  phases,
  drainDeadlineMs,
  cacheSize,
  log,
}) {
  const { startTimeSkippingServer } = await import(dist('libs/dev-servers/temporal.js'));
  const { createActivities } = await import(dist('activities/index.js'));
  const { EventStore } = await import(dist('libs/event-store/index.js'));
  const { PlacementCommands } = await import(dist('libs/temporal/placement-commands.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { decideTick, nextWakeUp } = await import(dist('libs/domain/package/decide.js'));
  const { evolve } = await import(dist('libs/domain/package/state.js'));
  const { registration } = await benchRegistrations();

  const env = await startTimeSkippingServer();
  const taskQueue = `bench-backlog-${randomUUID()}`;
  const activities = createActivities({ eventStore: new EventStore(dataSource) });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(dist('workflows/index.js')),
    activities,
    // As the application's worker: a workflow not in the cache replays its history first.
    maxCachedWorkflows: cacheSize,
  });
  const running = worker.run();

  // The placements' states, folded from their events in PostgreSQL (as the workflow folds them).
  const states = new Map();
  const refold = async (ids) => {
    const versions = ids.map((id) => states.get(id)?.version ?? 0);
    const rows = await dataSource.query(
      `SELECT e.stream_id::text AS id, e.type, e.payload
         FROM unnest($1::uuid[], $2::int[]) AS w(id, after)
         JOIN events e ON e.stream_id = w.id AND e.stream_version > w.after
        ORDER BY e.stream_id, e.stream_version`,
      [ids, versions],
    );
    for (const row of rows)
      states.set(row.id, evolve(states.get(row.id), { type: row.type, data: row.payload }));
    return rows.length;
  };
  const dueAt = (id, nowIso) => {
    const state = states.get(id);
    return state !== undefined && decideTick(state, nowIso).length > 0;
  };

  try {
    const commands = new PlacementCommands(env.client, taskQueue);
    const today = osloDateOf(await env.currentTimeMs());
    const regs = Array.from({ length: placements }, (_, i) =>
      registration(i, addDays(today, -((i * 37) % 330))),
    );
    let t = performance.now();
    await runPool(regs, concurrency, (reg) => commands.register(reg));
    const ids = regs.map((r) => r.placementId);
    await refold(ids);
    log(
      `backlog: ${placements} placements registered on the time-skipping server in ${Math.round(performance.now() - t)} ms`,
    );

    const results = [];
    for (const phase of phases) {
      await refold(ids);
      const startMs = await env.currentTimeMs();
      const endIso = new Date(startMs + phase.days * DAY_MS).toISOString();
      // Every placement with something due before the end of the phase, by the stored events.
      const due = ids.filter((id) => {
        const state = states.get(id);
        const next = state && nextWakeUp(state);
        return next !== undefined && next <= endIso;
      });
      const [before] = await dataSource.query(`SELECT count(*)::int AS n FROM events`);
      log(
        `backlog ${phase.name}: moving the clock ${phase.days} days on; ${due.length} placements have timers due`,
      );
      t = performance.now();
      const lagsDuringSkip = [];
      let skipping = true;
      // Progress every 5 s: the server's clock and the events appended so far, so that a slow phase
      // shows whether the clock is stuck at one instant or moving slowly through many.
      const progress = [];
      const sampling = (async () => {
        let lastLog = performance.now();
        while (skipping) {
          lagsDuringSkip.push(await projectionLag(dataSource));
          if (performance.now() - lastLog >= 5_000) {
            lastLog = performance.now();
            const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM events`);
            const clock = new Date(await env.currentTimeMs()).toISOString();
            progress.push({ atMs: Math.round(lastLog - t), clock, events: n - before.n });
            log(
              `backlog ${phase.name}: ${Math.round((lastLog - t) / 1000)} s, server clock ${clock}, ${n - before.n} events appended`,
            );
          }
          await sleep(250);
        }
      })();
      await env.sleep(phase.days * DAY_MS);
      skipping = false;
      await sampling;
      const nowIso = new Date(await env.currentTimeMs()).toISOString();
      const lags = lagsDuringSkip;
      await refold(due);
      let pending = due.filter((id) => dueAt(id, nowIso));
      const deadline = t + drainDeadlineMs;
      while (pending.length > 0 && performance.now() < deadline) {
        await sleep(250);
        const lag = await projectionLag(dataSource);
        lags.push(lag);
        await refold(pending);
        pending = pending.filter((id) => dueAt(id, nowIso));
      }
      const drainMs = performance.now() - t;
      // The read models afterwards: until the projector has folded what the drain appended.
      let lag = await projectionLag(dataSource);
      while (lag.pendingEvents > 0 && performance.now() < deadline) {
        await sleep(100);
        lag = await projectionLag(dataSource);
        lags.push(lag);
      }
      const catchUpMs = performance.now() - t;
      const [after] = await dataSource.query(`SELECT count(*)::int AS n FROM events`);
      const result = {
        name: phase.name,
        days: phase.days,
        placements,
        placementsDue: due.length,
        notDrained: pending.length,
        drainMs,
        readModelsCaughtUpMs: catchUpMs,
        eventsAppended: after.n - before.n,
        progress,
        readModelLag: {
          method:
            'projectionLag() every 250 ms while the clock moves and until drained: age of the oldest event not yet in the read models',
          samples: lags.length,
          oldestPendingAgeMs: summary(lags.map((l) => l.oldestPendingAgeMs)),
          maxPendingEvents: Math.max(0, ...lags.map((l) => l.pendingEvents)),
        },
      };
      log(
        `backlog ${phase.name}: ${due.length - pending.length}/${due.length} placements worked off in ${Math.round(drainMs)} ms, ` +
          `${result.eventsAppended} events; read models caught up after ${Math.round(catchUpMs)} ms`,
      );
      results.push(result);
      if (pending.length > 0) break;
    }
    return results;
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
}
