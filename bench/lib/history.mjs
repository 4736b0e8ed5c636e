// History size of whole 12-month care packages, run in virtual time on the Temporal time-skipping
// test server with the real workflow code (dist/) and the real activities (planner + PostgreSQL).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { benchRegistrations } from './placements.mjs';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;
const EventType = proto.temporal.api.enums.v1.EventType;
const HistoryMessage = proto.temporal.api.history.v1.History;

/** How long one package may take in wall time before the benchmark gives up on it. */
const PACKAGE_DEADLINE_MS = 10 * 60_000;

/**
 * Runs one package per variant and returns, for each, the history events of every run of its
 * workflow (continue-as-new included) with a breakdown by event type.
 *   untouched: nobody does anything; every task opens, gets its reminder, goes overdue and escalates.
 *   completed: every task (follow-ups included) is completed on its due date at 10:00 Oslo time.
 */
export async function measureHistories({ dataSource, untouchedTypes, completedTypes, log }) {
  const { startTimeSkippingServer } = await import(dist('libs/dev-servers/temporal.js'));
  const { createActivities } = await import(dist('activities/index.js'));
  const { EventStore } = await import(dist('libs/event-store/index.js'));
  const { PlacementCommands } = await import(dist('libs/temporal/placement-commands.js'));
  const { placementWorkflowId } = await import(dist('workflows/package-contracts.js'));
  const { addDays } = await import(dist('libs/domain/calendar/dates.js'));
  const { osloInstant } = await import(dist('libs/domain/calendar/oslo-time.js'));
  const { osloDateOf } = await import(dist('libs/domain/package/clock.js'));
  const { decideTick } = await import(dist('libs/domain/package/decide.js'));
  const { isFinal } = await import(dist('libs/domain/package/state.js'));
  const { registration } = await benchRegistrations();

  const env = await startTimeSkippingServer();
  try {
    const taskQueue = `bench-history-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(dist('workflows/index.js')),
      activities: createActivities({ eventStore: new EventStore(dataSource) }),
    });
    const running = worker.run();
    const commands = new PlacementCommands(env.client, taskQueue);
    const now = async () => new Date(await env.currentTimeMs()).toISOString();

    /** Waits until the workflow has acted on every timer that is due on the server's clock. */
    const settled = async (placementId) => {
      for (let i = 0; i < 600; i++) {
        const state = await commands.plan(placementId);
        if (state && (state.status !== 'active' || decideTick(state, await now()).length === 0)) return state;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`placement ${placementId} did not settle`);
    };

    const runVariant = async (variant, type) => {
      const started = performance.now();
      const placementDate = addDays(osloDateOf(await env.currentTimeMs()), 14);
      const reg = registration(0, placementDate, type);
      const workflowId = placementWorkflowId(reg.placementId);
      await commands.register(reg);
      const firstRunId = (await env.client.workflow.getHandle(workflowId).describe()).runId;
      let completions = 0;
      if (variant === 'completed') {
        for (;;) {
          const state = await settled(reg.placementId);
          if (state.status !== 'active') break;
          const open = Object.values(state.tasks).filter((t) => !isFinal(t));
          if (open.length === 0) break; // the next tick completes the package
          const today = osloDateOf(await env.currentTimeMs());
          const due = open.filter((t) => t.dueOn <= today);
          if (due.length === 0) {
            const next = open.map((t) => t.dueOn).sort()[0];
            const target = Date.parse(osloInstant(next, 10));
            await env.sleep(Math.max(1, target - (await env.currentTimeMs())));
            continue;
          }
          for (const t of due) {
            await commands.send(reg.placementId, 'completeTask', {
              commandId: randomUUID(),
              actor: { userId: 'kp-1', role: 'kontaktperson' },
              taskId: t.taskId,
              outcome: 'gjennomfort',
              completedOn: t.dueOn,
            });
            completions++;
          }
        }
      }
      // Waiting on the result lets the server skip time to the end of the package.
      const outcome = await Promise.race([
        env.client.workflow.getHandle(workflowId).result(),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`${variant} package did not finish`)),
            PACKAGE_DEADLINE_MS,
          ).unref(),
        ),
      ]);
      const runs = [];
      for (let runId = firstRunId; runId;) {
        const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
        const events = history.events ?? [];
        const byType = {};
        for (const e of events) {
          const name = String(EventType[e.eventType] ?? e.eventType).replace(/^EVENT_TYPE_/, '');
          byType[name] = (byType[name] ?? 0) + 1;
        }
        runs.push({
          runId,
          events: events.length,
          bytes: HistoryMessage.encode(history).finish().length,
          byType,
        });
        runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId || undefined;
      }
      const state = await commands.plan(reg.placementId);
      const tasks = state ? Object.values(state.tasks) : [];
      const result = {
        variant,
        placementType: type,
        placementId: reg.placementId,
        historyEvents: runs.reduce((n, r) => n + r.events, 0),
        historyBytes: runs.reduce((n, r) => n + r.bytes, 0),
        runs,
        outcome,
        storedEvents: outcome?.version,
        tasks: tasks.length,
        completions,
        wallMs: performance.now() - started,
      };
      log(
        `history ${variant} ${type}: ${result.historyEvents} history events in ${runs.length} run(s), ` +
          `${result.storedEvents} stored events, ${result.tasks} tasks (${Math.round(result.wallMs)} ms)`,
      );
      return result;
    };

    try {
      const results = [];
      for (const type of untouchedTypes) results.push(await runVariant('untouched', type));
      for (const type of completedTypes) results.push(await runVariant('completed', type));
      return results;
    } finally {
      worker.shutdown();
      await running;
    }
  } finally {
    await env.teardown();
  }
}
