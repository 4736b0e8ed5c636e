import type { PackageState, TaskState } from '../package/state.js';
import type { ReductionDecision } from '../plan.js';
import type { IsoDate, StatutoryKind } from '../vocabulary.js';
import { activePeriod, statutoryLedger } from './ledger.js';

const visit = (taskId: string, kind: StatutoryKind, dueOn: IsoDate, more: Partial<TaskState> = {}) =>
  ({ taskId, statutory: kind, dueOn, status: 'planned', ...more }) as TaskState;

const state = (
  placementDate: IsoDate,
  more: Partial<Pick<PackageState, 'reductions' | 'status' | 'pausedFrom' | 'pauses'>> & {
    tasks?: TaskState[];
  } = {},
): PackageState => ({
  placementId: 'p',
  childRef: 'c',
  organisation: { serviceId: 's', municipalityId: 'm' },
  facts: { placementType: 'frivillig', placementDate } as PackageState['facts'],
  catalogVersion: '2026.2',
  status: more.status ?? 'active',
  ...(more.pausedFrom ? { pausedFrom: more.pausedFrom } : {}),
  ...(more.pauses ? { pauses: more.pauses } : {}),
  tasks: Object.fromEntries((more.tasks ?? []).map((t) => [t.taskId, t])),
  reductions: more.reductions ?? [],
  version: 1,
  registeredAt: '2026-01-01T00:00:00.000Z',
});

/** [year, active days, required] of one duty, for the years the period touches. */
const required = (s: PackageState, kind: StatutoryKind, endedOn: IsoDate | null = null) =>
  statutoryLedger(s, endedOn)
    .filter((r) => r.kind === kind)
    .map((r) => [r.year, r.activeDays, r.required]);

describe('statutoryLedger: the one statutory rule over a placement', () => {
  it('asks exactly 4 of a package that fills one calendar year, a leap year too', () => {
    expect(activePeriod(state('2026-01-01'), null)).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(required(state('2026-01-01'), 'oppfolgingsbesok')).toEqual([[2026, 365, 4]]);
    expect(required(state('2028-01-01'), 'tilsynsbesok')).toEqual([
      [2028, 365, 4], // 365 of 366 days: 3.99 → 4
    ]);
  });

  it('shares a package over two years pro rata, rounding half up in each', () => {
    // 2026-03-01 .. 2027-02-28: 4 × 306 / 365 = 3.35 → 3; 4 × 59 / 365 = 0.65 → 1.
    expect(required(state('2026-03-01'), 'tilsynsbesok')).toEqual([
      [2026, 306, 3],
      [2027, 59, 1],
    ]);
    // 2027-07-03 .. 2028-07-01: 4 × 182 / 365 = 1.99 → 2; 4 × 183 / 366 = 2.00 → 2.
    expect(required(state('2027-07-03'), 'oppfolgingsbesok')).toEqual([
      [2027, 182, 2],
      [2028, 183, 2],
    ]);
  });

  it('asks nothing of a segment under 46 days, and stops at the end date (inclusive)', () => {
    // 2026-11-17 .. 2027-11-16: 45 days in 2026 → 0.49 → 0; 46 in 2026 from 11-16 → 0.50 → 1.
    expect(required(state('2026-11-17'), 'tilsynsbesok')[0]).toEqual([2026, 45, 0]);
    expect(required(state('2026-11-16'), 'tilsynsbesok')[0]).toEqual([2026, 46, 1]);
    expect(required(state('2026-01-01'), 'oppfolgingsbesok', '2026-01-01')).toEqual([[2026, 1, 0]]);
    expect(statutoryLedger(state('2026-05-01'), '2026-04-30')).toEqual([]);
  });

  it('weighs a mid-year reduction by the days it is in force, for its kind only', () => {
    const reductions: ReductionDecision[] = [
      { kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2026-07-01' },
    ];
    // 181 days at 4 and 184 at 2 = 1092 visit-days; 1092 / 365 = 2.99 → 3.
    expect(required(state('2026-01-01', { reductions }), 'oppfolgingsbesok')).toEqual([[2026, 365, 3]]);
    expect(required(state('2026-01-01', { reductions }), 'tilsynsbesok')).toEqual([[2026, 365, 4]]);
  });

  it('leaves the days of a finished pause out and makes the period as much longer', () => {
    // Paused 1 March – 31 May (92 days), resumed 1 June: 2026 counts 273 days → 2.99 → 3, and the
    // package runs 92 days into 2027 → 1.01 → 1.
    const resumed = state('2026-01-01', { pauses: [{ from: '2026-03-01', to: '2026-05-31' }] });
    expect(required(resumed, 'oppfolgingsbesok')).toEqual([
      [2026, 273, 3],
      [2027, 92, 1],
    ]);
    // Still paused since 1 July: the pause counts once it ends (its length is not known before).
    const paused = state('2026-01-01', { status: 'paused', pausedFrom: '2026-07-01' });
    expect(required(paused, 'tilsynsbesok')).toEqual([[2026, 365, 4]]);
  });

  it('requires no supervision of a child placed at 18 or older', () => {
    const adult = { ...state('2026-01-01'), facts: { ...state('2026-01-01').facts, childAgeYears: 18 } };
    expect(required(adult, 'tilsynsbesok')).toEqual([[2026, 365, 0]]);
    expect(required(adult, 'oppfolgingsbesok')).toEqual([[2026, 365, 4]]);
  });

  it('counts tasks by due year (completions by completion year), cancelled ones not at all', () => {
    const tasks = [
      visit('a', 'oppfolgingsbesok', '2026-12-20', { status: 'completed', completedOn: '2027-01-03' }),
      visit('b', 'oppfolgingsbesok', '2026-10-01', { status: 'waived' }),
      visit('c', 'oppfolgingsbesok', '2026-11-01', { status: 'cancelled' }),
      visit('d', 'tilsynsbesok', '2028-02-01'),
    ];
    const rows = statutoryLedger(state('2026-06-01', { tasks }), null);
    expect(rows.map((r) => [r.kind, r.year, r.planned, r.completed, r.waived])).toEqual([
      ['oppfolgingsbesok', 2026, 2, 0, 1],
      ['oppfolgingsbesok', 2027, 0, 1, 0],
      ['tilsynsbesok', 2026, 0, 0, 0],
      ['tilsynsbesok', 2027, 0, 0, 0],
      // Due outside the active period: counted, with nothing required.
      ['tilsynsbesok', 2028, 1, 0, 0],
    ]);
    expect(rows.find((r) => r.year === 2028)).toMatchObject({ activeDays: 0, required: 0 });
  });
});
