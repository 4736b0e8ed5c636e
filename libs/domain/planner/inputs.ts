import { assertIsoDate } from '../calendar/dates.js';
import type { Catalog } from '../catalog/types.js';
import { DEFAULT_PLANNING_POLICY, type PlanningPolicy, type ReductionDecision } from '../plan.js';
import {
  LEGAL_BASES,
  legalBasisOf,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  type PlacementFacts,
} from '../vocabulary.js';
import type { TimerSettings } from './timers.js';

/**
 * Guards for the planner's inputs. The planner runs inside workflows, where a silently wrong date is far
 * worse than a loud failure, so malformed input throws a RangeError instead of producing a plan.
 */
export function checkFacts(facts: PlacementFacts): void {
  assertIsoDate(facts.placementDate, 'placementDate');
  if (!PLACEMENT_TYPES.includes(facts.placementType))
    throw new RangeError(`Unknown placement type: ${String(facts.placementType)}`);
  if (!LEGAL_BASES.includes(facts.legalBasis))
    throw new RangeError(`Unknown legal basis: ${String(facts.legalBasis)}`);
  if ((legalBasisOf(facts.placementType) ?? facts.legalBasis) !== facts.legalBasis)
    throw new RangeError(`A ${facts.placementType} placement has that legal basis, not ${facts.legalBasis}`);
  if (!Number.isInteger(facts.childAgeYears) || facts.childAgeYears < 0)
    throw new RangeError(`Invalid child age: ${facts.childAgeYears}`);
}

export function checkReductions(reductions: readonly ReductionDecision[]): void {
  for (const decision of reductions) {
    if (!STATUTORY_KINDS.includes(decision.kind))
      throw new RangeError(`Unknown statutory kind: ${decision.kind}`);
    if (!Number.isInteger(decision.minimumPerYear) || decision.minimumPerYear < 1)
      throw new RangeError(`A reduced minimum is a whole number ≥ 1, got ${decision.minimumPerYear}`);
    assertIsoDate(decision.effectiveFrom, 'effectiveFrom');
  }
}

export function checkPolicy(policy: PlanningPolicy): void {
  const { reminderDaysBefore, escalationDelayDays, packageDays } = policy;
  if (!Number.isInteger(reminderDaysBefore) || reminderDaysBefore < 0)
    throw new RangeError(`reminderDaysBefore must be a whole number ≥ 0, got ${reminderDaysBefore}`);
  if (!Number.isInteger(escalationDelayDays) || escalationDelayDays < 1)
    throw new RangeError(`escalationDelayDays must be a whole number ≥ 1, got ${escalationDelayDays}`);
  if (!Number.isInteger(packageDays) || packageDays < 1)
    throw new RangeError(`packageDays must be a whole number ≥ 1, got ${packageDays}`);
}

/** The catalog's reminder and escalation values win over the policy's defaults. */
export function timerSettings(
  catalog: Catalog,
  policy: PlanningPolicy = DEFAULT_PLANNING_POLICY,
): TimerSettings {
  return {
    reminderDaysBefore: catalog.reminderDaysBefore ?? policy.reminderDaysBefore,
    escalationDelayDays: catalog.escalationDelayDays ?? policy.escalationDelayDays,
  };
}
