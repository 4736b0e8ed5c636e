import type { Catalog, CatalogIssue } from './types.js';
import { validateCatalog } from './validate.js';

/** A catalog failed validation; `issues` lists every problem so an editor can fix them in one go. */
export class CatalogValidationError extends Error {
  readonly issues: readonly CatalogIssue[];

  constructor(version: unknown, issues: readonly CatalogIssue[]) {
    const name = typeof version === 'string' && version !== '' ? `«${version}»` : 'uten versjon';
    const list = issues.map((issue) => `${issue.path || '(katalog)'}: ${issue.message}`).join('; ');
    super(`Katalogen ${name} er ugyldig (${issues.length} feil): ${list}`);
    this.name = 'CatalogValidationError';
    this.issues = issues;
  }
}

/**
 * Validates a catalog and returns a deep-frozen copy of it. A published version is immutable: tasks
 * already planned from it carry its version, so a change to the steps must become a new version rather
 * than alter history. The copy also detaches the result from the caller's (possibly mutable) input.
 *
 * @throws CatalogValidationError listing every issue when the catalog is invalid.
 */
export function publishCatalog(catalog: Catalog): Catalog {
  const issues = validateCatalog(catalog);
  if (issues.length > 0) throw new CatalogValidationError(catalog.version, issues);
  return deepFrozenCopy(catalog);
}

/** Copies plain data (objects, arrays, primitives) and freezes every level of the copy. */
function deepFrozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map((item: unknown) => deepFrozenCopy(item))) as T;
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = deepFrozenCopy(item);
    return Object.freeze(copy) as T;
  }
  return value;
}
