import { ordinaryYearOf, phaseLabel, planHeading } from './phase.js';
import type { TimelineEntry } from './types.js';

const entry = (type: string, details: Record<string, unknown> = {}): TimelineEntry => ({
  streamVersion: 1,
  type,
  at: '2027-01-01T00:00:00.000Z',
  taskId: null,
  details,
});

describe('a placement’s phase', () => {
  it('is the package until a year of ordinary follow-up is planned', () => {
    const timeline = [entry('PlacementRegistered'), entry('TasksPlanned')];
    expect(ordinaryYearOf(timeline)).toBeNull();
    expect(phaseLabel(null)).toBe('Omsorgspakken');
    expect(planHeading(null)).toBe('Omsorgspakken');
  });

  it('is ordinary follow-up in the last year begun, and the plan is headed so', () => {
    const timeline = [
      entry('PlacementRegistered'),
      entry('OrdinaryYearPlanned', { year: 2027 }),
      entry('OrdinaryYearPlanned', { year: 2028 }),
    ];
    expect(ordinaryYearOf(timeline)).toBe(2028);
    expect(phaseLabel(2028)).toBe('Ordinær oppfølging (2028)');
    expect(planHeading(2028)).toBe('Ordinær oppfølging 2028');
  });
});
