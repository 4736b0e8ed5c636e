// RegisterPlacement commands for the benchmark (the same shape as test/fixtures/placements.ts).
import { randomUUID } from 'node:crypto';

export const SERVICE_ID = '0b6f1f5e-3a52-4f43-9a2d-1c1a0e6d2f10';
export const MUNICIPALITY_ID = '7d0e5a61-9a3c-4d7e-8f0b-2b7f6c1e9a44';
export const CATALOG_VERSION = '2026.1';
export const PLACEMENT_TYPES = ['omsorgsovertakelse', 'frivillig', 'akutt', 'slekt-nettverk'];

/** The i-th placement of a run: types rotate, ages 0–17 vary, ids are fresh UUIDs. */
export function registration(i, placementDate, type = PLACEMENT_TYPES[i % PLACEMENT_TYPES.length]) {
  return {
    commandId: randomUUID(),
    actor: { userId: `kp-${i % 25}`, role: 'kontaktperson' },
    placementId: randomUUID(),
    childRef: randomUUID(),
    organisation: { serviceId: SERVICE_ID, municipalityId: MUNICIPALITY_ID },
    facts: {
      placementType: type,
      legalBasis: type === 'frivillig' ? 'frivillig' : 'omsorgsovertakelse',
      placementDate,
      childAgeYears: (i * 7) % 18,
      samvaer: type !== 'frivillig',
      parentsReachable: i % 5 !== 0,
      inSchoolOrKindergarten: (i * 7) % 18 >= 1,
      bufetatHelp: type === 'slekt-nettverk',
      beredskapshjem: type === 'akutt',
    },
    catalogVersion: CATALOG_VERSION,
  };
}
