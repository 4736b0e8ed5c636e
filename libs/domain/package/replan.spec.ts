import { norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { planPackage } from '../planner/plan-package.js';
import { facts } from '../planner/test-support.js';
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
});
