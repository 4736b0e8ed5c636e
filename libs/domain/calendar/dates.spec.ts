import fc from 'fast-check';
import {
  addDays,
  compareDates,
  dayOfWeek,
  daysInYear,
  diffDays,
  isIsoDate,
  maxDate,
  minDate,
  yearOf,
} from './dates.js';

describe('IsoDate helpers', () => {
  it('recognises real calendar dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('2026-01-01T00:00:00Z')).toBe(false);
    expect(isIsoDate(20260101)).toBe(false);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // DST change day in Oslo
  });

  it('rejects malformed input loudly', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-02-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('1000-01-01', -1)).toThrow(RangeError);
    expect(() => diffDays('2026-01-01', '2026-1-2')).toThrow(RangeError);
  });

  it('counts whole days between dates', () => {
    expect(diffDays('2026-01-01', '2027-01-01')).toBe(365);
    expect(diffDays('2028-01-01', '2029-01-01')).toBe(366);
    expect(diffDays('2026-10-26', '2026-10-24')).toBe(-2);
  });

  it('gives ISO weekdays', () => {
    expect(dayOfWeek('2026-05-17')).toBe(7); // Sunday
    expect(dayOfWeek('2026-05-18')).toBe(1); // Monday
    expect(dayOfWeek('2027-05-17')).toBe(1);
  });

  it('knows years and their length', () => {
    expect(yearOf('2031-07-04')).toBe(2031);
    expect(daysInYear(2028)).toBe(366);
    expect(daysInYear(2100)).toBe(365);
    expect(daysInYear(2000)).toBe(366);
    expect(minDate('2026-01-02', '2025-12-31')).toBe('2025-12-31');
    expect(maxDate('2026-01-02', '2025-12-31')).toBe('2026-01-02');
    expect(['2026-02-01', '2025-12-31', '2026-01-15'].sort(compareDates)).toEqual([
      '2025-12-31',
      '2026-01-15',
      '2026-02-01',
    ]);
  });

  it('addDays and diffDays are inverse (property)', () => {
    const date = fc.integer({ min: 0, max: 4017 }).map((n) => addDays('2025-01-01', n));
    fc.assert(
      fc.property(date, fc.integer({ min: -800, max: 800 }), (from, n) => {
        expect(diffDays(from, addDays(from, n))).toBe(n);
        expect(isIsoDate(addDays(from, n))).toBe(true);
        expect(dayOfWeek(addDays(from, 7))).toBe(dayOfWeek(from));
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the JavaScript Date in UTC over four centuries (property)', () => {
    const DAY_MS = 86_400_000;
    const viaDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const start = Date.UTC(1800, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 146_097 }), fc.integer({ min: -1000, max: 1000 }), (n, delta) => {
        const date = viaDate(start + n * DAY_MS);
        expect(isIsoDate(date)).toBe(true);
        expect(addDays(date, delta)).toBe(viaDate(start + (n + delta) * DAY_MS));
        const sundayZero = new Date(start + n * DAY_MS).getUTCDay();
        expect(dayOfWeek(date)).toBe(sundayZero === 0 ? 7 : sundayZero);
      }),
      { numRuns: 500 },
    );
  });
});
