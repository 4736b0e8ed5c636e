import { occurrenceDays } from './occurrences.js';

describe('occurrenceDays', () => {
  it('gives a single day without recurrence, none after the package', () => {
    expect(occurrenceDays(-7, undefined, 365)).toEqual([-7]);
    expect(occurrenceDays(400, undefined, 365)).toEqual([]);
  });

  it('repeats until the package ends', () => {
    expect(occurrenceDays(91, { intervalDays: 91 }, 365)).toEqual([91, 182, 273, 364]);
    expect(occurrenceDays(30, { intervalDays: 91 }, 365)).toEqual([30, 121, 212, 303]);
    expect(occurrenceDays(30, { intervalDays: 30 }, 365)).toHaveLength(12);
  });

  it('respects untilDay and count', () => {
    expect(occurrenceDays(0, { intervalDays: 10, untilDay: 25 }, 365)).toEqual([0, 10, 20]);
    expect(occurrenceDays(0, { intervalDays: 10, count: 2 }, 365)).toEqual([0, 10]);
  });

  it('moves through phases: veiledning every 14 days to day 90, then every 30 days to day 365', () => {
    const days = occurrenceDays(
      14,
      { intervalDays: 14, untilDay: 90, phases: [{ intervalDays: 30, untilDay: 365 }] },
      365,
    );
    expect(days).toEqual([14, 28, 42, 56, 70, 84, 114, 144, 174, 204, 234, 264, 294, 324, 354]);
  });

  it('lets an interval rule lengthen the cadence', () => {
    expect(
      occurrenceDays(91, { intervalDays: 91 }, 365, (base, previous) => (previous >= 182 ? 182 : base)),
    ).toEqual([91, 182, 364]);
  });
});
