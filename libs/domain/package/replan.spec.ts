import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { planPackage } from '../planner/plan-package.js';
import { facts } from '../planner/test-support.js';
import { addDays } from '../calendar/dates.js';
import type { IsoDate } from '../vocabulary.js';
import { diffPlan } from './decide.js';
import { fold, type PackageState } from './state.js';

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
