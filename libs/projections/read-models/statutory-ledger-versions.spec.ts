import type { PackageEvent } from '../../domain/events.js';
import type { PackageState } from '../../domain/package/state.js';
import type { PlannedTask } from '../../domain/plan.js';
import type { IsoDate, StatutoryKind } from '../../domain/vocabulary.js';
import { project } from '../projected-placement.js';
import {
  changedLedger,
  ledgerFacts,
  ledgerMayChange,
  linkLedgerVersions,
  type LedgerVersion,
} from './statutory-ledger-versions.js';

describe('statutory ledger versions', () => {
  const by = { userId: 'seed', role: 'leder' as const };
  const at = '2026-01-10T09:00:00.000Z';
  const planned = (taskId: string, dueOn: IsoDate, statutory?: StatutoryKind): PlannedTask => ({
    taskId,
    stepId: taskId.split('#')[0] ?? taskId,
    occurrence: 1,
    title: taskId,
    track: 'barnet',
    role: 'kontaktperson',
    catalogVersion: '2026.1',
    opensOn: dueOn,
    dueOn,
    nominalDueOn: dueOn,
    ...(statutory ? { statutory } : {}),
    requiresCoSignToWaive: false,
    timers: {
      opensAt: `${dueOn}T05:00:00.000Z`,
      remindAt: `${dueOn}T05:00:00.000Z`,
      overdueAt: `${dueOn}T22:00:00.000Z`,
      escalateAt: `${dueOn}T22:00:00.000Z`,
    },
  });
  const registered: PackageEvent = {
    type: 'PlacementRegistered',
    data: {
      placementId: 'p',
      childRef: 'c',
      organisation: { serviceId: 's', municipalityId: 'm' },
      facts: { placementType: 'frivillig', placementDate: '2026-03-01' } as PackageState['facts'],
      catalogVersion: '2026.1',
      by,
      at,
    },
  };
  // Every event type, on statutory and other tasks.
  const events: PackageEvent[] = [
    {
      type: 'TasksPlanned',
      data: {
        tasks: [
          planned('oppfolgingsbesok#1', '2026-04-01', 'oppfolgingsbesok'),
          planned('oppfolgingsbesok#2', '2026-12-20', 'oppfolgingsbesok'),
          planned('tilsynsbesok#1', '2027-01-15', 'tilsynsbesok'),
          planned('samtale#1', '2026-04-02'),
        ],
        reason: 'registered',
        at,
      },
    },
    { type: 'TaskOpened', data: { taskId: 'oppfolgingsbesok#1', at } },
    { type: 'TaskDueSoon', data: { taskId: 'oppfolgingsbesok#1', at } },
    { type: 'TaskOverdue', data: { taskId: 'oppfolgingsbesok#1', at } },
    { type: 'TaskEscalated', data: { taskId: 'oppfolgingsbesok#1', at, toRole: 'leder' } },
    {
      type: 'TaskReassigned',
      data: { taskId: 'oppfolgingsbesok#1', at, assigneeId: 'kp', role: 'kontaktperson', by },
    },
    {
      type: 'TaskCompleted',
      data: { taskId: 'samtale#1', at, completedOn: '2026-04-02', outcome: 'gjennomfort', by },
    },
    {
      type: 'TaskCompleted',
      data: { taskId: 'oppfolgingsbesok#1', at, completedOn: '2026-04-03', outcome: 'gjennomfort', by },
    },
    { type: 'PlacementTypeChanged', data: { from: 'frivillig', to: 'akutt', by, at } },
    {
      type: 'TaskRescheduled',
      data: {
        taskId: 'oppfolgingsbesok#2',
        at,
        opensOn: '2027-01-02',
        dueOn: '2027-01-02',
        nominalDueOn: '2027-01-02',
        timers: planned('x', '2027-01-02').timers,
        reason: 'placement-date-changed',
      },
    },
    { type: 'TaskWaived', data: { taskId: 'tilsynsbesok#1', at, reason: 'barnet-onsker-ikke', by } },
    {
      type: 'ReductionRecorded',
      data: { decision: { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: '2026-07-01' }, by, at },
    },
    { type: 'PlacementPaused', data: { reason: 'sykehusopphold', from: '2026-05-01', by, at } },
    { type: 'PlacementResumed', data: { on: '2026-05-10', pausedDays: 9, by, at } },
    { type: 'PlacementDateChanged', data: { from: '2026-03-01', to: '2026-01-01', by, at } },
    {
      type: 'TaskCancelled',
      data: { taskId: 'oppfolgingsbesok#2', at, reason: 'not-applicable-after-change' },
    },
    { type: 'PlacementEnded', data: { endedOn: '2026-10-31', reason: 'planlagt', by, at } },
    { type: 'PackageCompleted', data: { at } },
  ];

  it('skips recomputing only where the ledger facts cannot have changed', () => {
    let state = project(undefined, registered);
    const skipped: string[] = [];
    for (const event of events) {
      const next = project(state, event);
      if (!ledgerMayChange(state, next)) {
        skipped.push(`${event.type} ${'taskId' in event.data ? event.data.taskId : ''}`.trim());
        expect(ledgerFacts(next)).toEqual(ledgerFacts(state));
      }
      state = next;
    }
    expect(skipped).toEqual([
      'TaskOpened oppfolgingsbesok#1',
      'TaskDueSoon oppfolgingsbesok#1',
      'TaskOverdue oppfolgingsbesok#1',
      'TaskEscalated oppfolgingsbesok#1',
      'TaskReassigned oppfolgingsbesok#1',
      'TaskCompleted samtale#1',
      'PlacementTypeChanged',
    ]);
    expect(ledgerMayChange(undefined, state)).toBe(true);
  });

  it('versions changed and new keys, and leaves a tombstone for a year that is gone', () => {
    const registeredState = project(undefined, registered);
    const before = ledgerFacts(registeredState); // 2026-03-01 .. 2027-02-28: both years, both kinds
    expect(before.map((f) => [f.kind, f.year, f.status])).toEqual([
      ['oppfolgingsbesok', 2026, 'active'],
      ['oppfolgingsbesok', 2027, 'active'],
      ['tilsynsbesok', 2026, 'active'],
      ['tilsynsbesok', 2027, 'active'],
    ]);
    expect(changedLedger([], before)).toEqual(before);
    expect(changedLedger(before, before)).toEqual([]);
    const moved = project(registeredState, {
      type: 'PlacementDateChanged',
      data: { from: '2026-03-01', to: '2026-01-01', by, at },
    });
    // 2026-01-01 .. 2026-12-31: 2026 has more active days, 2027 is gone.
    expect(changedLedger(before, ledgerFacts(moved))).toEqual([
      expect.objectContaining({ kind: 'oppfolgingsbesok', year: 2026, active_days: 365, required: 4 }),
      expect.objectContaining({ kind: 'tilsynsbesok', year: 2026, active_days: 365, required: 4 }),
      { placement_id: 'p', year: 2027, kind: 'oppfolgingsbesok', removed: true },
      { placement_id: 'p', year: 2027, kind: 'tilsynsbesok', removed: true },
    ]);
    const ended = project(moved, {
      type: 'PlacementEnded',
      data: { endedOn: '2026-12-31', reason: 'planlagt', by, at },
    });
    // The figures stay; the placement's status and end date are versioned too.
    expect(
      changedLedger(ledgerFacts(moved), ledgerFacts(ended)).map((f) => ['status' in f && f.status]),
    ).toEqual([['ended'], ['ended']]);
  });

  it('links a batch’s versions per key; a tombstone closes the version before it and is no row', () => {
    const fact = ledgerFacts(project(undefined, registered))[1]; // oppfolgingsbesok 2027
    const v = (stream_version: number, removed = false): LedgerVersion => ({
      ...(removed ? { placement_id: 'p', year: 2027, kind: 'oppfolgingsbesok', removed: true } : fact),
      stream_version,
      recorded_from: `2026-01-0${stream_version}T09:00:00.000Z`,
      recorded_to: null,
    });
    const { rows, firsts } = linkLedgerVersions([v(4), v(2, true), v(1), v(3)]);
    expect(firsts.map((f) => f.stream_version)).toEqual([1]);
    expect(rows.map((r) => [r.stream_version, r.recorded_to])).toEqual([
      [1, '2026-01-02T09:00:00.000Z'],
      [3, '2026-01-04T09:00:00.000Z'],
      [4, null],
    ]);
    // A batch that starts with a tombstone only closes the table's current row.
    const gone = linkLedgerVersions([v(5, true)]);
    expect(gone.rows).toEqual([]);
    expect(gone.firsts).toEqual([expect.objectContaining({ stream_version: 5, removed: true })]);
  });
});
