import type pg from 'pg';
import type { PackageEvent } from '../../libs/domain/events.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import type { PackageState } from '../../libs/domain/package/state.js';
import type { PlacementCommands } from '../../libs/temporal/placement-commands.js';

/*
 * What the crash tests (test/e2e/worker-crash.spec.ts on the dev server, test/cluster on the cluster)
 * check after killing parts of the system: a placement's stream as PostgreSQL holds it, the workflow
 * once it has settled, and a client that sends a command again until the engine answers.
 */

/** The placement's events in PostgreSQL, in stream order. */
export async function eventsOf(
  db: pg.Client,
  placementId: string,
): Promise<{ version: number; event: PackageEvent }[]> {
  const { rows } = await db.query<{ stream_version: number; type: string; payload: unknown }>(
    `SELECT stream_version, type, payload FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [placementId],
  );
  return rows.map((r) => ({
    version: r.stream_version,
    event: { type: r.type, data: r.payload } as PackageEvent,
  }));
}

/** The workflow's state once no timer transition is due and PostgreSQL holds all its events. */
export async function settled(
  commands: PlacementCommands,
  db: pg.Client,
  placementId: string,
  timeoutMs = 60_000,
): Promise<PackageState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await commands.plan(placementId).catch(() => undefined);
    if (state && decideTick(state, new Date().toISOString()).length === 0) {
      const stored = await eventsOf(db, placementId);
      if (stored.length === state.version) return state;
    }
    if (Date.now() > deadline) throw new Error(`placement ${placementId} did not settle`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `TaskOpened:<taskId>`, … for each timer transition in the stream (each must happen once). */
export const timerTransitions = (stored: readonly { event: PackageEvent }[]): string[] =>
  stored
    .map((s) => s.event)
    .filter((e) => ['TaskOpened', 'TaskDueSoon', 'TaskOverdue', 'TaskEscalated'].includes(e.type))
    .map((e) => `${e.type}:${(e.data as { taskId: string }).taskId}`);

/**
 * A client as the API is one: sends the command again, with the same id, until the engine answers
 * (a long wait for a worker or a Temporal service that is down can end in a transport error); a
 * refusal is an answer.
 */
export async function untilAnswered<T>(send: () => Promise<T>, attempts = 60): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt > attempts || (error as { cause?: { type?: string } }).cause?.type === 'CommandRejected')
        throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
