import { addDays, addMonths, monthEnds, publishedQuarters, todayInOslo } from './dates.js';

describe('calendar dates in the web app', () => {
  it('takes today in Oslo, not in UTC', () => {
    expect(todayInOslo(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(todayInOslo(new Date('2026-06-30T21:59:00Z'))).toBe('2026-06-30');
  });

  it('adds days and months across month and year ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
    expect(addMonths('2026-11-24', -3)).toBe('2026-08-24');
  });

  it('gives the month ends of a period for the backlog chart, the period end last, at most max', () => {
    expect(monthEnds('2026-01-15', '2026-04-10', 6)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-10',
    ]);
    expect(monthEnds('2026-01-01', '2026-03-31', 6)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(monthEnds('2025-01-01', '2026-11-24', 3)).toEqual(['2026-09-30', '2026-10-31', '2026-11-24']);
  });

  it('lists the quarters published to a learning-network lead, newest first', () => {
    // Q3 2026 ends 30 September: with a 30-day lag it is published from 31 October.
    expect(publishedQuarters('2026-10-30', 30, 2).map((q) => q.label)).toEqual([
      '2. kvartal 2026',
      '1. kvartal 2026',
    ]);
    expect(publishedQuarters('2026-10-31', 30, 3)).toEqual([
      { from: '2026-07-01', to: '2026-09-30', label: '3. kvartal 2026' },
      { from: '2026-04-01', to: '2026-06-30', label: '2. kvartal 2026' },
      { from: '2026-01-01', to: '2026-03-31', label: '1. kvartal 2026' },
    ]);
    expect(publishedQuarters('2027-01-15', 30, 2).map((q) => `${q.from}–${q.to}`)).toEqual([
      '2026-07-01–2026-09-30',
      '2026-04-01–2026-06-30',
    ]);
  });
});
