import type { PlannedTask } from '../plan.js';
import type { PlacementFacts } from '../vocabulary.js';

/** Test helpers shared by the planner specs (not exported from the domain index). */
export const facts = (over: Partial<PlacementFacts> = {}): PlacementFacts => ({
  placementType: 'omsorgsovertakelse',
  // Emergency and kinship placements default to a care order; voluntary ones are voluntary.
  legalBasis: over.placementType === 'frivillig' ? 'frivillig' : 'omsorgsovertakelse',
  placementDate: '2026-03-02',
  childAgeYears: 9,
  samvaer: true,
  parentsReachable: true,
  inSchoolOrKindergarten: true,
  bufetatHelp: true,
  beredskapshjem: false,
  ...over,
});

export const stepIds = (tasks: readonly PlannedTask[]): string[] =>
  [...new Set(tasks.map((t) => t.stepId))].sort();

export function task(tasks: readonly PlannedTask[], taskId: string): PlannedTask {
  const found = tasks.find((t) => t.taskId === taskId);
  if (!found) throw new Error(`No task ${taskId} in plan: ${tasks.map((t) => t.taskId).join(', ')}`);
  return found;
}
