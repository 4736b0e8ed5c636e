import type { PlacementFacts } from '../vocabulary.js';
import { conditionsHold, effectiveOffsetDays } from './applicability.js';
import { DEFAULT_CATALOG } from './default-catalog.js';

const facts = (over: Partial<PlacementFacts> = {}): PlacementFacts => ({
  placementType: 'omsorgsovertakelse',
  legalBasis: 'omsorgsovertakelse',
  placementDate: '2026-03-02',
  childAgeYears: 8,
  samvaer: false,
  parentsReachable: false,
  inSchoolOrKindergarten: false,
  bufetatHelp: false,
  beredskapshjem: false,
  ...over,
});
const step = (id: string) => DEFAULT_CATALOG.steps.find((s) => s.id === id)!;

describe('step applicability', () => {
  it('holds without conditions and checks each condition', () => {
    expect(conditionsHold(undefined, facts())).toBe(true);
    expect(conditionsHold({ placementTypes: ['frivillig'] }, facts())).toBe(false);
    expect(conditionsHold({ childMinAge: 7, childMaxAge: 8 }, facts())).toBe(true);
    expect(conditionsHold({ childMinAge: 9 }, facts())).toBe(false);
    expect(conditionsHold({ childMaxAge: 7 }, facts())).toBe(false);
    expect(conditionsHold({ requires: ['samvaer'] }, facts())).toBe(false);
    expect(conditionsHold({ requires: ['samvaer'] }, facts({ samvaer: true }))).toBe(true);
    expect(conditionsHold({ excludes: ['beredskapshjem'] }, facts({ beredskapshjem: true }))).toBe(false);
  });

  it('applies placement-type overrides', () => {
    expect(effectiveOffsetDays(step('forventningssamtale'), facts())).toBe(-7);
    expect(effectiveOffsetDays(step('forventningssamtale'), facts({ placementType: 'akutt' }))).toBe(7);
    expect(effectiveOffsetDays(step('forventningssamtale'), facts({ beredskapshjem: true }))).toBeNull();
    expect(effectiveOffsetDays(step('plan-innflytting'), facts({ placementType: 'akutt' }))).toBeNull();
    expect(effectiveOffsetDays(step('godkjenning'), facts({ placementType: 'slekt-nettverk' }))).toBe(42);
    expect(effectiveOffsetDays(step('tilsynsbesok'), facts({ childAgeYears: 18 }))).toBeNull();
  });
});
