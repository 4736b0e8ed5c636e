import type { StepAnchor } from '../types.js';

/*
 * Conventions of the built-in steps: day 0 = move-in; "6 months" = 182 days and "3 months" = 91 days.
 */

export const PLACEMENT: StepAnchor = { kind: 'placement' };
export const SIX_MONTHS = 182;
export const THREE_MONTHS = 91;
