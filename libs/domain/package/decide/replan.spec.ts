import { addDays } from '../../calendar/dates.js';
import { norwegianWorkingDays } from '../../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../catalog/default-catalog.js';
import { planPackage } from '../../planner/plan-package.js';
import { facts } from '../../planner/test-support.js';
import type { IsoDate } from '../../vocabulary.js';
import { fold, type PackageState } from '../state.js';
import { caseworker, packageWith, task } from '../test-support.js';
import { diffPlan, replanEvents, rescheduled } from './replan.js';
import { decideTick } from './time.js';

const calendar = norwegianWorkingDays();
const plan = (placementDate: IsoDate) =>
  planPackage(DEFAULT_CATALOG, { facts: facts({ placementDate }), reductions: [] }, calendar);

/** The package as registered on `placementDate`, before anything was done. */
function registered(placementDate: IsoDate): PackageState {
  const at = `${placementDate}T10:00:00.000Z`;
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p1',
        childRef: 'c1',
        organisation: { serviceId: 's1', municipalityId: 'm1' },
        facts: facts({ placementDate }),
        catalogVersion: DEFAULT_CATALOG.version,
        by: { userId: 'u-kp', role: 'kontaktperson' },
        at,
      },
    },
    { type: 'TasksPlanned', data: { tasks: plan(placementDate), reason: 'registered', at } },
  ])!;
}

describe('re-planning after a date change', () => {
  it('moves every task earlier when the placement date moves a week earlier (2026-12-02 → 2026-11-25)', () => {
    // Found on 2026-12-05: the e2e preview showed tilsynsbesok#5 moving from 2027-02-15 to 2027-05-10,
    // because the statutory fill-in inserted a different extra visit for each year split.
    const change = diffPlan(registered('2026-12-02'), plan('2026-11-25'));
    expect(change.moved.length).toBeGreaterThan(5);
    expect(change.moved.filter((m) => !(m.toDueOn < m.fromDueOn))).toEqual([]);
  });

  // The e2e test's preview (registered 3 days ago, moved to 10 days ago) on each date the pinned-clock
  // run uses: what the API previews is diffPlan over the re-plan, as here.
  it.each(['2026-12-05', '2026-12-31', '2027-03-24', '2028-02-29', '2028-12-30'])(
    'on %s, the e2e test’s preview moves every task earlier and replaces none',
    (today) => {
      const from = addDays(today, -3);
      const to = addDays(today, -10);
      const change = diffPlan(registered(from), plan(to), { dateShiftDays: -7 });
      expect(change.moved.length).toBeGreaterThan(5);
      expect(change.moved.filter((m) => !(m.toDueOn < m.fromDueOn))).toEqual([]);
      expect(change.replaced).toEqual([]);
    },
  );

  it('reports a statutory visit that would move against the date change as replaced, not moved', () => {
    const current = registered('2026-12-02');
    // A re-plan that keeps the cadence but puts one visit later although the date moved earlier.
    const proposed = plan('2026-11-25').map((t) =>
      t.taskId === 'tilsynsbesok#2' ? { ...t, dueOn: addDays(current.tasks[t.taskId].dueOn, 7) } : t,
    );
    const change = diffPlan(current, proposed, { dateShiftDays: -7 });
    expect(change.replaced.map((r) => r.taskId)).toEqual(['tilsynsbesok#2']);
    expect(change.moved.map((m) => m.taskId)).not.toContain('tilsynsbesok#2');
    // Without a date shift (a change of type) there is no direction: it is moved.
    expect(diffPlan(current, proposed).moved.map((m) => m.taskId)).toContain('tilsynsbesok#2');
  });
});

describe('re-planning', () => {
  const a = task('a', '2026-04-01');
  const b = task('b', '2026-05-01');
  const c = task('c', '2026-06-01');
  const s = packageWith(
    [a, b, c],
    [
      {
        type: 'TaskCompleted',
        data: {
          taskId: 'a#1',
          at: '2026-03-30T10:00:00.000Z',
          completedOn: '2026-03-30',
          outcome: 'gjennomfort',
          by: caseworker,
        },
      },
    ],
  );

  it('keeps closed tasks, moves, cancels and adds the rest', () => {
    const proposed = [task('a', '2026-04-08'), task('b', '2026-05-08'), task('d', '2026-07-01')];
    const change = diffPlan(s, proposed);
    expect(change.kept).toBe(1); // a is completed: it stays as it was
    expect(change.moved).toEqual([
      { taskId: 'b#1', title: 'b', fromDueOn: '2026-05-01', toDueOn: '2026-05-08' },
    ]);
    expect(change.cancelled).toEqual([{ taskId: 'c#1', title: 'c', dueOn: '2026-06-01' }]);
    expect(change.added.map((t) => t.taskId)).toEqual(['d#1']);
    const events = replanEvents(s, proposed, 'placement-date-changed', '2026-04-01T00:00:00.000Z');
    expect(events.map((e) => e.type)).toEqual(['TaskCancelled', 'TaskRescheduled', 'TasksPlanned']);
    const after = fold(events, s)!;
    expect(after.tasks['a#1'].dueOn).toBe('2026-04-01');
    expect(after.tasks['b#1'].dueOn).toBe('2026-05-08');
    expect(after.tasks['c#1'].status).toBe('cancelled');
    expect(after.tasks['d#1'].status).toBe('planned');
  });
});

describe('rescheduling keeps what has already happened', () => {
  const overdue = task('a', '2026-03-05', {
    timers: {
      opensAt: '2026-03-01T06:00:00.000Z',
      remindAt: '2026-03-02T06:00:00.000Z',
      overdueAt: '2026-03-05T23:00:00.000Z',
      escalateAt: '2026-03-12T23:00:00.000Z',
    },
  });
  const s = packageWith([overdue]);
  const late = fold(decideTick(s, '2026-04-01T00:00:00.000Z'), s)!;

  it('does not escalate a long-overdue task again after a short move', () => {
    const moved = {
      ...overdue,
      timers: {
        ...overdue.timers,
        overdueAt: '2026-03-08T23:00:00.000Z',
        escalateAt: '2026-03-15T23:00:00.000Z',
      },
    };
    const after = fold([rescheduled(moved, 'resumed', '2026-04-01T00:00:00.000Z')], late)!;
    expect(after.tasks['a#1']).toMatchObject({
      status: 'open',
      dueSoon: true,
      overdue: true,
      escalated: true,
    });
    expect(decideTick(after, '2026-04-01T00:00:01.000Z')).toEqual([]);
  });

  it('lets a transition that moved into the future happen again then', () => {
    const moved = {
      ...overdue,
      timers: {
        ...overdue.timers,
        overdueAt: '2026-04-05T22:00:00.000Z',
        escalateAt: '2026-04-12T22:00:00.000Z',
      },
    };
    const after = fold([rescheduled(moved, 'resumed', '2026-04-01T00:00:00.000Z')], late)!;
    expect(after.tasks['a#1']).toMatchObject({ overdue: false, escalated: false, dueSoon: true });
    expect(decideTick(after, '2026-04-06T00:00:00.000Z').map((e) => e.type)).toEqual(['TaskOverdue']);
  });
});
