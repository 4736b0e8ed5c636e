import { nextDailyRun } from './daily.js';

describe('nextDailyRun', () => {
  it('is today when the time has not come yet, else tomorrow', () => {
    expect(nextDailyRun('2026-11-23T05:00:00.000Z', 7, 15)).toEqual({
      date: '2026-11-23',
      at: '2026-11-23T06:15:00.000Z',
    });
    expect(nextDailyRun('2026-11-23T06:15:00.000Z', 7, 15)).toEqual({
      date: '2026-11-24',
      at: '2026-11-24T06:15:00.000Z',
    });
  });

  it('keeps the Oslo wall-clock time across daylight saving', () => {
    expect(nextDailyRun('2026-03-28T12:00:00.000Z', 7, 15).at).toBe('2026-03-29T05:15:00.000Z');
    expect(nextDailyRun('2026-10-24T12:00:00.000Z', 7, 15).at).toBe('2026-10-25T06:15:00.000Z');
  });

  it('skips days that already ran', () => {
    expect(nextDailyRun('2026-11-23T05:00:00.000Z', 7, 15, '2026-11-23').date).toBe('2026-11-24');
    expect(nextDailyRun('2026-11-23T05:00:00.000Z', 7, 15, '2026-11-25').date).toBe('2026-11-26');
  });

  it('uses the Oslo day, not the UTC day, just after midnight', () => {
    // 00:30 in Oslo on the 24th is still the 23rd in UTC.
    expect(nextDailyRun('2026-11-23T23:30:00.000Z', 7, 0)).toEqual({
      date: '2026-11-24',
      at: '2026-11-24T06:00:00.000Z',
    });
  });
});
