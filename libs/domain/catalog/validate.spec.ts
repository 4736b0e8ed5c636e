import type { Catalog, StepDefinition } from './types.js';
import { validateCatalog } from './validate.js';

const step = (over: Partial<StepDefinition> & Record<string, unknown> = {}): StepDefinition => ({
  id: 'besok',
  title: 'Besøk',
  track: 'barnet',
  role: 'kontaktperson',
  anchor: { kind: 'placement' },
  offsetDays: 7,
  windowDays: 7,
  basis: { kind: 'ASSUMPTION', source: 'Test' },
  ...over,
});

const catalog = (steps: unknown[], over: Record<string, unknown> = {}): unknown => ({
  version: '2026.1',
  steps,
  ...over,
});

/** Paths of the issues found, for compact assertions. */
const paths = (value: unknown): string[] => validateCatalog(value).map((issue) => issue.path);

describe('validateCatalog', () => {
  it('accepts a minimal valid catalog', () => {
    const valid: Catalog = { version: '2026.1', steps: [step()] };
    expect(validateCatalog(valid)).toEqual([]);
  });

  it('requires an object with a version and steps', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths({ version: '2026.1' })).toEqual(['steps']);
    expect(paths(catalog([step()], { version: undefined }))).toEqual(['version']);
    expect(paths(catalog([]))).toEqual(['steps']);
  });

  it('rejects unknown fields at every level, naming them', () => {
    expect(paths(catalog([step()], { versjon: '2026.2' }))).toEqual(['versjon']);
    expect(paths(catalog([step({ offsetDay: 3 })]))).toEqual(['steps[0].offsetDay']);
    expect(paths(catalog([step({ anchor: { kind: 'placement', at: 1 } as never })]))).toEqual([
      'steps[0].anchor.at',
    ]);
    expect(
      paths(
        catalog([
          step({ recurrence: { intervalDays: 7, phases: [{ intervalDays: 7, until: 3 }] } as never }),
        ]),
      ),
    ).toEqual(['steps[0].recurrence.untilDay', 'steps[0].recurrence.phases[0].until']);
    expect(paths(catalog([step({ overrides: { akutt: { skip: true, why: 'x' } } as never })]))).toEqual([
      'steps[0].overrides.akutt.why',
    ]);
    expect(paths(catalog([step({ conditions: { minAge: 3 } as never })]))).toEqual([
      'steps[0].conditions.minAge',
    ]);
    expect(paths(catalog([step({ basis: { kind: 'LAW', source: 'bvl', url: 'x' } as never })]))).toEqual([
      'steps[0].basis.url',
    ]);
    expect(paths(catalog([step()], { 'bad key!': 1 }))).toEqual(['(ukjent felt)']);
  });

  it('checks the version format and optional catalog fields', () => {
    for (const version of ['2026', '2026.0', 'v2026.1', '26.1', '2026.1.1'])
      expect(paths(catalog([step()], { version }))).toEqual(['version']);
    expect(paths(catalog([step()], { version: '2027.12' }))).toEqual([]);
    expect(paths(catalog([step()], { publishedOn: '2026-02-30' }))).toEqual(['publishedOn']);
    expect(paths(catalog([step()], { escalationDelayDays: 0 }))).toEqual(['escalationDelayDays']);
    expect(paths(catalog([step()], { reminderDaysBefore: -1 }))).toEqual(['reminderDaysBefore']);
    expect(paths(catalog([step()], { description: 3 }))).toEqual(['description']);
  });

  it('gives Norwegian messages', () => {
    expect(validateCatalog(catalog([step()], { version: '2026' }))).toEqual([
      { path: 'version', message: 'Versjonen må ha formatet ÅÅÅÅ.N, for eksempel 2026.1.' },
    ]);
  });

  it('requires every field of a step', () => {
    const bare = { anchor: { kind: 'placement' } };
    expect(paths(catalog([bare]))).toEqual([
      'steps[0].id',
      'steps[0].title',
      'steps[0].track',
      'steps[0].role',
      'steps[0].offsetDays',
      'steps[0].windowDays',
      'steps[0].basis',
    ]);
    expect(paths(catalog([{ ...step(), anchor: undefined }]))).toEqual(['steps[0].anchor']);
    expect(paths(catalog(['not a step']))).toEqual(['steps[0]']);
  });

  it('takes an optional purpose, as text', () => {
    expect(paths(catalog([step({ purpose: 'Barnet skal bli hørt.' })]))).toEqual([]);
    expect(paths(catalog([step({ purpose: '' })]))).toEqual(['steps[0].purpose']);
    expect(paths(catalog([{ ...step(), purpose: 7 }]))).toEqual(['steps[0].purpose']);
  });

  it('requires unique, well-formed ids', () => {
    expect(paths(catalog([step(), step()]))).toEqual(['steps[0].id', 'steps[1].id']);
    expect(paths(catalog([step({ id: 'Besøk uke 1' })]))).toEqual(['steps[0].id']);
    expect(paths(catalog([step({ id: 'besok#1' })]))).toEqual(['steps[0].id']);
  });

  it('checks track, role and co-roles', () => {
    expect(paths(catalog([step({ track: 'skole' } as never)]))).toEqual(['steps[0].track']);
    expect(paths(catalog([step({ role: 'admin' } as never)]))).toEqual(['steps[0].role']);
    expect(paths(catalog([step({ coRoles: ['kontaktperson', 'vaktmester'] } as never)]))).toEqual([
      'steps[0].coRoles[0]',
      'steps[0].coRoles[1]',
    ]);
  });

  it('requires anchors to name another existing step', () => {
    expect(paths(catalog([step({ anchor: { kind: 'step-completion', stepId: 'finnes-ikke' } })]))).toEqual([
      'steps[0].anchor.stepId',
    ]);
    expect(paths(catalog([step({ anchor: { kind: 'step-completion', stepId: 'besok' } })]))).toEqual([
      'steps[0].anchor.stepId',
    ]);
    expect(paths(catalog([step({ anchor: { kind: 'calendar' } } as never)]))).toEqual([
      'steps[0].anchor.kind',
    ]);
  });

  it('rejects anchor cycles, reporting each cycle once', () => {
    const issues = validateCatalog(
      catalog([
        step({ id: 'a', anchor: { kind: 'step-completion', stepId: 'b' } }),
        step({ id: 'b', anchor: { kind: 'step-completion', stepId: 'c' } }),
        step({ id: 'c', anchor: { kind: 'step-completion', stepId: 'a' } }),
        step({ id: 'd', anchor: { kind: 'step-completion', stepId: 'a' } }),
        step({ id: 'e' }),
      ]),
    );
    expect(issues).toEqual([
      { path: 'steps[0].anchor.stepId', message: 'Ankrene danner en sirkel: a → b → c → a.' },
    ]);
  });

  it('accepts an anchor chain without a cycle', () => {
    expect(
      paths(
        catalog([
          step({ id: 'a' }),
          step({ id: 'b', anchor: { kind: 'step-completion', stepId: 'a' } }),
          step({ id: 'c', anchor: { kind: 'step-completion', stepId: 'b' } }),
        ]),
      ),
    ).toEqual([]);
  });

  it('checks offsets and windows', () => {
    expect(paths(catalog([step({ offsetDays: 1.5 })]))).toEqual(['steps[0].offsetDays']);
    expect(paths(catalog([step({ windowDays: -1 })]))).toEqual(['steps[0].windowDays']);
    expect(paths(catalog([step({ windowDays: 0, offsetDays: -7 })]))).toEqual([]);
  });

  it('checks placement-type overrides', () => {
    expect(
      paths(catalog([step({ overrides: { akutt: { offsetDays: 14 }, 'slekt-nettverk': { skip: true } } })])),
    ).toEqual([]);
    expect(paths(catalog([step({ overrides: { beredskap: { skip: true } } } as never)]))).toEqual([
      'steps[0].overrides.beredskap',
    ]);
    expect(paths(catalog([step({ overrides: { akutt: { skip: false } } } as never)]))).toEqual([
      'steps[0].overrides.akutt.skip',
    ]);
    expect(paths(catalog([step({ overrides: { akutt: { skip: true, offsetDays: 3 } } } as never)]))).toEqual([
      'steps[0].overrides.akutt',
    ]);
    expect(paths(catalog([step({ overrides: { akutt: {} } } as never)]))).toEqual([
      'steps[0].overrides.akutt.offsetDays',
    ]);
  });

  it('checks that recurrences are sane', () => {
    expect(paths(catalog([step({ recurrence: { intervalDays: 0 } })]))).toEqual([
      'steps[0].recurrence.intervalDays',
    ]);
    expect(paths(catalog([step({ recurrence: { intervalDays: 7, count: 0 } })]))).toEqual([
      'steps[0].recurrence.count',
    ]);
    expect(paths(catalog([step({ recurrence: { intervalDays: 7, untilDay: 'snart' } } as never)]))).toEqual([
      'steps[0].recurrence.untilDay',
    ]);
    expect(
      paths(catalog([step({ recurrence: { intervalDays: 14, phases: [{ intervalDays: 30 }] } })])),
    ).toEqual(['steps[0].recurrence.untilDay']);
    expect(
      paths(
        catalog([
          step({
            recurrence: {
              intervalDays: 14,
              untilDay: 90,
              phases: [{ intervalDays: 30 }, { intervalDays: 0, untilDay: 80 }],
            },
          }),
        ]),
      ),
    ).toEqual([
      'steps[0].recurrence.phases[0].untilDay',
      'steps[0].recurrence.phases[1].intervalDays',
      'steps[0].recurrence.phases[1].untilDay',
    ]);
  });

  it('lets only placement-anchored steps recur or count as statutory visits', () => {
    const anchored = { anchor: { kind: 'step-completion', stepId: 'a' } } as const;
    expect(
      paths(
        catalog([
          step({ id: 'a' }),
          step({ id: 'b', ...anchored, recurrence: { intervalDays: 7 } }),
          step({ id: 'c', ...anchored, statutory: 'tilsynsbesok' }),
          step({ id: 'd', statutory: 'hjemmebesok' } as never),
        ]),
      ),
    ).toEqual(['steps[1].recurrence', 'steps[2].statutory', 'steps[3].statutory']);
  });

  it('checks conditions', () => {
    expect(paths(catalog([step({ conditions: { placementTypes: [] } })]))).toEqual([
      'steps[0].conditions.placementTypes',
    ]);
    expect(paths(catalog([step({ conditions: { placementTypes: ['adopsjon'] } } as never)]))).toEqual([
      'steps[0].conditions.placementTypes[0]',
    ]);
    expect(paths(catalog([step({ conditions: { childMinAge: 12, childMaxAge: 7 } })]))).toEqual([
      'steps[0].conditions.childMaxAge',
    ]);
    expect(paths(catalog([step({ conditions: { childMinAge: -1 } })]))).toEqual([
      'steps[0].conditions.childMinAge',
    ]);
    expect(paths(catalog([step({ conditions: { requires: ['hund'] } } as never)]))).toEqual([
      'steps[0].conditions.requires[0]',
    ]);
    expect(paths(catalog([step({ conditions: { requires: ['samvaer'], excludes: ['samvaer'] } })]))).toEqual([
      'steps[0].conditions',
    ]);
  });

  it('requires a basis with a known kind and a source', () => {
    expect(paths(catalog([step({ basis: { kind: 'GUESS', source: '' } } as never)]))).toEqual([
      'steps[0].basis.kind',
      'steps[0].basis.source',
    ]);
    expect(
      paths(catalog([step({ basis: { kind: 'LAW', source: '§ 10', timingKind: 'MAYBE' } } as never)])),
    ).toEqual(['steps[0].basis.timingKind']);
  });
});
