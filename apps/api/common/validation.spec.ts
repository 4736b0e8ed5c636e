import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage, type ValidationTypes } from 'class-validator';
import { BOKMAL_REASONS } from './validation.js';

/*
 * Every field message a user can see is bokmål: each validation rule of every DTO of the API either gives
 * its own message, is one the API wrote itself (its default message in bokmål), or has a reason in
 * BOKMAL_REASONS. A new class-validator decorator without one fails here, before its English reaches anyone.
 */
const API = fileURLToPath(new URL('..', import.meta.url));
const OWN_VALIDATORS = new Set([
  'isIsoDate',
  'notInFuture',
  'atMostDaysAhead',
  'atMostYearsBack',
  'isBirthYearMonth',
]);
const ENGLISH = /\b(must|should|be a|valid|number|string|letters|digits|required)\b/i;

function sourcesUsingClassValidator(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUsingClassValidator(path);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.spec.ts') &&
      readFileSync(path, 'utf8').includes("from 'class-validator'")
      ? [path]
      : [];
  });
}

interface Metadata {
  readonly type: (typeof ValidationTypes)[keyof typeof ValidationTypes];
  readonly name?: string;
  readonly message?: unknown;
  readonly propertyName: string;
  readonly target: { name?: string } | string;
  readonly constraintCls?: { name: string };
}

describe('validation messages', () => {
  it('gives every rule of every DTO a bokmål reason', async () => {
    const files = sourcesUsingClassValidator(API);
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) await import(file);
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Metadata[]> };
    const all = [...storage.validationMetadatas.values()].flat();
    expect(all.length).toBeGreaterThan(100);
    const untranslated = all.filter((m) => {
      if (m.type === 'conditionalValidation' || m.type === 'whitelistValidation') return false;
      if (m.type === 'nestedValidation') return false; // BOKMAL_REASONS.nestedValidation
      if (typeof m.message === 'string') return ENGLISH.test(m.message);
      if (m.name && (BOKMAL_REASONS[m.name] || OWN_VALIDATORS.has(m.name))) return false;
      return m.constraintCls?.name !== 'NationalIdConstraint';
    });
    expect(
      untranslated.map(
        (m) => `${typeof m.target === 'string' ? m.target : m.target.name}.${m.propertyName} ${m.name}`,
      ),
    ).toEqual([]);
  });
});
