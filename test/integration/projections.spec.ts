import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { addDays } from '../../libs/domain/calendar/dates.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import type { PlannedTask } from '../../libs/domain/plan.js';
import type { Actor, IsoDate, StatutoryKind } from '../../libs/domain/vocabulary.js';
import { EventStore, type NewEvent, type StreamRef } from '../../libs/event-store/index.js';
import {
  projectionLag,
  readModelChecksum,
  readModelDigests,
  rebuild,
  runOnce,
  startProjector,
  type RunOptions,
} from '../../libs/projections/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * The projector against real PostgreSQL: events are appended by hand through the EventStore and the
 * read models are checked against hand-computed expectations. Other test files share the server, and
 * any open transaction in the cluster holds the projector back (never forward), so helpers that wait for
 * events to be applied poll instead of assuming one run suffices.
 */

const SERVICE = '0b6f1f5e-3a52-4f43-9a2d-1c1a0e6d2f10';
const MUNICIPALITY = '7d0e5a61-9a3c-4d7e-8f0b-2b7f6c1e9a44';
const kp: Actor = { userId: 'kp-1', role: 'kontaktperson' };
const lead: Actor = { userId: 'leder-1', role: 'leder' };

let clock = Date.parse('2026-06-20T08:00:00.000Z');
/** Event instants: strictly increasing, so every event has its own `at`. */
const at = () => new Date((clock += 60_000)).toISOString();

const registered = (placementId: string, placementDate: IsoDate): PackageEvent => ({
  type: 'PlacementRegistered',
  data: {
    placementId,
    childRef: randomUUID(),
    organisation: { serviceId: SERVICE, municipalityId: MUNICIPALITY },
    facts: {
      placementType: 'omsorgsovertakelse',
      legalBasis: 'omsorgsovertakelse',
      placementDate,
      childAgeYears: 9,
      samvaer: true,
      parentsReachable: true,
      inSchoolOrKindergarten: true,
      bufetatHelp: false,
      beredskapshjem: false,
    },
    catalogVersion: '2026.1',
    by: kp,
    at: at(),
  },
});

function task(taskId: string, dueOn: IsoDate, statutory?: StatutoryKind): PlannedTask {
  const [stepId = taskId, occurrence = '1'] = taskId.split('#');
  const opensOn = addDays(dueOn, -14);
  return {
    taskId,
    stepId,
    occurrence: Number(occurrence),
    title: statutory ? 'Oppfølgingsbesøk i fosterhjemmet' : 'Samtale med barnet',
    track: 'barnet',
    role: statutory === 'tilsynsbesok' ? 'tilsynsforer' : 'kontaktperson',
    catalogVersion: '2026.1',
    opensOn,
    dueOn,
    nominalDueOn: dueOn,
    ...(statutory ? { statutory } : {}),
    requiresCoSignToWaive: statutory !== undefined,
    timers: {
      opensAt: `${opensOn}T05:00:00.000Z`,
      remindAt: `${addDays(dueOn, -3)}T05:00:00.000Z`,
      overdueAt: `${addDays(dueOn, 1)}T22:00:00.000Z`,
      escalateAt: `${addDays(dueOn, 8)}T22:00:00.000Z`,
    },
  };
}

const planned = (tasks: PlannedTask[]): PackageEvent => ({
  type: 'TasksPlanned',
  data: { tasks, reason: 'registered', at: at() },
});
const opened = (taskId: string): PackageEvent => ({ type: 'TaskOpened', data: { taskId, at: at() } });
const dueSoon = (taskId: string): PackageEvent => ({ type: 'TaskDueSoon', data: { taskId, at: at() } });
const overdue = (taskId: string): PackageEvent => ({ type: 'TaskOverdue', data: { taskId, at: at() } });
const escalated = (taskId: string): PackageEvent => ({
  type: 'TaskEscalated',
  data: { taskId, at: at(), toRole: 'leder' },
});
const completed = (taskId: string, completedOn: IsoDate, noteRef?: string): PackageEvent => ({
  type: 'TaskCompleted',
  data: { taskId, at: at(), completedOn, outcome: 'gjennomfort', by: kp, ...(noteRef ? { noteRef } : {}) },
});
const waived = (taskId: string): PackageEvent => ({
  type: 'TaskWaived',
  data: { taskId, at: at(), reason: 'barnet-onsker-ikke', by: kp, coSignedBy: lead },
});
const cancelled = (taskId: string, reason: 'placement-ended' | 'reduction'): PackageEvent => ({
  type: 'TaskCancelled',
  data: { taskId, at: at(), reason },
});

/** An event row as the workflow's activity writes it: `type` = event.type, `payload` = event.data. */
const row = (e: PackageEvent): NewEvent => ({
  eventId: randomUUID(),
  type: e.type,
  payload: e.data,
});
const stream = (placementId: string): StreamRef => ({ streamType: 'placement', streamId: placementId });

