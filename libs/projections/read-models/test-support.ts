import type { PackageState, TaskState } from '../../domain/package/state.js';
import type { ReductionDecision } from '../../domain/plan.js';
import type { IsoDate } from '../../domain/vocabulary.js';
import type { ProjectedPlacement } from '../projected-placement.js';

/** Test helpers shared by the read models' specs. */
export const placement = (
  placementDate: IsoDate,
  more: { endedOn?: IsoDate; reductions?: ReductionDecision[]; tasks?: TaskState[] } = {},
): ProjectedPlacement => ({
  package: {
    placementId: 'p',
    childRef: 'c',
    organisation: { serviceId: 's', municipalityId: 'm' },
    facts: { placementType: 'frivillig', placementDate } as PackageState['facts'],
    catalogVersion: '2026.1',
    status: more.endedOn ? 'ended' : 'active',
    tasks: Object.fromEntries((more.tasks ?? []).map((t) => [t.taskId, t])),
    reductions: more.reductions ?? [],
    version: 1,
    registeredAt: '2026-01-01T00:00:00.000Z',
  },
  endedOn: more.endedOn ?? null,
  endReason: more.endedOn ? 'planlagt' : null,
});
