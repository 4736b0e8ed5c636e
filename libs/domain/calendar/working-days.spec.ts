import { addDays } from './dates.js';
import {
  latestWorkingDay,
  moveToWorkingDay,
  norwegianPublicHolidays,
  norwegianWorkingDays,
} from './working-days.js';

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

  it('treats weekends, public holidays, Christmas Eve and New Year’s Eve as non-working days', () => {
    expect(calendar.isWorkingDay('2026-05-18')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-05-16')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2027-05-17')).toBe(false); // 17 May on a Monday
    expect(calendar.isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    // julaften and nyttårsaften are bank days, not public holidays, but half days in public services.
    expect(calendar.isWorkingDay('2026-12-24')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-31')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-23')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
  });

  it('adds a service’s own closure days to the defaults', () => {
    const service = norwegianWorkingDays({ closureDays: ['2026-07-06', '2026-12-28'] });
    expect(service.isWorkingDay('2026-07-06')).toBe(false);
    expect(service.isWorkingDay('2026-12-28')).toBe(false);
    expect(service.isWorkingDay('2026-07-07')).toBe(true);
    expect(calendar.isWorkingDay('2026-07-06')).toBe(true);
    expect(() => norwegianWorkingDays({ closureDays: ['2026-02-30'] })).toThrow(RangeError);
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

  it('moves Christmas Day past julaften to the 23rd, and New Year’s Day past nyttårsaften', () => {
    expect(moveToWorkingDay('2026-12-25', '2026-12-11', calendar)).toBe('2026-12-23');
    expect(moveToWorkingDay('2026-12-26', '2026-12-11', calendar)).toBe('2026-12-23');
    expect(moveToWorkingDay('2027-01-01', '2026-12-18', calendar)).toBe('2026-12-30');
  });

  it('never moves before the task opens, and never later: then it stays on its nominal day', () => {
    expect(moveToWorkingDay('2026-04-06', '2026-04-02', calendar)).toBe('2026-04-06');
    expect(moveToWorkingDay('2026-05-17', '2026-05-16', calendar)).toBe('2026-05-17');
    // The day-1 call on Good Friday 2027, opened on Maundy Thursday: not moved to Tuesday 30 March.
    expect(moveToWorkingDay('2027-03-26', '2027-03-25', calendar)).toBe('2027-03-26');
    // …and on Sunday 31 December 2028: not moved to 2 January 2029.
    expect(moveToWorkingDay('2028-12-31', '2028-12-30', calendar)).toBe('2028-12-31');
  });

  it('lands on the nearest earlier working day in the window, else the nominal day (every date 2025–2035, windows 0–30)', () => {
    const problems: string[] = [];
    for (let nominal = '2025-01-01'; nominal <= '2035-12-31'; nominal = addDays(nominal, 1)) {
      for (let window = 0; window <= 30; window += 1) {
        const opensOn = addDays(nominal, -window);
        const due = moveToWorkingDay(nominal, opensOn, calendar);
        const fail = (why: string) => problems.push(`${nominal} window ${window} → ${due}: ${why}`);
        if (due > nominal) fail('later than nominal');
        else if (!calendar.isWorkingDay(due)) {
          if (due !== nominal) fail('a non-working day other than the nominal one');
          else if (latestWorkingDay(opensOn, nominal, calendar)) fail('the window had a working day');
        } else {
          if (due < opensOn) fail('before the task opens');
          if (latestWorkingDay(addDays(due, 1), nominal, calendar))
            fail('not the nearest earlier working day');
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
