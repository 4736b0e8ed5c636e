import type { PackageEvent } from '../events.js';
import type { PlannedTask } from '../plan.js';
import type { Actor, PlacementFacts } from '../vocabulary.js';
import { CommandRejected } from './rejection.js';
import { fold, type PackageState } from './state.js';

/** Test helpers shared by the decider specs in decide/ (not exported from the domain index). */

export const caseworker: Actor = { userId: 'u-kp', role: 'kontaktperson' };
export const leader: Actor = { userId: 'u-led', role: 'leder' };
export const facts: PlacementFacts = {
  placementType: 'omsorgsovertakelse',
  legalBasis: 'omsorgsovertakelse',
  placementDate: '2026-03-02',
  childAgeYears: 9,
  samvaer: true,
  parentsReachable: true,
  inSchoolOrKindergarten: true,
  bufetatHelp: false,
  beredskapshjem: false,
};

export function task(stepId: string, dueOn: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return {
    taskId: `${stepId}#1`,
    stepId,
    occurrence: 1,
    title: stepId,
    track: 'barnet',
    role: 'kontaktperson',
    catalogVersion: '2026.1',
    opensOn: dueOn,
    dueOn,
    nominalDueOn: dueOn,
    requiresCoSignToWaive: false,
    timers: {
      opensAt: `${dueOn}T05:00:00.000Z`,
      remindAt: `${dueOn}T05:00:00.000Z`,
      overdueAt: `${dueOn}T23:00:00.000Z`,
      escalateAt: `${dueOn}T23:30:00.000Z`,
    },
    ...extra,
  };
}

export function packageWith(tasks: PlannedTask[], more: PackageEvent[] = []): PackageState {
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p1',
        childRef: 'c1',
        organisation: { serviceId: 's1', municipalityId: 'm1' },
        facts,
        catalogVersion: '2026.1',
        by: caseworker,
        at: '2026-03-01T10:00:00.000Z',
      },
    },
    { type: 'TasksPlanned', data: { tasks, reason: 'registered', at: '2026-03-01T10:00:00.000Z' } },
    ...more,
  ])!;
}

export const rejection = (fn: () => unknown): CommandRejected => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandRejected) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};
