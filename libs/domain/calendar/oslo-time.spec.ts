import fc from 'fast-check';
import { addDays, dayOfWeek } from './dates.js';
import { osloInstant, osloWallClock } from './oslo-time.js';

/** Last Sunday of a month: the EU daylight-saving change days (March and October). */
function lastSunday(year: number, month: 3 | 10): string {
  let day = addDays(`${year}-${month === 3 ? '04' : '11'}-01`, -1);
  while (dayOfWeek(day) !== 7) day = addDays(day, -1);
  return day;
}

describe('osloInstant', () => {
  it('uses UTC+1 in winter and UTC+2 in summer', () => {
    expect(osloInstant('2026-01-15', 7)).toBe('2026-01-15T06:00:00.000Z');
    expect(osloInstant('2026-07-15', 7)).toBe('2026-07-15T05:00:00.000Z');
    expect(osloInstant('2026-07-15', 0)).toBe('2026-07-14T22:00:00.000Z');
    expect(osloInstant('2026-07-15', 13, 30)).toBe('2026-07-15T11:30:00.000Z');
  });

  it('is right on the daylight-saving change days themselves', () => {
    expect(lastSunday(2026, 3)).toBe('2026-03-29');
    expect(lastSunday(2026, 10)).toBe('2026-10-25');
    // Spring forward at 02:00: midnight is still winter time, 07:00 already summer time.
    expect(osloInstant('2026-03-29', 0)).toBe('2026-03-28T23:00:00.000Z');
    expect(osloInstant('2026-03-29', 7)).toBe('2026-03-29T05:00:00.000Z');
    // Fall back at 03:00: midnight is summer time, 07:00 winter time.
    expect(osloInstant('2026-10-25', 0)).toBe('2026-10-24T22:00:00.000Z');
    expect(osloInstant('2026-10-25', 7)).toBe('2026-10-25T06:00:00.000Z');
  });

  it('gives 07:00 and 00:00 wall-clock on every change day 2025–2035', () => {
    for (let year = 2025; year <= 2035; year += 1) {
      for (const day of [lastSunday(year, 3), lastSunday(year, 10)]) {
        expect(osloWallClock(osloInstant(day, 7))).toEqual({ date: day, hour: 7, minute: 0 });
        expect(osloWallClock(osloInstant(day, 0))).toEqual({ date: day, hour: 0, minute: 0 });
        expect(osloWallClock(osloInstant(addDays(day, 1), 0))).toEqual({
          date: addDays(day, 1),
          hour: 0,
          minute: 0,
        });
      }
    }
  });

  it('rolls a non-existent spring-forward time forward', () => {
    expect(osloWallClock(osloInstant('2026-03-29', 2, 30))).toEqual({
      date: '2026-03-29',
      hour: 3,
      minute: 30,
    });
  });

  it('rejects invalid times', () => {
    expect(() => osloInstant('2026-01-01', 24)).toThrow(RangeError);
    expect(() => osloInstant('2026-01-01', 7, 60)).toThrow(RangeError);
    expect(() => osloInstant('2026-02-30', 7)).toThrow(RangeError);
    expect(() => osloWallClock('not an instant')).toThrow(RangeError);
  });

  it('round-trips through the Oslo wall clock (property)', () => {
    const date = fc.integer({ min: 0, max: 4017 }).map((n) => addDays('2025-01-01', n));
    const hour = fc.integer({ min: 0, max: 23 }).filter((h) => h !== 2); // 02:xx is skipped or doubled on change days
    fc.assert(
      fc.property(date, hour, fc.integer({ min: 0, max: 59 }), (day, h, m) => {
        expect(osloWallClock(osloInstant(day, h, m))).toEqual({ date: day, hour: h, minute: m });
      }),
      { numRuns: 200 },
    );
  });
});
