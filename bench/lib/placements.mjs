// The benchmarks' registrations, made by the one placement builder (libs/fixtures/placements.ts, from
// dist/: load it after ensureBuilt()).
const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

/**
 * The placement types, and `registration(i, placementDate, type)`: the i-th placement of a run at the
 * fixture service, with fresh ids; types rotate, ages 0–17 and the caseworker (of 25) vary with i.
 */
export async function benchRegistrations() {
  const fixtures = await import(dist('libs/fixtures/placements.js'));
  const { PLACEMENT_TYPES } = await import(dist('libs/domain/vocabulary.js'));
  const registration = (i, placementDate, type = PLACEMENT_TYPES[i % PLACEMENT_TYPES.length]) =>
    fixtures.registration(type, placementDate, {
      actor: fixtures.caseworker(`kp-${i % 25}`),
      facts: fixtures.placementFacts(type, placementDate, {
        childAgeYears: (i * 7) % 18,
        parentsReachable: i % 5 !== 0,
        inSchoolOrKindergarten: (i * 7) % 18 >= 1,
      }),
    });
  return { PLACEMENT_TYPES, registration };
}
