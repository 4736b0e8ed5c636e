import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../libs/database/data-source.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import type { EventCause, PackageEvent } from '../../libs/domain/events.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import { fold } from '../../libs/domain/package/state.js';
import { readModelChecksum, rebuild } from '../../libs/projections/rebuild.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';
import type { ChaosClient, Sent } from './client.js';
import type { ChaosReport } from './report.js';

/**
 * The checks at the end of a chaos run, with everything up: wait until it is quiet (every workflow at
 * its stream's version with nothing due, the projector caught up), then count every acknowledged command
 * present once, lost or duplicated, refused yet applied, or applied with no client's record of it; send
 * every placement one more command; compare the read models with a replay of the events and every
 * workflow's state with the fold of its stream.
 */
export async function verify(
  stack: RunningStack,
  sent: readonly Sent[],
  kills: Record<string, number>,
  started: number,
  log: (line: string) => void,
  client: ChaosClient,
  today: string,
): Promise<ChaosReport> {
  const ready = async () => (await fetch(`${stack.apiUrl}/health/ready`).catch(() => undefined))?.ok === true;
  for (let i = 0; i < 240 && !(await ready()); i++) await sleep(500);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const commands = new PlacementCommands(new Client({ connection }), 'omsorgspakken');
  const db: DataSource = await openDatabase(stack.databaseUrl, 2);
  try {
    const placements = (
      await db.query<{ stream_id: string }[]>(
        `SELECT DISTINCT stream_id FROM events WHERE stream_type = 'placement'`,
      )
    ).map((r) => r.stream_id);
    const eventsOf = async (placementId: string) =>
      (
        await db.query<{ type: string; payload: unknown; metadata: { cause?: EventCause } }[]>(
          `SELECT type, payload, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
          [placementId],
        )
      ).map((r) => ({ event: { type: r.type, data: r.payload } as PackageEvent, cause: r.metadata.cause }));

    // Quiet: every workflow at its stream's version with nothing due, the projector caught up.
    for (const placementId of placements) {
      for (let i = 0; i < 240; i++) {
        const state = await commands.plan(placementId).catch(() => undefined);
        const stored = await eventsOf(placementId);
        if (
          state &&
          state.version === stored.length &&
          decideTick(state, new Date().toISOString()).length === 0
        )
          break;
        await sleep(500);
      }
    }

    // Every acknowledged command present once; nothing without a record of its command id.
    const byCommand = new Map<string, number>();
    let workflowsDiffering = 0;
    for (const placementId of placements) {
      const stored = await eventsOf(placementId);
      const state = await commands.plan(placementId);
      if (!isDeepStrictEqual(fold(stored.map((s) => s.event)), state)) workflowsDiffering += 1;
      for (const { event, cause } of stored) {
        if (!cause || !('commandId' in cause)) continue;
        const effect =
          event.type === 'TaskCompleted' ||
          event.type === 'PlacementRegistered' ||
          (event.type === 'TasksPlanned' && event.data.reason === 'ad-hoc');
        if (effect) byCommand.set(cause.commandId, (byCommand.get(cause.commandId) ?? 0) + 1);
      }
    }
    const known = new Set(sent.flatMap((s) => (s.commandId ? [s.commandId] : [])));
    const appliedWithoutRecord = [...byCommand.keys()].filter((id) => !known.has(id)).length;
    const applied = sent.filter((s) => s.outcome === 'applied');
    const refused = sent.filter((s) => s.outcome === 'refused');
    const effects = (s: Sent) => (s.commandId ? (byCommand.get(s.commandId) ?? 0) : 0);

    // Every placement takes one more command (one no state can refuse: an ad-hoc task).
    let stuck = 0;
    for (const placementId of placements) {
      const record: Sent = { kind: 'ad-hoc', placementId, outcome: 'unanswered' };
      await client.command(
        'demo-leder',
        `/api/placements/${placementId}/ad-hoc-tasks`,
        { stepId: 'oppfolgingsbesok', dueOn: today },
        record,
      );
      if (record.outcome !== 'applied') stuck += 1;
    }
    // Read models equal to a replay of the events (the projector caught up first).
    for (let i = 0; i < 60; i++) {
      const [lag] = await db.query<{ behind: boolean }[]>(
        `SELECT (SELECT max(global_position) FROM events) > (SELECT position FROM projection_checkpoints WHERE name = 'read-models') AS behind`,
      );
      if (!lag?.behind) break;
      await sleep(500);
    }
    const before = await readModelChecksum(db);
    await rebuild(db);
    const after = await readModelChecksum(db);

    const report: ChaosReport = {
      seconds: Math.round((Date.now() - started) / 1000),
      kills,
      commands: {
        sent: sent.length,
        acknowledged: applied.length + refused.length,
        refused: refused.length,
        unanswered: sent.filter((s) => s.outcome === 'unanswered').length,
      },
      presentOnce: applied.filter((s) => effects(s) === 1).length,
      lost: applied.filter((s) => effects(s) === 0).length,
      duplicated: sent.filter((s) => effects(s) > 1).length,
      refusedApplied: refused.filter((s) => effects(s) > 0).length,
      appliedWithoutRecord,
      placements: placements.length,
      stuck,
      readModelsEqualReplay: before === after,
      workflowsDiffering,
    };
    log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    await db.destroy();
    await connection.close();
  }
}
