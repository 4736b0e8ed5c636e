import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import type { PlannedTask } from '../plan.js';
import { statutoryRequirement } from '../statutory/rule.js';
import type { PlacementType } from '../vocabulary.js';
import { planFollowUps } from './plan-follow-ups.js';
import { planPackage } from './plan-package.js';
import { facts, task } from './test-support.js';

/**
 * The cases found on 2026-12-05 (issue 12), each as planned now. Each of these failed on the planner of
 * that day; the sweep (plan-package.sweep.spec.ts) checks the rules behind them on every date.
 */
const calendar = norwegianWorkingDays();
const plan = (placementDate: string, placementType: PlacementType = 'omsorgsovertakelse') =>
  planPackage(DEFAULT_CATALOG, { facts: facts({ placementDate, placementType }), reductions: [] }, calendar);
const visits = (tasks: readonly PlannedTask[]) =>
  tasks.filter((t) => t.statutory).map((t) => `${t.taskId} ${t.dueOn}`);

describe('found on 2026-12-05: one statutory rule', () => {
  it('asks 4 visits of a whole leap year, none of a single day, none of a segment under 46 days', () => {
    const req = (start: string, end: string) => statutoryRequirement('tilsynsbesok', { start, end }, []);
    expect(req('2028-01-01', '2028-12-31')).toBe(4);
    expect(req('2027-01-01', '2027-01-01')).toBe(0);
    expect(req('2026-11-17', '2026-12-31')).toBe(0);
  });

  it('2027-07-03: two of each kind of visit in the 2028 part of the package, as the rule asks', () => {
    const in2028 = plan('2027-07-03').filter((t) => t.statutory && t.dueOn >= '2028-01-01');
    expect(statutoryRequirement('oppfolgingsbesok', { start: '2028-01-01', end: '2028-07-01' }, [])).toBe(2);
    expect(in2028.filter((t) => t.statutory === 'oppfolgingsbesok')).toHaveLength(2);
    expect(in2028.filter((t) => t.statutory === 'tilsynsbesok')).toHaveLength(2);
  });
});

describe('found on 2026-12-05: visits nobody can make', () => {
  it('2026-12-31: no visit due on the move-in day', () => {
    expect(plan('2026-12-31').filter((t) => t.statutory && t.dueOn <= '2026-12-31')).toEqual([]);
  });

  it('2026-01-02: no visit due on New Year’s Day 2027; oppfolgingsbesok#4 on the last working day before', () => {
    const tasks = plan('2026-01-02');
    expect(tasks.filter((t) => t.statutory && t.dueOn === '2027-01-01')).toEqual([]);
    // Its nominal day is New Year's Day and New Year's Eve is a closure day: Wednesday 30 December, in
    // its 30-day window. 2027's one day of the package asks no visit, so nothing replaces it there.
    expect(task(tasks, 'oppfolgingsbesok#4')).toMatchObject({
      nominalDueOn: '2027-01-01',
      dueOn: '2026-12-30',
    });
    expect(visits(tasks).filter((v) => v.startsWith('oppfolgingsbesok#5'))).toEqual([]);
  });

  it('2028-12-30: no visit on the Saturday of the move-in', () => {
    expect(plan('2028-12-30').filter((t) => t.statutory && t.dueOn <= '2028-12-31')).toEqual([]);
  });

  it('2026-12-18: no supervision visit before the supervisor is due to be appointed', () => {
    const tasks = plan('2026-12-18');
    const appointed = task(tasks, 'tilsyn-organisert#1').dueOn;
    expect(appointed).toBe('2026-12-30'); // day 14 is New Year's Day; the 31st is a closure day
    expect(tasks.filter((t) => t.statutory === 'tilsynsbesok' && t.dueOn <= appointed)).toEqual([]);
    expect(tasks.filter((t) => t.dueOn === '2026-12-24')).toEqual([]);
  });

  it('2025-01-02: five follow-up visits in the package, not six', () => {
    expect(visits(plan('2025-01-02')).filter((v) => !v.startsWith('tilsyn'))).toEqual([
      'besok-uke1#1 2025-01-09',
      'oppfolgingsbesok#1 2025-04-03',
      'oppfolgingsbesok#2 2025-07-03',
      'oppfolgingsbesok#3 2025-10-02',
      'oppfolgingsbesok#4 2025-12-30',
    ]);
  });
});

describe('found on 2026-12-05: later than the rule allows', () => {
  it('kontakt-dag1 on Good Friday 2027 stays on Good Friday (not Tuesday 30 March)', () => {
    expect(task(plan('2027-03-25'), 'kontakt-dag1#1')).toMatchObject({
      nominalDueOn: '2027-03-26',
      dueOn: '2027-03-26',
    });
  });

  it('kontakt-dag1 on Sunday 2028-12-31 stays there (not 2 January 2029)', () => {
    expect(task(plan('2028-12-30'), 'kontakt-dag1#1')).toMatchObject({
      nominalDueOn: '2028-12-31',
      dueOn: '2028-12-31',
    });
  });
});

describe('found on 2026-12-05: the first visit and emergencies', () => {
  it('a private talk with the child follows the first-week visit too', () => {
    const tasks = plan('2026-12-18');
    const first = task(tasks, 'besok-uke1#1');
    const talks = planFollowUps(
      DEFAULT_CATALOG,
      facts({ placementDate: '2026-12-18' }),
      first,
      first.dueOn,
      calendar,
    );
    expect(talks.map((t) => [t.taskId, t.follows])).toEqual([['barnesamtale#besok-uke1.1', 'besok-uke1#1']]);
  });

  it('an emergency placement’s school handover is due after the move-in, not the day before', () => {
    expect(task(plan('2026-01-01', 'akutt'), 'skole-barnehage#1')).toMatchObject({
      nominalDueOn: '2026-01-08',
      dueOn: '2026-01-08',
    });
  });
});
