import { CatalogValidationError, publishCatalog } from './publish.js';
import type { Catalog } from './types.js';

const input = (): Catalog => ({
  version: '2026.2',
  steps: [
    {
      id: 'besok',
      title: 'Besøk',
      track: 'barnet',
      role: 'kontaktperson',
      anchor: { kind: 'placement' },
      offsetDays: 7,
      windowDays: 7,
      recurrence: { intervalDays: 30, phases: [], untilDay: 60 },
      basis: { kind: 'LAW', source: '§ 10' },
    },
  ],
});

describe('publishCatalog', () => {
  it('returns an equal, deep-frozen copy', () => {
    const original = input();
    const published = publishCatalog(original);
    expect(published).toEqual(original);
    expect(published).not.toBe(original);
    expect(Object.isFrozen(published)).toBe(true);
    expect(Object.isFrozen(published.steps)).toBe(true);
    expect(Object.isFrozen(published.steps[0])).toBe(true);
    expect(Object.isFrozen(published.steps[0].recurrence)).toBe(true);
    expect(Object.isFrozen(published.steps[0].basis)).toBe(true);
  });

  it('cannot be changed afterwards, and does not follow changes to its input', () => {
    const original = input();
    const published = publishCatalog(original);
    expect(() => {
      (published.steps[0] as { offsetDays: number }).offsetDays = 1;
    }).toThrow(TypeError);
    expect(() => {
      (published.steps as StepList).push(published.steps[0]);
    }).toThrow(TypeError);
    (original.steps[0] as { offsetDays: number }).offsetDays = 99;
    expect(published.steps[0].offsetDays).toBe(7);
  });

  it('throws a CatalogValidationError listing every issue', () => {
    const invalid = { ...input(), version: 'utkast', steps: [{ ...input().steps[0], windowDays: -1 }] };
    let error: unknown;
    try {
      publishCatalog(invalid);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CatalogValidationError);
    const { issues, message } = error as CatalogValidationError;
    expect(issues.map((issue) => issue.path)).toEqual(['version', 'steps[0].windowDays']);
    expect(message).toContain('Katalogen «utkast» er ugyldig (2 feil)');
  });
});

type StepList = Catalog['steps'][number][];
