import type { TaskState } from '../../domain/package/state.js';
import { project, type ProjectedPlacement } from '../projected-placement.js';
import { changedPlacementFact, placementFact } from './adherence-placements.js';
import { placement } from './test-support.js';

describe('caseworker changes (placement facts for §7.13)', () => {
  const kp = { userId: 'seed', role: 'kontaktperson' as const };
  const base = (): ProjectedPlacement => {
    const p = placement('2026-01-05', {
      tasks: [
        { taskId: 'besok#1', role: 'kontaktperson' } as TaskState,
        { taskId: 'veiledning#1', role: 'fosterhjemsressurs' } as TaskState,
      ],
    });
    return { ...p, caseworker: null, caseworkerChangedOn: [] };
  };
  const assign = (
    p: ProjectedPlacement,
    taskId: string,
    assigneeId: string | null,
    at: string,
    role: TaskState['role'] = 'kontaktperson',
  ) => project(p, { type: 'TaskReassigned', data: { taskId, at, assigneeId, role, by: kp } });

  it('counts a change of person on a caseworker task in days 0–182, not a first assignment', () => {
    let p = base();
    p = assign(p, 'besok#1', 'kp-a', '2026-01-06T09:00:00.000Z'); // first: no change
    p = assign(p, 'besok#1', 'kp-a', '2026-01-07T09:00:00.000Z'); // same person
    p = assign(p, 'besok#1', null, '2026-01-08T09:00:00.000Z'); // back to the pool
    p = assign(p, 'veiledning#1', 'fhr-x', '2026-01-09T09:00:00.000Z', 'fosterhjemsressurs');
    expect(placementFact(p).caseworker_changes_182).toBe(0);
    p = assign(p, 'besok#1', 'kp-b', '2026-02-01T09:00:00.000Z'); // a change
    // Day 182 is 2026-07-06; 23:30 UTC that day is already day 183 in Oslo: after month 6.
    p = assign(p, 'besok#1', 'kp-c', '2026-07-06T23:30:00.000Z');
    expect(p.caseworkerChangedOn).toEqual(['2026-02-01', '2026-07-07']);
    expect(placementFact(p).caseworker_changes_182).toBe(1);
  });

  it('versions the placement facts only when they change', () => {
    const p = base();
    expect(changedPlacementFact(undefined, p)).toMatchObject({ placement_date: '2026-01-05' });
    expect(changedPlacementFact(p, assign(p, 'besok#1', 'kp-a', '2026-01-06T09:00:00.000Z'))).toBeUndefined();
    const ended = project(p, {
      type: 'PlacementEnded',
      data: { endedOn: '2026-03-01', reason: 'brudd', by: kp, at: '2026-03-01T09:00:00.000Z' },
    });
    expect(changedPlacementFact(p, ended)).toMatchObject({ ended_on: '2026-03-01', end_reason: 'brudd' });
  });
});
