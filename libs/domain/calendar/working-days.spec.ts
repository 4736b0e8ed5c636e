import fc from 'fast-check';
import { addDays } from './dates.js';
import { moveToWorkingDay, norwegianPublicHolidays, norwegianWorkingDays } from './working-days.js';

const calendar = norwegianWorkingDays();

describe('Norwegian working days', () => {
  it('lists the public holidays of 2026 (not julaften/nyttårsaften or observances)', () => {
    expect([...norwegianPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-02', // skjærtorsdag
      '2026-04-03', // langfredag
      '2026-04-05', // første påskedag
      '2026-04-06', // andre påskedag
      '2026-05-01',
      '2026-05-14', // Kristi himmelfartsdag
      '2026-05-17',
      '2026-05-24', // første pinsedag
      '2026-05-25', // andre pinsedag
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('follows Easter from year to year', () => {
    expect(norwegianPublicHolidays(2027).has('2027-03-29')).toBe(true); // andre påskedag 2027
    expect(norwegianPublicHolidays(2035).has('2035-03-26')).toBe(true); // andre påskedag 2035
  });

  it('treats weekends and public holidays as non-working days', () => {
    expect(calendar.isWorkingDay('2026-05-18')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-05-16')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2027-05-17')).toBe(false); // 17 May on a Monday
    expect(calendar.isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(calendar.isWorkingDay('2026-12-24')).toBe(true); // julaften is a bank day, not a public holiday
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
  });
});

describe('moveToWorkingDay', () => {
  it('keeps a working day', () => {
    expect(moveToWorkingDay('2026-05-18', '2026-05-01', calendar)).toBe('2026-05-18');
  });

  it('moves 17 May to the working day before it', () => {
    expect(moveToWorkingDay('2027-05-17', '2027-05-03', calendar)).toBe('2027-05-14');
  });

  it('moves past the whole Easter holiday to the Wednesday before', () => {
    expect(moveToWorkingDay('2026-04-06', '2026-03-23', calendar)).toBe('2026-04-01');
  });

  it('moves Christmas Day to julaften', () => {
    expect(moveToWorkingDay('2026-12-25', '2026-12-11', calendar)).toBe('2026-12-24');
    expect(moveToWorkingDay('2026-12-26', '2026-12-11', calendar)).toBe('2026-12-24');
  });

  it('never moves before the task opens: then it moves to the next working day', () => {
    expect(moveToWorkingDay('2026-04-06', '2026-04-02', calendar)).toBe('2026-04-07');
    expect(moveToWorkingDay('2026-05-17', '2026-05-16', calendar)).toBe('2026-05-18');
    expect(moveToWorkingDay('2026-12-26', '2026-12-25', calendar)).toBe('2026-12-28');
  });

  it('lands on the nearest allowed working day (property)', () => {
    const date = fc.integer({ min: 0, max: 4017 }).map((n) => addDays('2025-01-01', n));
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 30 }), (nominal, window) => {
        const opensOn = addDays(nominal, -window);
        const due = moveToWorkingDay(nominal, opensOn, calendar);
        expect(calendar.isWorkingDay(due)).toBe(true);
        if (due > nominal) {
          for (let d = opensOn; d <= nominal; d = addDays(d, 1)) expect(calendar.isWorkingDay(d)).toBe(false);
          for (let d = addDays(nominal, 1); d < due; d = addDays(d, 1))
            expect(calendar.isWorkingDay(d)).toBe(false);
        } else {
          expect(due >= opensOn).toBe(true);
          for (let d = addDays(due, 1); d <= nominal; d = addDays(d, 1))
            expect(calendar.isWorkingDay(d)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
