import { norwegianWorkingDays } from '../../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../catalog/default-catalog.js';
import { planPackage } from '../../planner/plan-package.js';
import { facts } from '../../planner/test-support.js';
import type { PlacementFacts } from '../../vocabulary.js';
import { fold, type PackageState } from '../state.js';
import { explainChange } from './explain-change.js';
import { dateShift, diffPlan } from './replan.js';

const calendar = norwegianWorkingDays();
const plan = (f: PlacementFacts) => planPackage(DEFAULT_CATALOG, { facts: f, reductions: [] }, calendar);

function registered(f: PlacementFacts): PackageState {
  const at = `${f.placementDate}T10:00:00.000Z`;
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p1',
        childRef: 'c1',
        organisation: { serviceId: 's1', municipalityId: 'm1' },
        facts: f,
        catalogVersion: DEFAULT_CATALOG.version,
        by: { userId: 'u-kp', role: 'kontaktperson' },
        at,
      },
    },
    { type: 'TasksPlanned', data: { tasks: plan(f), reason: 'registered', at } },
  ])!;
}

function explain(before: PlacementFacts, after: PlacementFacts, today: string) {
  const state = registered(before);
  const proposed = plan(after);
  const change = diffPlan(state, proposed, { dateShiftDays: dateShift(before, after) });
  return explainChange(state, proposed, change, after, today);
}

describe('explainChange', () => {
  const before = facts({ placementDate: '2026-12-02' });
  const earlier = facts({ placementDate: '2026-11-25' });

  it('sorts the steps by their new date and says the placement date moves them', () => {
    const steps = explain(before, earlier, '2026-12-05');
    expect(steps.length).toBeGreaterThan(5);
    const dates = steps.map((s) => s.toDueOn ?? s.fromDueOn ?? '');
    expect(dates).toEqual([...dates].sort());
    for (const s of steps.filter((x) => x.kind === 'moved')) expect(s.reasons).toContain('placement-date');
  });

  it('marks the statutory visits as placed by the statutory rule', () => {
    const steps = explain(before, earlier, '2026-12-05');
    const visit = steps.find((s) => s.taskId === 'oppfolgingsbesok#1');
    expect(visit?.reasons[0]).toBe('statutory-rule');
    const talk = steps.find((s) => s.taskId === 'kontakt-dag1#1');
    expect(talk?.reasons).not.toContain('statutory-rule');
  });

  it('marks the steps the change makes overdue, and not those overdue already', () => {
    // Registered 2026-12-02, moved to 2026-11-25, seen on 2026-12-05: the first-week visit (due
    // 2026-12-09) falls due 2026-12-02, in the past; the day-one call (2026-12-03) was overdue already.
    const steps = explain(before, earlier, '2026-12-05');
    const visit = steps.find((s) => s.taskId === 'besok-uke1#1');
    expect(visit).toMatchObject({ fromDueOn: '2026-12-09', becomesOverdue: true });
    expect(visit!.toDueOn! < '2026-12-05').toBe(true);
    const call = steps.find((s) => s.taskId === 'kontakt-dag1#1');
    expect(call?.fromDueOn && call.fromDueOn < '2026-12-05').toBe(true);
    expect(call?.becomesOverdue).toBe(false);
    // Seen before the new dates, nothing becomes overdue.
    expect(explain(before, earlier, '2026-11-01').filter((s) => s.becomesOverdue)).toEqual([]);
  });

  it('says a new placement type moves, adds or cancels steps', () => {
    const steps = explain(
      before,
      facts({ placementDate: '2026-12-02', placementType: 'akutt' }),
      '2026-11-01',
    );
    const agreement = steps.find((s) => s.taskId === 'fosterhjemsavtale#1');
    expect(agreement).toMatchObject({ kind: 'moved', reasons: ['placement-type'] });
    const moveIn = steps.find((s) => s.taskId === 'plan-innflytting#1');
    expect(moveIn).toMatchObject({ kind: 'cancelled', toDueOn: null, reasons: ['placement-type'] });
  });

  it('says a new legal basis adds and cancels the plans it decides', () => {
    const after = facts({ placementDate: '2026-12-02', placementType: 'akutt', legalBasis: 'frivillig' });
    const steps = explain(
      facts({ placementDate: '2026-12-02', placementType: 'akutt' }),
      after,
      '2026-11-01',
    );
    expect(steps.find((s) => s.taskId === 'tiltaksplan#1')).toMatchObject({
      kind: 'added',
      fromDueOn: null,
      reasons: ['legal-basis'],
    });
    expect(steps.find((s) => s.taskId === 'omsorgsplan#1')).toMatchObject({
      kind: 'cancelled',
      reasons: ['legal-basis'],
    });
  });
});
