// What the engine benchmark (bench/engine.mjs) samples while it runs, and its small calculations.
import { spawnSync } from 'node:child_process';
import { memoryOf } from './procs.mjs';
import { round, sleep } from './stats.mjs';

/**
 * Projection lag per placement, in the database's clock: from the recorded_at of its registration
 * events (stream version `version`) to the first poll that finds the `placements` read model at it.
 */
export function startLagPoller(db, { pollMs, version }) {
  const watching = new Set();
  const lags = [];
  let stopped = false;
  let polls = 0;
  let failure;
  const loop = (async () => {
    while (!stopped) {
      if (watching.size > 0) {
        const { rows } = await db.query(
          `SELECT p.placement_id::text AS id,
                  (extract(epoch FROM clock_timestamp() - e.recorded_at) * 1000)::float8 AS lag_ms
             FROM placements p
             JOIN events e ON e.stream_id = p.placement_id AND e.stream_version = $2
            WHERE p.placement_id = ANY($1::uuid[]) AND p.version >= $2`,
          [[...watching], version],
        );
        polls++;
        for (const row of rows) {
          lags.push(row.lag_ms);
          watching.delete(row.id);
        }
      }
      await sleep(pollMs);
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    watch: (placementId) => watching.add(placementId),
    lags,
    get polls() {
      return polls;
    },
    get pending() {
      return watching.size;
    },
    /** Resolves once every watched placement was seen, or at the deadline (the rest stay pending). */
    async drain(deadlineMs) {
      const deadline = performance.now() + deadlineMs;
      while (watching.size > 0 && failure === undefined && performance.now() < deadline) await sleep(20);
      if (failure !== undefined) throw failure;
    },
    async stop() {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/** Every `everyMs`: the projector's backlog (projectionLag) and the worker's RSS. */
export function startSampler({ dataSource, projectionLag, workerPid, registered, everyMs = 100 }) {
  const samples = [];
  let stopped = false;
  let failure;
  const loop = (async () => {
    while (!stopped) {
      const lag = await projectionLag(dataSource);
      samples.push({
        atMs: performance.now(),
        pendingEvents: lag.pendingEvents,
        oldestPendingAgeMs: lag.oldestPendingAgeMs,
        workerRssBytes: memoryOf(workerPid).rssBytes,
        registered: registered(),
      });
      await sleep(everyMs);
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/** Until a worker polls `taskQueue` (an error once `workerExited()` or after `timeoutMs`). */
export async function waitForPollers(client, taskQueue, workerExited, timeoutMs = 120_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (workerExited()) throw new Error('the worker process exited during start-up (see bench-results/logs)');
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if (pollers.length > 0) return;
    if (performance.now() > deadline) throw new Error(`no worker polls ${taskQueue} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** Milliseconds of CPU per started workflow, by role (other users' processes left out). */
export function perStart(usage, n) {
  return Object.fromEntries(
    Object.entries(usage)
      .filter(([role]) => !role.startsWith('other'))
      .map(([role, u]) => [role, round((u.cpuSeconds * 1000) / n)]),
  );
}

/**
 * The workflow cache size the SDK picks for the worker when maxCachedWorkflows is not set (as in
 * apps/worker): it follows the V8 heap limit of a Node started with the worker's NODE_OPTIONS (this
 * process's and `appNodeOptions`).
 */
export function sdkDefaultCache(appNodeOptions) {
  const probe = spawnSync(
    process.execPath,
    ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: [process.env.NODE_OPTIONS, appNodeOptions].filter(Boolean).join(' '),
      },
      encoding: 'utf8',
    },
  );
  const heapMiB = Number(probe.stdout) / 2 ** 20;
  if (probe.status !== 0 || !(heapMiB > 0)) return undefined;
  // @temporalio/worker worker-options.js, reuseV8Context (the default)
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? undefined : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

/** A counter that logs `label: done/total` at most every 5 s, and at the end. */
export function progress(label, total, log) {
  let done = 0;
  let last = performance.now();
  return () => {
    done++;
    if (performance.now() - last > 5000 || done === total) {
      last = performance.now();
      log(`${label}: ${done}/${total}`);
    }
  };
}
