import { norwegianWorkingDays } from '../calendar/working-days.js';
import { statutoryRisk, type StatutoryStanding } from './risk.js';

const calendar = norwegianWorkingDays();
const standing = (over: Partial<StatutoryStanding> = {}): StatutoryStanding => ({
  required: 4,
  completed: 2,
  plannedAhead: 2,
  overdue: 0,
  lastDay: '2026-12-31',
  ...over,
});

describe('statutoryRisk', () => {
  it('is on track with enough visits planned ahead and none overdue', () => {
    // Two remain: the last can wait until the year's last day, the first a week before it (24 December
    // is a closure day: the 23rd).
    expect(statutoryRisk(standing(), '2026-06-01', calendar)).toEqual({ remaining: 2, saveBy: '2026-12-23' });
  });

  it('warns (risiko) of an overdue visit, or of too few planned ahead', () => {
    expect(statutoryRisk(standing({ overdue: 1 }), '2026-06-01', calendar).level).toBe('risiko');
    expect(statutoryRisk(standing({ plannedAhead: 1 }), '2026-06-01', calendar).level).toBe('risiko');
  });

  it('is critical within 30 days of the save-by day and breached after it', () => {
    // Three remain: save-by 14 days before 31 December, a Thursday.
    const three = standing({ completed: 1, plannedAhead: 3 });
    expect(statutoryRisk(three, '2026-11-17', calendar)).toEqual({
      remaining: 3,
      saveBy: '2026-12-17',
      level: 'kritisk',
    });
    expect(statutoryRisk(three, '2026-11-16', calendar).level).toBeUndefined();
    expect(statutoryRisk(three, '2026-12-17', calendar).level).toBe('kritisk');
    expect(statutoryRisk(three, '2026-12-18', calendar).level).toBe('brutt');
  });

  it('moves the save-by day back to a working day and stops at the placement’s end', () => {
    // One remains, the placement ended on Sunday 2026-05-17 (also Constitution Day): Friday the 15th.
    expect(
      statutoryRisk(standing({ completed: 3, lastDay: '2026-05-17' }), '2026-01-05', calendar).saveBy,
    ).toBe('2026-05-15');
  });

  it('has nothing to warn of when the year’s requirement is met', () => {
    expect(statutoryRisk(standing({ completed: 4, plannedAhead: 0 }), '2026-12-30', calendar)).toEqual({
      remaining: 0,
      saveBy: '2026-12-30',
    });
  });
});
