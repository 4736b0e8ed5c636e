import { addDays } from '../calendar/dates.js';
import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { childAgeOn, wholeYearsBetween } from './child-age.js';
import { planFollowUps } from './plan-follow-ups.js';
import { facts } from './test-support.js';

const calendar = norwegianWorkingDays();

describe('the child’s age in a later year', () => {
  it('counts whole years since the placement date', () => {
    expect(wholeYearsBetween('2026-03-02', '2026-03-01')).toBe(0);
    expect(wholeYearsBetween('2026-03-02', '2027-03-01')).toBe(0);
    expect(wholeYearsBetween('2026-03-02', '2027-03-02')).toBe(1);
    expect(wholeYearsBetween('2026-03-02', '2030-12-31')).toBe(4);
    expect(wholeYearsBetween('2024-02-29', '2025-02-28')).toBe(0);
    expect(wholeYearsBetween('2024-02-29', '2025-03-01')).toBe(1);
    expect(wholeYearsBetween('2024-02-29', '2028-02-29')).toBe(4);
    expect(wholeYearsBetween('2026-03-02', '2025-01-01')).toBe(0);
    expect(childAgeOn({ childAgeYears: 5, placementDate: '2026-03-02' }, '2028-03-02')).toBe(7);
  });

  it('a child of 5 at placement gets the private talk after an ordinary visit once 7, not before', () => {
    const f = facts({ childAgeYears: 5, placementDate: '2026-03-02' });
    const visit = { stepId: 'ordinaer-oppfolgingsbesok', occurrence: 202801 };
    const talkAfter = (completedOn: string) =>
      planFollowUps(DEFAULT_CATALOG, f, visit, completedOn, calendar).map((t) => t.taskId);
    expect(talkAfter(addDays('2028-03-02', -1))).toEqual([]); // still 6 by the placement's count
    expect(talkAfter('2028-03-02')).toEqual(['ordinaer-barnesamtale#202801']);
    expect(talkAfter('2030-06-15')).toEqual(['ordinaer-barnesamtale#202801']);
    // A child of 6 at placement: 7 a year later.
    const young = facts({ childAgeYears: 6, placementDate: '2026-03-02' });
    expect(planFollowUps(DEFAULT_CATALOG, young, visit, '2027-03-02', calendar).map((t) => t.taskId)).toEqual(
      ['ordinaer-barnesamtale#202801'],
    );
  });
});
