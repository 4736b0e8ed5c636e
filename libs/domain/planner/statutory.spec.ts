import type { ReductionDecision } from '../plan.js';
import {
  minimumPerYearOn,
  reducedIntervalDays,
  statutoryPeriod,
  statutoryRequirement,
  yearSegments,
} from './statutory.js';

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

  it('is pro rata, rounded up', () => {
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2026-07-01', end: '2026-12-31' }, [])).toBe(3); // 4×184/365
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2027-01-01', end: '2027-06-30' }, [])).toBe(2); // 4×181/365
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2027-01-01', end: '2027-01-01' }, [])).toBe(1);
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2026-10-03', end: '2026-12-31' }, [])).toBe(1); // 4×90/365
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2026-10-02', end: '2026-12-31' }, [])).toBe(1); // 4×91/365 < 1
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2026-10-01', end: '2026-12-31' }, [])).toBe(2); // 4×92/365 > 1
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
