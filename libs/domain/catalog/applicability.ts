import type { PlacementFacts } from '../vocabulary.js';
import type { StepConditions, StepDefinition } from './types.js';

/** True when every condition of a step holds for the placement (no conditions: always). */
export function conditionsHold(conditions: StepConditions | undefined, facts: PlacementFacts): boolean {
  if (!conditions) return true;
  const { placementTypes, legalBases, childMinAge, childMaxAge, requires, excludes } = conditions;
  if (placementTypes && !placementTypes.includes(facts.placementType)) return false;
  if (legalBases && !legalBases.includes(facts.legalBasis)) return false;
  if (childMinAge !== undefined && facts.childAgeYears < childMinAge) return false;
  if (childMaxAge !== undefined && facts.childAgeYears > childMaxAge) return false;
  if (requires && !requires.every((flag) => facts[flag])) return false;
  if (excludes && excludes.some((flag) => facts[flag])) return false;
  return true;
}

/**
 * The offset (days from the anchor) a step has for this placement, or `null` when it does not apply:
 * its conditions fail or its placement type skips it. Both the package planner and the follow-up
 * planner use it, so a step applies the same way however it is anchored.
 */
export function effectiveOffsetDays(step: StepDefinition, facts: PlacementFacts): number | null {
  if (!conditionsHold(step.conditions, facts)) return null;
  const override = step.overrides?.[facts.placementType];
  if (override && 'skip' in override) return null;
  return override ? override.offsetDays : step.offsetDays;
}

/**
 * Waiving a step grounded in law, or one that counts toward a statutory minimum (e.g. the first home
 * visit, an oppfølgingsbesøk), needs a leader's co-signature.
 */
export const requiresCoSignToWaive = (step: StepDefinition): boolean =>
  step.basis.kind === 'LAW' || step.statutory !== undefined;
