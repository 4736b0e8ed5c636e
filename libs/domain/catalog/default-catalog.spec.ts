import { BASIS_KINDS } from '../vocabulary.js';
import { BUILT_IN_CATALOGS, CATALOG_2026_1, DEFAULT_CATALOG } from './default-catalog.js';
import { validateCatalog } from './validate.js';

const step = (id: string) => {
  const found = DEFAULT_CATALOG.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

describe('DEFAULT_CATALOG', () => {
  it('is version 2026.2, valid and frozen; 2026.1 is still built in, unchanged', () => {
    expect(DEFAULT_CATALOG.version).toBe('2026.2');
    expect(BUILT_IN_CATALOGS.map((c) => c.version)).toEqual(['2026.1', '2026.2']);
    for (const catalog of BUILT_IN_CATALOGS) expect(validateCatalog(catalog)).toEqual([]);
    expect(Object.isFrozen(CATALOG_2026_1)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CATALOG)).toBe(true);
    expect(Object.isFrozen(step('veiledning').recurrence?.phases)).toBe(true);
  });

  it('has the 29 steps of the research table, in its order', () => {
    expect(DEFAULT_CATALOG.steps.map((s) => s.id)).toEqual([
      'forventningssamtale',
      'fosterhjemsavtale',
      'godkjenning',
      'grunnopplaering',
      'plan-innflytting',
      'omsorgsplan',
      'tiltaksplan',
      'gjennomgang-planer',
      'skole-barnehage',
      'tilsyn-organisert',
      'kontakt-dag1',
      'besok-uke1',
      'barnesamtale',
      'foreldre-tilbud',
      'foreldre-plan',
      'samvaer-forste',
      'samvaer-evaluering',
      'kartlegging',
      'plan-fosterfamilien',
      'veiledning',
      'oppfolgingsbesok',
      'tilsynsbesok',
      'tilsynsrapport',
      'helse',
      'bufetat-avklaring',
      'evaluering-3mnd',
      'evaluering-planer',
      'leder-avvik',
      'avslutning',
    ]);
  });

  it('keeps the table timings and overrides', () => {
    expect(step('forventningssamtale')).toMatchObject({
      offsetDays: -7,
      windowDays: 14,
      overrides: { akutt: { offsetDays: 7 } },
    });
    expect(step('godkjenning').overrides).toEqual({
      akutt: { offsetDays: 42 },
      'slekt-nettverk': { offsetDays: 42 },
    });
    expect(step('grunnopplaering').overrides).toEqual({
      akutt: { offsetDays: 90 },
      'slekt-nettverk': { offsetDays: 90 },
    });
    expect(step('plan-innflytting').overrides).toEqual({ akutt: { skip: true } });
    expect(step('oppfolgingsbesok')).toMatchObject({
      offsetDays: 91,
      windowDays: 30,
      recurrence: { intervalDays: 91 },
    });
    expect(step('tilsynsbesok')).toMatchObject({
      offsetDays: 30,
      windowDays: 14,
      conditions: { childMaxAge: 17 },
    });
    expect(step('veiledning').recurrence).toEqual({
      intervalDays: 14,
      untilDay: 90,
      phases: [{ intervalDays: 30, untilDay: 365 }],
    });
  });

  it('anchors the supervision report and the private talk on visit completions', () => {
    expect(step('tilsynsrapport').anchor).toEqual({ kind: 'step-completion', stepId: 'tilsynsbesok' });
    // 2026.2: the private talk follows the first-week visit too (2026.1 had oppfolgingsbesok only).
    expect(step('barnesamtale').anchor).toEqual({
      kind: 'step-completion',
      stepId: 'oppfolgingsbesok',
      alsoAfter: ['besok-uke1'],
    });
    expect(CATALOG_2026_1.steps.find((s) => s.id === 'barnesamtale')?.anchor).toEqual({
      kind: 'step-completion',
      stepId: 'oppfolgingsbesok',
    });
  });

  it('2026.2: school handover a week after an emergency placement, supervision after the supervisor', () => {
    expect(step('skole-barnehage').overrides).toEqual({ akutt: { offsetDays: 7 } });
    expect(step('tilsynsbesok').dueAfterStep).toBe('tilsyn-organisert');
    // Every other step is the 2026.1 step itself.
    const changed = DEFAULT_CATALOG.steps
      .filter((s, i) => JSON.stringify(s) !== JSON.stringify(CATALOG_2026_1.steps[i]))
      .map((s) => s.id);
    expect(changed).toEqual(['skole-barnehage', 'barnesamtale', 'tilsynsbesok']);
  });

  it('marks the statutory visits', () => {
    const statutory = DEFAULT_CATALOG.steps.filter((s) => s.statutory).map((s) => [s.id, s.statutory]);
    expect(statutory).toEqual([
      ['besok-uke1', 'oppfolgingsbesok'],
      ['oppfolgingsbesok', 'oppfolgingsbesok'],
      ['tilsynsbesok', 'tilsynsbesok'],
    ]);
  });

  it('keeps the basis of every step visible, LAW steps included', () => {
    for (const s of DEFAULT_CATALOG.steps) {
      expect(BASIS_KINDS).toContain(s.basis.kind);
      expect(s.basis.source.length).toBeGreaterThan(0);
      expect(s.basis.timingKind).toBeDefined();
    }
    const law = DEFAULT_CATALOG.steps.filter((s) => s.basis.kind === 'LAW').map((s) => s.id);
    expect(law).toEqual(
      expect.arrayContaining([
        'fosterhjemsavtale',
        'oppfolgingsbesok',
        'tilsynsbesok',
        'tilsynsrapport',
        'barnesamtale',
      ]),
    );
    expect(law).not.toContain('besok-uke1');
  });

  it('says why each step is done, in both built-in versions', () => {
    for (const catalog of BUILT_IN_CATALOGS)
      for (const s of catalog.steps) expect(s.purpose?.trim().length ?? 0).toBeGreaterThan(20);
  });
});
