import type { DataSource } from 'typeorm';
import { BUILT_IN_CATALOGS } from '../domain/catalog/default-catalog.js';
import { CatalogValidationError, publishCatalog } from '../domain/catalog/publish.js';
import type { Catalog } from '../domain/catalog/types.js';
import type { Actor } from '../domain/vocabulary.js';
import { deterministicId, EventStore, StreamVersionConflictError } from '../event-store/index.js';

/** Catalog versions live in the event store: one stream per version, holding one CatalogPublished event. */
export const CATALOG_STREAM_TYPE = 'catalog';
export const CATALOG_PUBLISHED = 'CatalogPublished';

export interface CatalogPublished {
  readonly catalog: Catalog;
  readonly by: Actor;
  readonly at: string;
}

export interface CatalogSummary {
  readonly version: string;
  readonly description?: string;
  readonly steps: number;
  /** `built-in`: shipped with the release; `published`: published by an administrator. */
  readonly source: 'built-in' | 'published';
  readonly publishedAt?: string;
  readonly publishedBy?: string;
}

/** The version is already taken: a published catalog never changes (publish a new version instead). */
export class CatalogVersionTakenError extends Error {
  constructor(readonly version: string) {
    super(`catalog version ${version} exists`);
    this.name = 'CatalogVersionTakenError';
  }
}

export class UnknownCatalogVersionError extends Error {
  constructor(readonly version: string) {
    super(`Unknown catalog version ${version}`);
    this.name = 'UnknownCatalogVersionError';
  }
}

const streamOf = (version: string) => ({
  streamType: CATALOG_STREAM_TYPE,
  streamId: deterministicId(CATALOG_STREAM_TYPE, version),
});

/**
 * Published catalog versions: the release's built-in versions plus those an administrator published,
 * stored append-only in the event store, so a version can be added but never altered or removed. A
 * published catalog is immutable, which is why an in-process cache never goes stale.
 */
export class CatalogStore {
  private readonly builtIn: ReadonlyMap<string, Catalog>;
  private readonly cache = new Map<string, Catalog>();
  private readonly events: EventStore;

  constructor(
    private readonly dataSource: DataSource,
    builtIn: readonly Catalog[] = BUILT_IN_CATALOGS,
  ) {
    this.builtIn = new Map(builtIn.map((c) => [c.version, publishCatalog(c)]));
    this.events = new EventStore(dataSource);
  }

  async get(version: string): Promise<Catalog> {
    const known = this.builtIn.get(version) ?? this.cache.get(version);
    if (known) return known;
    const [event] = await this.events.readStream(streamOf(version));
    if (!event) throw new UnknownCatalogVersionError(version);
    const catalog = publishCatalog((event.payload as unknown as CatalogPublished).catalog);
    this.cache.set(version, catalog);
    return catalog;
  }

  async list(): Promise<CatalogSummary[]> {
    const rows = await this.dataSource.query<{ payload: CatalogPublished }[]>(
      `SELECT payload FROM events WHERE stream_type = $1 AND type = $2 ORDER BY global_position`,
      [CATALOG_STREAM_TYPE, CATALOG_PUBLISHED],
    );
    const summary = (c: Catalog) => ({
      version: c.version,
      ...(c.description ? { description: c.description } : {}),
      steps: c.steps.length,
    });
    return [
      ...[...this.builtIn.values()].map((c) => ({ ...summary(c), source: 'built-in' as const })),
      ...rows.map(({ payload }) => ({
        ...summary(payload.catalog),
        source: 'published' as const,
        publishedAt: payload.at,
        publishedBy: payload.by.userId,
      })),
    ].sort((a, b) => compareVersions(a.version, b.version));
  }

  /**
   * Validates and publishes a new version. Publishing the same content again is a no-op (a retried
   * request); other content under an existing version is refused.
   *
   * @throws CatalogValidationError when the catalog is invalid (nothing is stored)
   * @throws CatalogVersionTakenError when the version exists with other content
   */
  async publish(
    input: unknown,
    by: Actor,
    now = new Date(),
  ): Promise<{ catalog: Catalog; created: boolean }> {
    const catalog = publishCatalog(input as Catalog);
    if (this.builtIn.has(catalog.version)) throw new CatalogVersionTakenError(catalog.version);
    const stream = streamOf(catalog.version);
    const existing = await this.events.readStream(stream);
    const stored = existing[0]?.payload as unknown as CatalogPublished | undefined;
    if (stored) {
      if (sameJson(stored.catalog, catalog))
        return { catalog: publishCatalog(stored.catalog), created: false };
      throw new CatalogVersionTakenError(catalog.version);
    }
    const payload: CatalogPublished = { catalog, by, at: now.toISOString() };
    try {
      await this.events.append(stream, 0, [
        {
          eventId: deterministicId(CATALOG_STREAM_TYPE, catalog.version, '1'),
          type: CATALOG_PUBLISHED,
          payload: payload as unknown as Record<string, unknown>,
        },
      ]);
    } catch (error) {
      // Someone else published this version in the meantime.
      if (error instanceof StreamVersionConflictError) throw new CatalogVersionTakenError(catalog.version);
      throw error;
    }
    return { catalog, created: true };
  }
}

/** `2026.2` before `2026.10`. */
export function compareVersions(a: string, b: string): number {
  const [ya = 0, na = 0] = a.split('.').map(Number);
  const [yb = 0, nb = 0] = b.split('.').map(Number);
  return ya - yb || na - nb;
}

/** JSON equality independent of key order (jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export { CatalogValidationError };