async function append(store: EventStore, placementId: string, events: PackageEvent[]) {
  return store.append(stream(placementId), 'any', events.map(row));
}

describe('projections (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T[]>(sql, params);

  /** Runs the projector until every committed event is applied (other suites' transactions may delay it). */
  async function projectAll(options: RunOptions = {}) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const result = await runOnce(db.dataSource, options);
      if (result.caughtUp && (await projectionLag(db.dataSource)).pendingEvents === 0) return;
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

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  describe('read models', () => {
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

    it('follows a pause, a resume and an end: the ledger stops at the end date', async () => {
      const ended = randomUUID();
      await append(store, ended, [
        registered(ended, '2026-01-01'),
        planned([
          task('oppfolging#1', '2026-02-15', 'oppfolgingsbesok'),
          task('oppfolging#2', '2026-06-01', 'oppfolgingsbesok'),
        ]),
        { type: 'PlacementPaused', data: { reason: 'sykehusopphold', from: '2026-02-01', by: kp, at: at() } },
      ]);
      await projectAll();
      expect(await placement(ended)).toMatchObject({
        status: 'paused',
        paused_from: '2026-02-01',
        version: 3,
      });
      // A whole year 2026 is active so far: 4 required.
      expect((await ledger(ended)).map((r) => [r.kind, r.active_days, r.required])).toEqual([
        ['oppfolgingsbesok', 365, 4],
        ['tilsynsbesok', 365, 4],
      ]);

      await append(store, ended, [
        { type: 'PlacementResumed', data: { on: '2026-02-10', pausedDays: 9, by: kp, at: at() } },
        opened('oppfolging#1'),
        completed('oppfolging#1', '2026-02-16'),
        { type: 'PlacementEnded', data: { endedOn: '2026-03-31', reason: 'brudd', by: lead, at: at() } },
        cancelled('oppfolging#2', 'placement-ended'),
      ]);
      await projectAll();
      expect(await placement(ended)).toEqual({
        status: 'ended',
        version: 8,
        placement_date: '2026-01-01',
        paused_from: null,
        ended_on: '2026-03-31',
        end_reason: 'brudd',
      });
      // Active 2026-01-01 .. 2026-03-31 = 90 days less the 9 paused (1–9 February) = 81:
      // round(4 × 81 / 365) = round(0.89) = 1.
      expect(await ledger(ended)).toEqual([
        {
          kind: 'oppfolgingsbesok',
          year: 2026,
          active_days: 81,
          required: 1,
          planned: 1,
          completed: 1,
          waived: 0,
        },
        {
          kind: 'tilsynsbesok',
          year: 2026,
          active_days: 81,
          required: 1,
          planned: 0,
          completed: 0,
          waived: 0,
        },
      ]);
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

  describe('delivery guarantees', () => {
    it('waits for a slower transaction that took an earlier position: no event is skipped (commit-order gap)', async () => {
      await projectAll();
      const before = await checkpoint();
      const slow = randomUUID();
      const fast = randomUUID();

      // A inserts first (earlier global_position, earlier tx id) and stays open.
      const a = db.dataSource.createQueryRunner();
      await a.connect();
      await a.startTransaction();
      try {
        await store.append(stream(slow), 0, [row(registered(slow, '2026-05-01'))], a.manager);
        const [{ xid: aXid }] = await a.manager.query<{ xid: string }[]>(
          `SELECT pg_current_xact_id()::text AS xid`,
        );

        // B inserts later and commits first.
        await append(store, fast, [registered(fast, '2026-05-02')]);
        const [{ xid: bXid }] = await q<{ xid: string }>(
          `SELECT tx_id::text AS xid FROM events WHERE stream_id = $1`,
          [fast],
        );
        expect(BigInt(aXid)).toBeLessThan(BigInt(bXid));

        // While A is open, B is committed and visible, yet the projector must not move past A.
        const during = await runOnce(db.dataSource);
        expect(during.events).toBe(0);
        expect(await checkpoint()).toEqual(before);
        expect(await placement(fast)).toBeUndefined();
        expect((await projectionLag(db.dataSource)).pendingEvents).toBe(1);

        await a.commitTransaction();
      } finally {
        if (a.isTransactionActive) await a.rollbackTransaction();
        await a.release();
      }

      await projectAll();
      expect(await placement(slow)).toMatchObject({ status: 'active', version: 1 });
      expect(await placement(fast)).toMatchObject({ status: 'active', version: 1 });
    });

    it('reads in transaction-id order where the id gains a digit (…9 → 10…), skipping nothing', async () => {
      // As text, '10000' sorts before '9999' (and '1500'): a batch ordered that way would take the later
      // transaction first and move the checkpoint past the earlier one's events.
      await projectAll();
      const before = randomUUID();
      const after = randomUUID();
      await append(store, before, [registered(before, '2026-04-01')]);
      const [{ xid }] = await q<{ xid: string }>(
        `SELECT tx_id::text AS xid FROM events WHERE stream_id = $1`,
        [before],
      );
      // Use up transaction ids (one per subtransaction that writes) until they have one digit more.
      const next = 10n ** BigInt(xid.length);
      await q(`CREATE UNLOGGED TABLE IF NOT EXISTS xid_burner (n int)`);
      for (;;) {
        const [{ now }] = await q<{ now: string }>(`SELECT pg_current_xact_id()::text AS now`);
        if (BigInt(now) >= next) break;
        await q(
          `DO $$ BEGIN FOR i IN 1..${Math.min(Number(next - BigInt(now)), 20_000)} LOOP
             BEGIN INSERT INTO xid_burner VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END;
           END LOOP; END $$`,
        );
      }
      await append(store, after, [registered(after, '2026-04-02')]);
      const xids = await q<{ xid: string }>(
        `SELECT tx_id::text AS xid FROM events WHERE stream_id = ANY($1::uuid[]) ORDER BY tx_id`,
        [[before, after]],
      );
      expect(xids.map((r) => r.xid.length)).toEqual([xid.length, xid.length + 1]);

      await projectAll({ batchSize: 1 });
      expect(await placement(before)).toMatchObject({ version: 1 });
      expect(await placement(after)).toMatchObject({ version: 1 });
    });

    it('folds a stream version that sorts after a later one of the same stream, once', async () => {
      // X takes a transaction id first, Y registers the placement (v1) and commits, then X appends v2:
      // in (tx_id, global_position) order v2 comes before v1.
      const id = randomUUID();
      const x = db.dataSource.createQueryRunner();
      await x.connect();
      await x.startTransaction();
      try {
        await x.query(`SELECT pg_current_xact_id()`);
        await append(store, id, [registered(id, '2026-03-01')]);
        await store.append(stream(id), 1, [row(planned([task('samtale#1', '2026-03-20')]))], x.manager);
        await x.commitTransaction();
      } finally {
        if (x.isTransactionActive) await x.rollbackTransaction();
        await x.release();
      }
      const order = await q<{ stream_version: number }>(
        `SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY tx_id, global_position`,
        [id],
      );
      expect(order.map((r) => r.stream_version)).toEqual([2, 1]);

      await projectAll({ batchSize: 1 });
      expect(await placement(id)).toMatchObject({ version: 2 });
      expect((await inbox(id)).map((t) => t.task_id)).toEqual(['samtale#1']);
      expect(
        await q(`SELECT stream_version FROM placement_timeline WHERE placement_id = $1 ORDER BY 1`, [id]),
      ).toEqual([{ stream_version: 1 }, { stream_version: 2 }]);
    });

    it('applies each event once when projectors run concurrently', async () => {
      await projectAll();
      const ids = Array.from({ length: 6 }, () => randomUUID());
      await Promise.all(
        ids.map((id, i) =>
          append(store, id, [
            registered(id, `2026-0${(i % 9) + 1}-10`),
            planned([
              task('samtale#1', '2026-10-01'),
              task('oppfolging#1', '2026-11-01', 'oppfolgingsbesok'),
            ]),
            opened('samtale#1'),
            dueSoon('samtale#1'),
          ]),
        ),
      );
      // Four projectors at once, small batches, until all are done: every event is read exactly once.
      let read = 0;
      const worker = async () => {
        for (let idle = 0; idle < 3;) {
          const result = await runOnce(db.dataSource, { batchSize: 3 });
          read += result.events;
          if (result.events === 0) {
            idle += 1;
            await sleep(10);
          }
        }
      };
      const deadline = Date.now() + 15_000;
      while ((await projectionLag(db.dataSource)).pendingEvents > 0 && Date.now() < deadline) {
        await Promise.all([worker(), worker(), worker(), worker()]);
      }
      expect(read).toBe(ids.length * 4);
      const timeline = await q<{ n: number; versions: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT (placement_id, stream_version))::int AS versions
           FROM placement_timeline WHERE placement_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(timeline).toEqual([{ n: 24, versions: 24 }]);
      const placements = await q<{ version: number }>(
        `SELECT version FROM placements WHERE placement_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(placements.map((p) => p.version)).toEqual([4, 4, 4, 4, 4, 4]);
      const statuses = await q<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM task_inbox WHERE placement_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
        [ids],
      );
      expect(statuses).toEqual([
        { status: 'due-soon', n: 6 },
        { status: 'planned', n: 6 },
      ]);
    });

    it('changes nothing when events already applied come again (checkpoint lost)', async () => {
      await projectAll();
      const before = await readModelChecksum(db.dataSource);
      await q(`UPDATE projection_checkpoints SET tx_id = '0', position = 0`);
      let applied = 0;
      for (;;) {
        const result = await runOnce(db.dataSource, { batchSize: 10 });
        applied += result.applied;
        if (result.caughtUp) break;
      }
      expect(applied).toBe(0);
      expect(await readModelChecksum(db.dataSource)).toBe(before);
    });

    it('persists nothing when it fails between applying and moving the checkpoint, and recovers cleanly', async () => {
      await projectAll();
      const before = await readModelChecksum(db.dataSource);
      const cp = await checkpoint();
      const id = randomUUID();
      await append(store, id, [
        registered(id, '2026-04-01'),
        planned([task('samtale#1', '2026-04-20')]),
        opened('samtale#1'),
      ]);

      let applied = 0;
      const crash: RunOptions['beforeCheckpoint'] = async (batch, m) => {
        // The rows are written inside the transaction at this point…
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM placement_timeline WHERE placement_id = $1`,
          [id],
        );
        applied = n;
        expect(batch.placements).toContain(id);
        throw new Error('simulated crash before the checkpoint');
      };
      await expect(runOnce(db.dataSource, { beforeCheckpoint: crash })).rejects.toThrow(/simulated crash/);
      expect(applied).toBe(3);
      // …and none of them survived.
      expect(await readModelChecksum(db.dataSource)).toBe(before);
      expect(await checkpoint()).toEqual(cp);

      await projectAll();
      expect(await placement(id)).toMatchObject({ version: 3 });
      expect(
        await q(`SELECT count(*)::int AS n FROM placement_timeline WHERE placement_id = $1`, [id]),
      ).toEqual([{ n: 3 }]);
      const live = await readModelChecksum(db.dataSource);
      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(live);
    });
  });

  describe('rebuild', () => {
    it('truncates and replays to exactly the live read models, whatever the batch size', async () => {
      await projectAll();
      const live = await readModelDigests(db.dataSource);
      const liveChecksum = await readModelChecksum(db.dataSource);
      expect(live.placements.rows).toBeGreaterThan(10);
      expect(live.task_inbox.rows).toBeGreaterThan(20);
      // The ledger's history too, closed versions (a year a moved placement date removed) included.
      expect(live.statutory_ledger_versions.rows).toBeGreaterThan(
        (await q<{ n: number }>(`SELECT count(*)::int AS n FROM statutory_ledger`))[0].n,
      );

      const result = await rebuild(db.dataSource, { batchSize: 7 });
      expect(result.events).toBe(Number((await q<{ n: string }>(`SELECT count(*) AS n FROM events`))[0].n));
      expect(await readModelDigests(db.dataSource)).toEqual(live);
      expect(await readModelChecksum(db.dataSource)).toBe(liveChecksum);

      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(liveChecksum);
    });

    it('notices a read model that differs from the events', async () => {
      const live = await readModelChecksum(db.dataSource);
      await q(`UPDATE task_inbox SET status = 'completed' WHERE status = 'due-soon'`);
      expect(await readModelChecksum(db.dataSource)).not.toBe(live);
      await rebuild(db.dataSource);
      expect(await readModelChecksum(db.dataSource)).toBe(live);
    });

    it('runs as a command: npm run projections:rebuild', () => {
      const cli = new URL('../../dist/libs/projections/rebuild-cli.js', import.meta.url).pathname;
      const result = spawnSync(process.execPath, [cli], {
        env: { PATH: process.env.PATH, DATABASE_URL: db.url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const report = JSON.parse(result.stdout) as { events: number; unchanged: boolean };
      expect(report.events).toBeGreaterThan(40);
      expect(report.unchanged).toBe(true);
    });
  });

  describe('polling loop', () => {
    it('applies new events as they arrive, reports its lag and stops cleanly', async () => {
      const projector = startProjector(db.dataSource, { intervalMs: 20 });
      try {
        const id = randomUUID();
        await append(store, id, [registered(id, '2026-08-01')]);
        projector.wake();
        const deadline = Date.now() + 15_000;
        while (!(await placement(id)) && Date.now() < deadline) await sleep(20);
        expect(await placement(id)).toMatchObject({ status: 'active' });
        const lag = await projectionLag(db.dataSource);
        expect(lag.checkpoint).not.toBeNull();
        expect(lag.lastAppliedRecordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        expect(lag.lastAppliedAgeMs).toBeGreaterThanOrEqual(0);
      } finally {
        await projector.stop();
      }
      const after = await checkpoint();
      const id = randomUUID();
      await append(store, id, [registered(id, '2026-08-02')]);
      await sleep(100);
      expect(await checkpoint()).toEqual(after); // stopped: nothing moves
      expect((await projectionLag(db.dataSource)).pendingEvents).toBe(1);
    });
  });
});
