import type { TaskState } from '../../domain/package/state.js';
import type { IsoDate, StatutoryKind } from '../../domain/vocabulary.js';
import { ledgerRows } from './statutory-ledger.js';
import { placement } from './test-support.js';

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
