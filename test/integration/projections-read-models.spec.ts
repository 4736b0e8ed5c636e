import { randomUUID } from 'node:crypto';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import {
  append,
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
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionQueries } from '../support/projections.js';

/*
 * The projector against real PostgreSQL: events are appended by hand through the EventStore and the
 * read models (placements, task_inbox, placement_timeline, statutory_ledger and its versions) are
 * checked against hand-computed expectations.
 */

describe('projections: read models (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const { q, projectAll, inbox, ledger, placement } = projectionQueries(() => db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  const midYear = randomUUID();

  it('projects a placement that starts mid-year: inbox statuses and a pro-rata ledger with a reduction', async () => {
    await append(store, midYear, [
      registered(midYear, '2026-07-01'),
      planned([
        task('oppfolging#1', '2026-07-08', 'oppfolgingsbesok'),
        task('oppfolging#2', '2026-10-01', 'oppfolgingsbesok'),
        task('oppfolging#3', '2026-12-15', 'oppfolgingsbesok'),
        task('oppfolging#4', '2027-03-15', 'oppfolgingsbesok'),
        task('tilsyn#1', '2026-08-01', 'tilsynsbesok'),
        task('tilsyn#2', '2026-11-01', 'tilsynsbesok'),
        task('tilsyn#3', '2027-02-01', 'tilsynsbesok'),
        task('omsorgsplan#1', '2026-07-15'),
        task('samtale#1', '2026-09-01'),
      ]),
    ]);
    // Projected in several small batches, interleaved with appends.
    await projectAll({ batchSize: 1 });
    await append(store, midYear, [
      opened('oppfolging#1'),
      completed('oppfolging#1', '2026-07-08', randomUUID()),
      opened('omsorgsplan#1'),
      dueSoon('omsorgsplan#1'),
      opened('tilsyn#1'),
      dueSoon('tilsyn#1'),
      overdue('tilsyn#1'),
      escalated('tilsyn#1'),
      opened('samtale#1'),
      {
        type: 'TaskReassigned',
        data: { taskId: 'samtale#1', at: at(), assigneeId: 'fhr-7', role: 'fosterhjemsressurs', by: lead },
      },
      opened('oppfolging#2'),
      waived('oppfolging#2'),
    ]);
    await projectAll({ batchSize: 5 });
    await append(store, midYear, [
      {
        type: 'TaskRescheduled',
        data: {
          taskId: 'oppfolging#3',
          at: at(),
          opensOn: '2026-12-27',
          dueOn: '2027-01-10',
          nominalDueOn: '2027-01-10',
          timers: {
            opensAt: '2026-12-27T06:00:00.000Z',
            remindAt: '2027-01-07T06:00:00.000Z',
            overdueAt: '2027-01-10T23:00:00.000Z',
            escalateAt: '2027-01-17T23:00:00.000Z',
          },
          reason: 'placement-date-changed',
        },
      },
      opened('tilsyn#2'),
      completed('tilsyn#2', '2027-01-05'),
      {
        type: 'ReductionRecorded',
        data: {
          decision: { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: '2027-01-01' },
          by: lead,
          at: at(),
        },
      },
      cancelled('tilsyn#3', 'reduction'),
    ]);
    await projectAll();

    expect(await placement(midYear)).toEqual({
      status: 'active',
      version: 19,
      placement_date: '2026-07-01',
      paused_from: null,
      ended_on: null,
      end_reason: null,
    });
    const base = {
      escalated: false,
      assignee_id: null,
      completed_on: null,
      outcome: null,
      waiver_reason: null,
    };
    expect(await inbox(midYear)).toEqual([
      {
        ...base,
        task_id: 'omsorgsplan#1',
        status: 'due-soon',
        role: 'kontaktperson',
        due_on: '2026-07-15',
        statutory: null,
      },
      {
        ...base,
        task_id: 'oppfolging#1',
        status: 'completed',
        role: 'kontaktperson',
        due_on: '2026-07-08',
        statutory: 'oppfolgingsbesok',
        completed_on: '2026-07-08',
        outcome: 'gjennomfort',
      },
      {
        ...base,
        task_id: 'oppfolging#2',
        status: 'waived',
        role: 'kontaktperson',
        due_on: '2026-10-01',
        statutory: 'oppfolgingsbesok',
        waiver_reason: 'barnet-onsker-ikke',
      },
      {
        ...base,
        task_id: 'oppfolging#3',
        status: 'planned',
        role: 'kontaktperson',
        due_on: '2027-01-10',
        statutory: 'oppfolgingsbesok',
      },
      {
        ...base,
        task_id: 'oppfolging#4',
        status: 'planned',
        role: 'kontaktperson',
        due_on: '2027-03-15',
        statutory: 'oppfolgingsbesok',
      },
      {
        ...base,
        task_id: 'samtale#1',
        status: 'open',
        role: 'fosterhjemsressurs',
        assignee_id: 'fhr-7',
        due_on: '2026-09-01',
        statutory: null,
      },
      {
        ...base,
        task_id: 'tilsyn#1',
        status: 'overdue',
        escalated: true,
        role: 'tilsynsforer',
        due_on: '2026-08-01',
        statutory: 'tilsynsbesok',
      },
      {
        ...base,
        task_id: 'tilsyn#2',
        status: 'completed',
        role: 'tilsynsforer',
        due_on: '2026-11-01',
        statutory: 'tilsynsbesok',
        completed_on: '2027-01-05',
        outcome: 'gjennomfort',
      },
      {
        ...base,
        task_id: 'tilsyn#3',
        status: 'cancelled',
        role: 'tilsynsforer',
        due_on: '2027-02-01',
        statutory: 'tilsynsbesok',
      },
    ]);
    // Active 2026-07-01 .. 2027-06-30: 184 days in 2026, 181 in 2027 (365 in all).
    //   2026: round(4 × 184 / 365) = round(2.02) = 2        2027: round(4 × 181 / 365) = round(1.98) = 2
    //   tilsyn 2027 under the reduction to 2 from 1 January: round(2 × 181 / 365) = round(0.99) = 1
    // oppfolging#3 moved into 2027; tilsyn#2 was due in 2026 but done in 2027; tilsyn#3 was cancelled.
    expect(await ledger(midYear)).toEqual([
      {
        kind: 'oppfolgingsbesok',
        year: 2026,
        active_days: 184,
        required: 2,
        planned: 2,
        completed: 1,
        waived: 1,
      },
      {
        kind: 'oppfolgingsbesok',
        year: 2027,
        active_days: 181,
        required: 2,
        planned: 2,
        completed: 0,
        waived: 0,
      },
      {
        kind: 'tilsynsbesok',
        year: 2026,
        active_days: 184,
        required: 2,
        planned: 2,
        completed: 0,
        waived: 0,
      },
      {
        kind: 'tilsynsbesok',
        year: 2027,
        active_days: 181,
        required: 1,
        planned: 0,
        completed: 1,
        waived: 0,
      },
    ]);
  });

  it('keeps a timeline of every event with codes and dates only', async () => {
    const rows = await q<{
      stream_version: number;
      type: string;
      task_id: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT stream_version, type, task_id, details FROM placement_timeline WHERE placement_id = $1
        ORDER BY stream_version`,
      [midYear],
    );
    expect(rows.map((r) => r.stream_version)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(rows[0]).toMatchObject({
      type: 'PlacementRegistered',
      task_id: null,
      details: {
        placementType: 'omsorgsovertakelse',
        placementDate: '2026-07-01',
        catalogVersion: '2026.1',
        by: kp,
      },
    });
    expect(rows[1].details).toEqual({
      reason: 'registered',
      taskIds: expect.arrayContaining(['oppfolging#1', 'samtale#1']) as unknown,
    });
    expect(rows[3]).toEqual({
      stream_version: 4,
      type: 'TaskCompleted',
      task_id: 'oppfolging#1',
      details: { completedOn: '2026-07-08', outcome: 'gjennomfort', hasNote: true, by: kp },
    });
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/noteRef|childRef|Oppfølgingsbesøk|Samtale/);
  });

  it('takes an annulled placement out of the adherence read models from the annulment on, and keeps it in the list', async () => {
    const mistaken = randomUUID();
    const kept = randomUUID();
    const recorded = (id: string, recordedAt: string, events: PackageEvent[]) =>
      store.append(
        stream(id),
        'any',
        events.map((e) => ({ ...row(e), recordedAt })),
      );
    for (const id of [mistaken, kept])
      await recorded(id, '2026-02-01T10:00:00.000Z', [
        registered(id, '2026-03-01'),
        planned([task('oppfolging#1', '2026-03-15', 'oppfolgingsbesok'), task('samtale#1', '2026-03-20')]),
      ]);
    await projectAll({ batchSize: 1 });
    await recorded(mistaken, '2026-02-03T10:00:00.000Z', [
      cancelled('oppfolging#1', 'placement-annulled'),
      cancelled('samtale#1', 'placement-annulled'),
      {
        type: 'PlacementEnded',
        data: { endedOn: '2026-02-03', reason: 'registrert-ved-feil', by: lead, at: at() },
      },
    ]);
    await projectAll();

    const current = (table: string) =>
      q(
        `SELECT DISTINCT placement_id::text AS id FROM ${table} WHERE recorded_to IS NULL AND placement_id = ANY($1::uuid[])`,
        [[mistaken, kept]],
      );
    const asOf = (table: string, instant: string) =>
      q(
        `SELECT DISTINCT placement_id::text AS id FROM ${table}
          WHERE recorded_from <= $2 AND (recorded_to IS NULL OR recorded_to > $2) AND placement_id = ANY($1::uuid[])`,
        [[mistaken, kept], instant],
      );
    for (const table of ['adherence_facts', 'adherence_placements', 'statutory_ledger_versions']) {
      expect(await current(table)).toEqual([{ id: kept }]);
      // As recorded before the annulment, the figures held it (as they did then).
      expect((await asOf(table, '2026-02-02T00:00:00Z')).map((r) => r.id).sort()).toEqual(
        [kept, mistaken].sort(),
      );
      expect(await asOf(table, '2026-02-04T00:00:00Z')).toEqual([{ id: kept }]);
    }
    // Still in the placement list, ended with its own reason; its tasks are cancelled.
    expect(await placement(mistaken)).toMatchObject({ status: 'ended', end_reason: 'registrert-ved-feil' });
    expect((await inbox(mistaken)).map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('versions the statutory ledger over recorded time; a moved placement date closes the year it removes', async () => {
    const moved = randomUUID();
    const recorded = (recordedAt: string, events: PackageEvent[]) =>
      store.append(
        stream(moved),
        'any',
        events.map((e) => ({ ...row(e), recordedAt })),
      );
    await recorded('2026-02-01T10:00:00.000Z', [
      registered(moved, '2026-03-01'),
      planned([task('oppfolging#1', '2026-03-15', 'oppfolgingsbesok'), task('samtale#1', '2026-03-20')]),
    ]);
    await projectAll({ batchSize: 1 });
    await recorded('2026-03-16T10:00:00.000Z', [
      opened('oppfolging#1'),
      completed('oppfolging#1', '2026-03-16'),
      completed('samtale#1', '2026-03-20'),
    ]);
    await recorded('2026-03-20T10:00:00.000Z', [
      { type: 'PlacementDateChanged', data: { from: '2026-03-01', to: '2026-01-01', by: lead, at: at() } },
    ]);
    await recorded('2026-04-01T10:00:00.000Z', [
      { type: 'PlacementEnded', data: { endedOn: '2026-12-31', reason: 'planlagt', by: lead, at: at() } },
    ]);
    await projectAll();

    const versions = await q(
      `SELECT kind, year, stream_version AS v, to_char(recorded_from AT TIME ZONE 'UTC', 'MM-DD') AS "from",
              to_char(recorded_to AT TIME ZONE 'UTC', 'MM-DD') AS "to", active_days AS days, required,
              planned, completed, status, ended_on::text
         FROM statutory_ledger_versions WHERE placement_id = $1 ORDER BY kind, year, stream_version`,
      [moved],
    );
    const version = (
      kind: string,
      year: number,
      v: number,
      from: string,
      to: string | null,
      [days, required, planned, completed]: number[],
      ended = false,
    ) => ({
      kind,
      year,
      v,
      from,
      to,
      days,
      required,
      planned,
      completed,
      status: ended ? 'ended' : 'active',
      ended_on: ended ? '2026-12-31' : null,
    });
    // 2026-03-01 .. 2027-02-28: 306 days in 2026 (3 required), 59 in 2027 (1). Moved to 2026-01-01:
    // 365 days in 2026, none in 2027 (its rows are closed, none replaces them). The visit's opening and
    // the other task's completion (versions 3 and 5) change no figure. Versions 1 and 2 were recorded
    // in one transaction: the first is valid over an empty interval.
    expect(versions).toEqual([
      version('oppfolgingsbesok', 2026, 1, '02-01', '02-01', [306, 3, 0, 0]),
      version('oppfolgingsbesok', 2026, 2, '02-01', '03-16', [306, 3, 1, 0]),
      version('oppfolgingsbesok', 2026, 4, '03-16', '03-20', [306, 3, 1, 1]),
      version('oppfolgingsbesok', 2026, 6, '03-20', '04-01', [365, 4, 1, 1]),
      version('oppfolgingsbesok', 2026, 7, '04-01', null, [365, 4, 1, 1], true),
      version('oppfolgingsbesok', 2027, 1, '02-01', '03-20', [59, 1, 0, 0]),
      version('tilsynsbesok', 2026, 1, '02-01', '03-20', [306, 3, 0, 0]),
      version('tilsynsbesok', 2026, 6, '03-20', '04-01', [365, 4, 0, 0]),
      version('tilsynsbesok', 2026, 7, '04-01', null, [365, 4, 0, 0], true),
      version('tilsynsbesok', 2027, 1, '02-01', '03-20', [59, 1, 0, 0]),
    ]);

    // For every placement, the current versions are the ledger, with the placement's status and end.
    const current = await q(
      `SELECT placement_id, year, kind, service_id, municipality_id, active_days, required, planned,
              completed, waived, status, ended_on::text
         FROM statutory_ledger_versions WHERE recorded_to IS NULL ORDER BY placement_id, year, kind`,
    );
    const ledgers = await q(
      `SELECT l.placement_id, l.year, l.kind, l.service_id, l.municipality_id, l.active_days, l.required,
              l.planned, l.completed, l.waived, p.status, p.ended_on::text
         FROM statutory_ledger l JOIN placements p USING (placement_id) ORDER BY placement_id, year, kind`,
    );
    expect(current.length).toBeGreaterThan(5);
    expect(current).toEqual(ledgers);
  });
});
