import { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_CATALOG } from '../libs/domain/catalog/default-catalog.js';
import { publishCatalog } from '../libs/domain/catalog/publish.js';
import type { Catalog } from '../libs/domain/catalog/types.js';

/** Where published catalog versions come from. In-memory for now; the admin API adds stored versions. */
export interface CatalogSource {
  get(version: string): Promise<Catalog>;
}

export function builtInCatalogs(extra: readonly Catalog[] = []): CatalogSource {
  const versions = new Map<string, Catalog>();
  for (const c of [DEFAULT_CATALOG, ...extra]) versions.set(c.version, publishCatalog(c));
  return {
    get: (version) => {
      const catalog = versions.get(version);
      if (!catalog) {
        // Retrying cannot help: a placement names a version that does not exist.
        throw ApplicationFailure.nonRetryable(`Unknown catalog version ${version}`, 'UnknownCatalogVersion');
      }
      return Promise.resolve(catalog);
    },
  };
}
