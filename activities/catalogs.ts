import { ApplicationFailure } from '@temporalio/activity';
import { UnknownCatalogVersionError, type CatalogStore } from '../libs/catalogs/index.js';
import { BUILT_IN_CATALOGS } from '../libs/domain/catalog/default-catalog.js';
import { publishCatalog } from '../libs/domain/catalog/publish.js';
import type { Catalog } from '../libs/domain/catalog/types.js';

/** Where published catalog versions come from. */
export interface CatalogSource {
  get(version: string): Promise<Catalog>;
}

const unknownVersion = (version: string) =>
  // Retrying cannot help: a placement names a version that does not exist.
  ApplicationFailure.nonRetryable(`Unknown catalog version ${version}`, 'UnknownCatalogVersion');

/** Built-in versions only (tests that run without the catalog store). */
export function builtInCatalogs(extra: readonly Catalog[] = []): CatalogSource {
  const versions = new Map<string, Catalog>();
  for (const c of [...BUILT_IN_CATALOGS, ...extra]) versions.set(c.version, publishCatalog(c));
  return {
    get: (version) => {
      const catalog = versions.get(version);
      return catalog ? Promise.resolve(catalog) : Promise.reject(unknownVersion(version));
    },
  };
}

/** Built-in and published versions (the worker's source). An unknown version fails without retries. */
export function storedCatalogs(store: CatalogStore): CatalogSource {
  return {
    get: async (version) => {
      try {
        return await store.get(version);
      } catch (error) {
        if (error instanceof UnknownCatalogVersionError) throw unknownVersion(version);
        throw error;
      }
    },
  };
}
