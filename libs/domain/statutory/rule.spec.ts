import { addDays } from '../calendar/dates.js';
import type { ReductionDecision } from '../plan.js';
import {
  activeDays,
  minimumPerYearOn,
  reducedIntervalDays,
  statutoryPeriod,
  statutoryRequirement,
  yearSegments,
} from './rule.js';

const reduction = (minimumPerYear: number, effectiveFrom: string): ReductionDecision => ({
  kind: 'oppfolgingsbesok',
  minimumPerYear,
  effectiveFrom,
});

describe('year segments', () => {
  it('cuts a package at 1 January', () => {
    const period = statutoryPeriod('2026-07-01', 365);
    expect(period).toEqual({ start: '2026-07-01', end: '2027-06-30' });
    expect(yearSegments(period.start, period.end)).toEqual([
      { year: 2026, start: '2026-07-01', end: '2026-12-31', activeDays: 184, daysInYear: 365 },
      { year: 2027, start: '2027-01-01', end: '2027-06-30', activeDays: 181, daysInYear: 365 },
    ]);
    expect(yearSegments('2026-01-01', '2026-12-31')).toHaveLength(1);
  });
});

describe('statutoryRequirement', () => {
  it('is 4 for a whole year, also a leap year', () => {
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2026-01-01', end: '2026-12-31' }, [])).toBe(4);
    expect(statutoryRequirement('tilsynsbesok', { start: '2028-01-01', end: '2028-12-31' }, [])).toBe(4);
  });

  it('is pro rata, rounded half up (the §8 rule): 2 for the second half of a leap year, 0 under 46 days', () => {
    const req = (start: string, end: string) => statutoryRequirement('oppfolgingsbesok', { start, end }, []);
    expect(req('2026-07-01', '2026-12-31')).toBe(2); // 4 × 184 / 365 = 2.02
    expect(req('2028-07-01', '2028-12-31')).toBe(2); // 4 × 184 / 366 = 2.01
    expect(req('2027-01-01', '2027-06-30')).toBe(2); // 4 × 181 / 365 = 1.98
    expect(req('2027-01-01', '2027-01-01')).toBe(0); // a single day asks no visit of its own
    expect(req('2026-11-16', '2026-12-31')).toBe(1); // 46 days: 0.504
    expect(req('2026-11-17', '2026-12-31')).toBe(0); // 45 days: 0.493
    expect(req('2028-11-16', '2028-12-31')).toBe(1); // 46 of 366: 0.503
    expect(req('2028-11-17', '2028-12-31')).toBe(0);
  });

  it('equals round-half-up(minimum × active days ÷ days in the year) for every segment length', () => {
    for (const year of [2026, 2028]) {
      const days = year === 2028 ? 366 : 365;
      for (const minimum of [1, 2, 3, 4]) {
        const decisions = minimum === 4 ? [] : [reduction(minimum, `${year - 1}-01-01`)];
        for (let length = 1; length <= days; length += 1) {
          const end = addDays(`${year}-01-01`, length - 1);
          // Exact half-up in integers: floor((2·m·L + Y) / (2·Y)).
          const expected = Math.floor((2 * minimum * length + days) / (2 * days));
          const got = statutoryRequirement('oppfolgingsbesok', { start: `${year}-01-01`, end }, decisions);
          if (got !== expected) throw new Error(`${year} ${minimum}/yr ${length} days: ${got} ≠ ${expected}`);
        }
      }
    }
    // The one exact tie (3 a year, 61 days of a leap year: 0.5) rounds up.
    expect(
      statutoryRequirement('oppfolgingsbesok', { start: '2028-01-01', end: '2028-03-01' }, [
        reduction(3, '2027-01-01'),
      ]),
    ).toBe(1);
  });

  it('leaves paused days out', () => {
    const year = { start: '2026-01-01', end: '2026-12-31' };
    const pause = { from: '2026-03-01', to: '2026-05-31' }; // 92 days: 273 active → 2.99
    expect(statutoryRequirement('tilsynsbesok', year, [], [pause])).toBe(3);
    expect(activeDays({ from: year.start, to: year.end }, [pause])).toBe(273);
    expect(activeDays({ from: '2026-04-01', to: '2026-04-30' }, [pause])).toBe(0);
  });

  it('uses a recorded reduction, weighted by the days it is in force', () => {
    expect(
      statutoryRequirement('oppfolgingsbesok', { start: '2026-01-01', end: '2026-12-31' }, [
        reduction(2, '2025-06-01'),
      ]),
    ).toBe(2);
    // 182 days at 4 and 183 days at 2: (728 + 366) / 365 = 2.997…
    expect(
      statutoryRequirement('oppfolgingsbesok', { start: '2026-01-01', end: '2026-12-31' }, [
        reduction(2, '2026-07-02'),
      ]),
    ).toBe(3);
    // A decision for the other kind changes nothing.
    expect(
      statutoryRequirement('tilsynsbesok', { start: '2026-01-01', end: '2026-12-31' }, [
        reduction(2, '2025-06-01'),
      ]),
    ).toBe(4);
  });

  it('lets the latest decision win', () => {
    const decisions = [reduction(2, '2025-01-01'), reduction(4, '2026-01-01'), reduction(3, '2026-01-01')];
    expect(minimumPerYearOn('oppfolgingsbesok', '2025-06-01', decisions)).toBe(2);
    expect(minimumPerYearOn('oppfolgingsbesok', '2026-06-01', decisions)).toBe(3);
    expect(minimumPerYearOn('oppfolgingsbesok', '2024-06-01', decisions)).toBe(4);
  });

  it('refuses a segment that spans years', () => {
    expect(() =>
      statutoryRequirement('oppfolgingsbesok', { start: '2026-12-01', end: '2027-01-31' }, []),
    ).toThrow(RangeError);
  });
});

describe('reducedIntervalDays', () => {
  it('spreads a reduced minimum over the year, never faster than the catalog', () => {
    expect(reducedIntervalDays(91, 2, 'oppfolgingsbesok')).toBe(182);
    expect(reducedIntervalDays(91, 3, 'oppfolgingsbesok')).toBe(121);
    expect(reducedIntervalDays(91, 4, 'oppfolgingsbesok')).toBe(91);
    expect(reducedIntervalDays(200, 3, 'oppfolgingsbesok')).toBe(200);
  });
});
