import type { PackageState, TaskState } from '../domain/package/state.js';
import type { ReductionDecision } from '../domain/plan.js';
import type { IsoDate, StatutoryKind } from '../domain/vocabulary.js';
import { activePeriod, inboxStatus, ledgerRows, type ProjectedPlacement } from './read-models.js';

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

const required = (p: ProjectedPlacement, kind: StatutoryKind) =>
  ledgerRows(p)
    .filter((r) => r.kind === kind)
    .map((r) => [r.year, r.active_days, r.required]);

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

describe('statutory ledger', () => {
  it('asks 4 of a package that fills one calendar year', () => {
    expect(activePeriod(placement('2026-01-01'))).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(required(placement('2026-01-01'), 'oppfolgingsbesok')).toEqual([[2026, 365, 4]]);
  });

  it('shares a package over two years pro rata (rounding up in each)', () => {
    // 2026-03-01 .. 2027-02-28: 306 + 59 days; ceil(4 × 306 / 365) = 4, ceil(4 × 59 / 365) = 1.
    expect(required(placement('2026-03-01'), 'tilsynsbesok')).toEqual([
      [2026, 306, 4],
      [2027, 59, 1],
    ]);
  });

  it('stops at the end date (inclusive) and has nothing when it ended before it began', () => {
    expect(required(placement('2026-01-01', { endedOn: '2026-01-01' }), 'oppfolgingsbesok')).toEqual([
      [2026, 1, 1],
    ]);
    expect(ledgerRows(placement('2026-05-01', { endedOn: '2026-04-30' }))).toEqual([]);
  });

  it('weighs a mid-year reduction by the days it is in force, for its kind only', () => {
    const reductions: ReductionDecision[] = [
      { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2026-07-01' },
    ];
    // 181 days at 4 and 184 at 2 = 1092 visit-days; ceil(1092 / 365) = 3.
    expect(required(placement('2026-01-01', { reductions }), 'oppfolgingsbesok')).toEqual([[2026, 365, 3]]);
    expect(required(placement('2026-01-01', { reductions }), 'tilsynsbesok')).toEqual([[2026, 365, 4]]);
  });

  it('counts tasks by due year (completions by completion year), cancelled ones not at all', () => {
    const tasks = [
      visit('a', 'oppfolgingsbesok', '2026-12-20', { status: 'completed', completedOn: '2027-01-03' }),
      visit('b', 'oppfolgingsbesok', '2026-10-01', { status: 'waived' }),
      visit('c', 'oppfolgingsbesok', '2026-11-01', { status: 'cancelled' }),
      visit('d', 'tilsynsbesok', '2028-02-01'),
    ];
    const rows = ledgerRows(placement('2026-06-01', { tasks }));
    expect(rows.map((r) => [r.kind, r.year, r.planned, r.completed, r.waived])).toEqual([
      ['oppfolgingsbesok', 2026, 2, 0, 1],
      ['oppfolgingsbesok', 2027, 0, 1, 0],
      ['tilsynsbesok', 2026, 0, 0, 0],
      ['tilsynsbesok', 2027, 0, 0, 0],
      // Due outside the active period: counted, with nothing required.
      ['tilsynsbesok', 2028, 1, 0, 0],
    ]);
    expect(rows.find((r) => r.year === 2028)).toMatchObject({ active_days: 0, required: 0 });
  });
});
