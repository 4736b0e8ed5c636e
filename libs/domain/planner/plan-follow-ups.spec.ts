import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { planFollowUps } from './plan-follow-ups.js';
import { facts } from './test-support.js';

const calendar = norwegianWorkingDays();

describe('planFollowUps', () => {
  it('plans the supervision report 14 days after each supervision visit', () => {
    const tasks = planFollowUps(
      DEFAULT_CATALOG,
      facts(),
      { stepId: 'tilsynsbesok', occurrence: 3 },
      '2026-06-02',
      calendar,
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      taskId: 'tilsynsrapport#3',
      stepId: 'tilsynsrapport',
      occurrence: 3,
      opensOn: '2026-06-02',
      nominalDueOn: '2026-06-16',
      dueOn: '2026-06-16',
      role: 'kontaktperson',
      requiresCoSignToWaive: true,
    });
    expect(tasks[0].timers.opensAt).toBe('2026-06-02T05:00:00.000Z');
  });

  it('moves a report due on 17 May to the working day before (past Ascension Day)', () => {
    // Completed Sunday 3 May 2026: due Sunday 17 May → Saturday, Friday 15th is a working day.
    const [report] = planFollowUps(
      DEFAULT_CATALOG,
      facts(),
      { stepId: 'tilsynsbesok', occurrence: 1 },
      '2026-05-03',
      calendar,
    );
    expect(report).toMatchObject({ nominalDueOn: '2026-05-17', dueOn: '2026-05-15' });
  });

  it('plans a private talk after each statutory visit for children of 7 and up', () => {
    const visit = { stepId: 'oppfolgingsbesok', occurrence: 2 };
    const talk = planFollowUps(DEFAULT_CATALOG, facts({ childAgeYears: 7 }), visit, '2026-09-01', calendar);
    expect(talk.map((t) => [t.taskId, t.opensOn, t.dueOn])).toEqual([
      ['barnesamtale#2', '2026-09-01', '2026-09-15'],
    ]);
    expect(
      planFollowUps(DEFAULT_CATALOG, facts({ childAgeYears: 6 }), visit, '2026-09-01', calendar),
    ).toEqual([]);
  });

  it('plans nothing after a step that nothing is anchored on', () => {
    expect(
      planFollowUps(
        DEFAULT_CATALOG,
        facts(),
        { stepId: 'veiledning', occurrence: 4 },
        '2026-09-01',
        calendar,
      ),
    ).toEqual([]);
  });

  it('is not cut at the end of the package and uses the given policy', () => {
    const policy = { reminderDaysBefore: 5, escalationDelayDays: 3, packageDays: 365 };
    const [report] = planFollowUps(
      DEFAULT_CATALOG,
      facts(),
      { stepId: 'tilsynsbesok', occurrence: 4 },
      '2027-06-01',
      calendar,
      policy,
    );
    expect(report.dueOn).toBe('2027-06-15');
    expect(report.timers.remindAt).toBe('2027-06-10T05:00:00.000Z');
    expect(report.timers.escalateAt).toBe('2027-06-18T22:00:00.000Z');
  });

  it('rejects a malformed completion', () => {
    expect(() =>
      planFollowUps(
        DEFAULT_CATALOG,
        facts(),
        { stepId: 'tilsynsbesok', occurrence: 0 },
        '2026-06-02',
        calendar,
      ),
    ).toThrow(RangeError);
    expect(() =>
      planFollowUps(
        DEFAULT_CATALOG,
        facts(),
        { stepId: 'tilsynsbesok', occurrence: 1 },
        '2026-06-31',
        calendar,
      ),
    ).toThrow(RangeError);
  });
});
