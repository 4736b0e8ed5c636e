import type { PackageEvent } from '../domain/events.js';
import type { PackageState, TaskState } from '../domain/package/state.js';
import type { PlannedTask, ReductionDecision } from '../domain/plan.js';
import type { IsoDate, StatutoryKind } from '../domain/vocabulary.js';
import {
  changedLedger,
  changedPlacementFact,
  ledgerFacts,
  ledgerMayChange,
  linkLedgerVersions,
  placementFact,
  type LedgerVersion,
} from './adherence.js';
import { inboxStatus, ledgerRows, project, type ProjectedPlacement } from './read-models.js';

const placement = (
  placementDate: IsoDate,
  more: { endedOn?: IsoDate; reductions?: ReductionDecision[]; tasks?: TaskState[] } = {},
): ProjectedPlacement => ({
  package: {
    placementId: 'p',
    childRef: 'c',
    organisation: { serviceId: 's', municipalityId: 'm' },
    facts: { placementType: 'frivillig', placementDate } as PackageState['facts'],
    catalogVersion: '2026.1',
    status: more.endedOn ? 'ended' : 'active',
    tasks: Object.fromEntries((more.tasks ?? []).map((t) => [t.taskId, t])),
    reductions: more.reductions ?? [],
    version: 1,
    registeredAt: '2026-01-01T00:00:00.000Z',
  },
  endedOn: more.endedOn ?? null,
  endReason: more.endedOn ? 'planlagt' : null,
});

const visit = (taskId: string, kind: StatutoryKind, dueOn: IsoDate, more: Partial<TaskState> = {}) =>
  ({ taskId, statutory: kind, dueOn, status: 'planned', ...more }) as TaskState;

const row = (kind: StatutoryKind, year: number, activeDays: number, required: number) => ({
  placement_id: 'p',
  child_ref: 'c',
  service_id: 's',
  municipality_id: 'm',
  year,
  kind,
  active_days: activeDays,
  required,
  planned: 0,
  completed: 0,
  waived: 0,
});

describe('inboxStatus', () => {
  it.each([
    [{ status: 'planned', overdue: false, dueSoon: false }, 'planned'],
    [{ status: 'open', overdue: false, dueSoon: false }, 'open'],
    [{ status: 'open', overdue: false, dueSoon: true }, 'due-soon'],
    [{ status: 'open', overdue: true, dueSoon: true }, 'overdue'],
    [{ status: 'completed', overdue: true, dueSoon: true }, 'completed'],
    [{ status: 'waived', overdue: false, dueSoon: false }, 'waived'],
    [{ status: 'cancelled', overdue: true, dueSoon: false }, 'cancelled'],
  ] as const)('%j → %s', (task, status) => expect(inboxStatus(task)).toBe(status));
});

describe('statutory ledger rows', () => {
  it("are the domain ledger of the placement, under the table's column names", () => {
    const tasks = [
      visit('a', 'oppfolgingsbesok', '2026-04-01', { status: 'completed', completedOn: '2026-03-30' }),
      visit('b', 'tilsynsbesok', '2026-05-01'),
    ];
    // 2026-03-01 .. 2027-02-28: 4 × 306 / 365 = 3.35 → 3; 4 × 59 / 365 = 0.65 → 1 (the statutory rule).
    expect(ledgerRows(placement('2026-03-01', { tasks }))).toEqual([
      { ...row('oppfolgingsbesok', 2026, 306, 3), planned: 1, completed: 1 },
      row('oppfolgingsbesok', 2027, 59, 1),
      { ...row('tilsynsbesok', 2026, 306, 3), planned: 1 },
      row('tilsynsbesok', 2027, 59, 1),
    ]);
  });
});

describe('caseworker changes (placement facts for §7.13)', () => {
  const kp = { userId: 'seed', role: 'kontaktperson' as const };
  const base = (): ProjectedPlacement => {
    const p = placement('2026-01-05', {
      tasks: [
        { taskId: 'besok#1', role: 'kontaktperson' } as TaskState,
        { taskId: 'veiledning#1', role: 'fosterhjemsressurs' } as TaskState,
      ],
    });
    return { ...p, caseworker: null, caseworkerChangedOn: [] };
  };
  const assign = (
    p: ProjectedPlacement,
    taskId: string,
    assigneeId: string | null,
    at: string,
    role: TaskState['role'] = 'kontaktperson',
  ) => project(p, { type: 'TaskReassigned', data: { taskId, at, assigneeId, role, by: kp } });

  it('counts a change of person on a caseworker task in days 0–182, not a first assignment', () => {
    let p = base();
    p = assign(p, 'besok#1', 'kp-a', '2026-01-06T09:00:00.000Z'); // first: no change
    p = assign(p, 'besok#1', 'kp-a', '2026-01-07T09:00:00.000Z'); // same person
    p = assign(p, 'besok#1', null, '2026-01-08T09:00:00.000Z'); // back to the pool
    p = assign(p, 'veiledning#1', 'fhr-x', '2026-01-09T09:00:00.000Z', 'fosterhjemsressurs');
    expect(placementFact(p).caseworker_changes_182).toBe(0);
    p = assign(p, 'besok#1', 'kp-b', '2026-02-01T09:00:00.000Z'); // a change
    // Day 182 is 2026-07-06; 23:30 UTC that day is already day 183 in Oslo: after month 6.
    p = assign(p, 'besok#1', 'kp-c', '2026-07-06T23:30:00.000Z');
    expect(p.caseworkerChangedOn).toEqual(['2026-02-01', '2026-07-07']);
    expect(placementFact(p).caseworker_changes_182).toBe(1);
  });

  it('versions the placement facts only when they change', () => {
    const p = base();
    expect(changedPlacementFact(undefined, p)).toMatchObject({ placement_date: '2026-01-05' });
    expect(changedPlacementFact(p, assign(p, 'besok#1', 'kp-a', '2026-01-06T09:00:00.000Z'))).toBeUndefined();
    const ended = project(p, {
      type: 'PlacementEnded',
      data: { endedOn: '2026-03-01', reason: 'brudd', by: kp, at: '2026-03-01T09:00:00.000Z' },
    });
    expect(changedPlacementFact(p, ended)).toMatchObject({ ended_on: '2026-03-01', end_reason: 'brudd' });
  });
});

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
