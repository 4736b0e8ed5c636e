import { readFileSync } from 'node:fs';
import { FINNMARK_DEMO } from '../../../libs/security/index.js';
import { referenceId } from './regions.service.js';

interface Fact {
  basis?: string;
  source?: string;
  note?: string;
}
const file = JSON.parse(
  readFileSync(new URL('../../../data/regions/finnmark.json', import.meta.url), 'utf8'),
) as {
  code: string;
  municipalities: (Fact & { number: string; name: string })[];
  networks: (Fact & { name: string })[];
  services: (Fact & { name: string; host: string; members: string[]; network: string | null })[];
};

describe("Finnmark's data file and the ids a load gives it", () => {
  it('has the 18 municipalities of county 56 (2024 numbering), each with its source', () => {
    const numbers = file.municipalities.map((m) => m.number);
    expect(numbers).toHaveLength(18);
    expect(new Set(numbers).size).toBe(18);
    expect(numbers.every((n) => /^56\d\d$/.test(n))).toBe(true);
    expect(file.municipalities.find((m) => m.number === '5603')?.name).toBe('Hammerfest');
    // Kvalsund (merged into Hammerfest in 2020) is not a municipality of its own.
    expect(file.municipalities.some((m) => /Kvalsund/.test(m.name))).toBe(false);
    expect(file.municipalities.every((m) => m.basis === 'SOURCE' && m.source)).toBe(true);
  });

  it('says for every service and network where it comes from, or that it is an assumption and why', () => {
    for (const fact of [...file.services, ...file.networks]) {
      expect(['SOURCE', 'ASSUMPTION']).toContain(fact.basis);
      if (fact.basis === 'SOURCE') expect(fact.source).toBeTruthy();
      else expect(fact.note).toBeTruthy();
    }
  });

  it('puts every municipality in exactly one service', () => {
    const members = file.services.flatMap((s) => s.members).sort();
    expect(members).toEqual(file.municipalities.map((m) => m.number).sort());
  });

  it("names the local issuer's Finnmark organisations by the ids the load gives them", () => {
    expect(referenceId('service:5601')).toBe(FINNMARK_DEMO.alta);
    expect(referenceId('service:5628')).toBe(FINNMARK_DEMO.tana);
    expect(referenceId('network:Vest-Finnmark')).toBe(FINNMARK_DEMO.vestFinnmark);
    expect(referenceId('municipality:5601')).toBe(FINNMARK_DEMO.altaMunicipality);
    expect(file.services.find((s) => s.host === '5601')?.network).toBe('Vest-Finnmark');
    expect(file.services.find((s) => s.host === '5628')?.members).toEqual(['5628', '5636']);
  });

  it("gives seeded rows the reference-data migration's ids (the same namespace)", () => {
    // Trondheim (5001) as migration 1764050000000 seeded it; Trøndelag as migration 1765440000000 did.
    expect(referenceId('municipality:5001')).toBe('b0ab81f8-dd81-574a-afde-6ff942005051');
    expect(referenceId('region:trondelag')).toBe('5f7db4d7-d156-529b-9270-a0145c3d2414');
  });
});
