import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { addDays } from '../../libs/domain/calendar/dates.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import type { EventStore } from '../../libs/event-store/index.js';
import { projectionLag, runOnce, type RunOptions } from '../../libs/projections/index.js';
import {
  at,
  cancelled,
  completed,
  dueSoon,
  escalated,
  kp,
  lead,
  opened,
  overdue,
  planned,
  registered,
  row,
  stream,
  task,
  waived,
} from '../../libs/fixtures/package-events.js';

/*
 * The projector's specs against real PostgreSQL (test/integration/projections-*.spec.ts). Other test
 * files share the server, and any open transaction in the cluster holds the projector back (never
 * forward), so helpers that wait for events to be applied poll instead of assuming one run suffices.
 */

/** The queries the specs read the read models with, on the data source `dataSource()` gives. */
export function projectionQueries(dataSource: () => DataSource) {
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    dataSource().query<T[]>(sql, params);

  /** Runs the projector until every committed event is applied (other suites' transactions may delay it). */
  async function projectAll(options: RunOptions = {}) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const result = await runOnce(dataSource(), options);
      if (result.caughtUp && (await projectionLag(dataSource())).pendingEvents === 0) return;
      if (Date.now() > deadline) throw new Error('projector did not catch up within 15 s');
      if (result.caughtUp) await sleep(20);
    }
  }

  const inbox = (placementId: string) =>
    q<Record<string, unknown>>(
      `SELECT task_id, status, escalated, assignee_id, role, due_on::text, completed_on::text, outcome,
              waiver_reason, statutory
         FROM task_inbox WHERE placement_id = $1 ORDER BY task_id`,
      [placementId],
    );
  const ledger = (placementId: string) =>
    q(
      `SELECT kind, year, active_days, required, planned, completed, waived
         FROM statutory_ledger WHERE placement_id = $1 ORDER BY kind, year`,
      [placementId],
    );
  const placement = async (placementId: string) =>
    (
      await q(
        `SELECT status, version, placement_date::text, paused_from::text, ended_on::text, end_reason
           FROM placements WHERE placement_id = $1`,
        [placementId],
      )
    )[0];
  const checkpoint = async () =>
    (
      await q<{ tx_id: string; position: string }>(
        `SELECT tx_id::text, position::text FROM projection_checkpoints`,
      )
    )[0];

  return { q, projectAll, inbox, ledger, placement, checkpoint };
}

/**
 * Appends `count` placements (at least 4) whose histories hold every event type between them: tasks
 * opened, due soon, overdue, escalated, completed with a note, waived, reassigned (a change of
 * caseworker), rescheduled into the next year and cancelled; a reduction, a change of type, a pause and
 * a resume, and a placement date moved so that a ledger year goes away, then an end. Each step is
 * recorded on its own day and projected in small batches before the next, as a live projector would.
 * Returns the placement ids.
 */
export async function seedHistories(
  store: EventStore,
  projectAll: (options?: RunOptions) => Promise<void>,
  count = 12,
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const dateOf = (i: number) => `2026-${String(2 + (i % 8)).padStart(2, '0')}-01`;
  const append = (id: string, day: number, events: PackageEvent[]) =>
    store.append(
      stream(id),
      'any',
      events.map((e) => ({ ...row(e), recordedAt: `2026-0${day}-01T10:00:00.000Z` })),
    );

  for (const [i, id] of ids.entries()) {
    const date = dateOf(i);
    await append(id, 1, [
      registered(id, date),
      planned([
        task('oppfolging#1', addDays(date, 14), 'oppfolgingsbesok'),
        task('oppfolging#2', addDays(date, 200), 'oppfolgingsbesok'),
        task('tilsyn#1', addDays(date, 60), 'tilsynsbesok'),
        task('samtale#1', addDays(date, 30)),
      ]),
    ]);
  }
  await projectAll({ batchSize: 3 });

  const reassigned = (taskId: string, assigneeId: string): PackageEvent => ({
    type: 'TaskReassigned',
    data: { taskId, at: at(), assigneeId, role: 'kontaktperson', by: lead },
  });
  for (const [i, id] of ids.entries()) {
    await append(id, 2, [
      opened('oppfolging#1'),
      completed('oppfolging#1', addDays(dateOf(i), 15), randomUUID()),
      opened('samtale#1'),
      reassigned('samtale#1', 'kp-a'),
      reassigned('samtale#1', 'kp-b'),
      opened('tilsyn#1'),
      dueSoon('tilsyn#1'),
    ]);
  }
  await projectAll({ batchSize: 5 });

  for (const [i, id] of ids.entries()) {
    const date = dateOf(i);
    const variants: PackageEvent[][] = [
      [overdue('tilsyn#1'), escalated('tilsyn#1'), opened('oppfolging#2'), waived('oppfolging#2')],
      [
        {
          type: 'TaskRescheduled',
          data: {
            taskId: 'oppfolging#2',
            at: at(),
            opensOn: '2027-01-04',
            dueOn: '2027-01-18',
            nominalDueOn: '2027-01-18',
            timers: task('x', '2027-01-18').timers,
            reason: 'reduction',
          },
        },
        {
          type: 'ReductionRecorded',
          data: {
            decision: { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: '2027-01-01' },
            by: lead,
            at: at(),
          },
        },
      ],
      [
        {
          type: 'PlacementPaused',
          data: { reason: 'sykehusopphold', from: addDays(date, 20), by: kp, at: at() },
        },
        { type: 'PlacementResumed', data: { on: addDays(date, 29), pausedDays: 9, by: kp, at: at() } },
        {
          type: 'PlacementTypeChanged',
          data: { from: 'omsorgsovertakelse', to: 'akutt', by: lead, at: at() },
        },
      ],
      [
        { type: 'PlacementDateChanged', data: { from: date, to: '2026-01-01', by: lead, at: at() } },
        { type: 'PlacementEnded', data: { endedOn: '2026-12-31', reason: 'brudd', by: lead, at: at() } },
        cancelled('oppfolging#2', 'placement-ended'),
        completed('samtale#1', addDays(date, 31)),
        { type: 'PackageCompleted', data: { at: at() } },
      ],
    ];
    await append(id, 3, variants[i % variants.length]);
  }
  await projectAll({ batchSize: 7 });
  return ids;
}
