/** What the administrators' pages read from the API (reference data, catalogs, people). */

export interface Municipality {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly serviceId: string | null;
}

export interface Service {
  readonly id: string;
  readonly name: string;
  readonly hostMunicipalityId: string;
  readonly memberMunicipalityIds: readonly string[];
  readonly networkId: string | null;
}

export interface Region {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly catalogVersion: string | null;
  readonly municipalities: number;
  readonly services: number;
  readonly networks: number;
}

export interface Network {
  readonly id: string;
  readonly name: string;
  readonly serviceIds: readonly string[];
}

export interface ClosureDay {
  readonly date: string;
  readonly reason?: string;
}

export interface CatalogSummary {
  readonly version: string;
  readonly description?: string;
  readonly steps: number;
  readonly source: 'built-in' | 'published';
  readonly publishedAt?: string;
  readonly publishedBy?: string;
}

export interface CatalogStep {
  readonly id: string;
  readonly title: string;
  readonly track: string;
  readonly role: string;
  readonly offsetDays: number;
  readonly anchor: { readonly kind: string; readonly stepId?: string };
  readonly basis: { readonly kind: string };
}

export interface CatalogDocument {
  readonly version: string;
  readonly description?: string;
  readonly steps: readonly CatalogStep[];
  readonly [key: string]: unknown;
}

export interface CatalogImpact {
  readonly version: string;
  readonly placements: number;
  readonly affectedPlacements: number;
  readonly moved: number;
  readonly added: number;
  readonly cancelled: number;
  readonly steps: readonly {
    readonly stepId: string;
    readonly title: string;
    readonly moved: number;
    readonly added: number;
    readonly cancelled: number;
  }[];
}

export interface Person {
  readonly personId: string;
  readonly userId: string;
  readonly serviceId: string;
  readonly name: string | null;
  readonly userName: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly source: 'login' | 'manual' | 'scim';
  readonly loggedIn: boolean;
  readonly lastSeen: string | null;
  readonly assignable: boolean;
  readonly groups: readonly { readonly groupId: string; readonly displayName: string }[];
}

export const SOURCE_LABEL: Record<Person['source'], string> = {
  login: 'Fra innlogging',
  manual: 'Lagt inn for hånd',
  scim: 'Fra identitetsleverandøren (SCIM)',
};

/** The next free version after the newest (`YYYY.N` → `YYYY.N+1`, or this year's first). */
export function nextVersion(versions: readonly string[], year: number): string {
  let best = 0;
  for (const v of versions) {
    const m = /^(\d{4})\.(\d+)$/.exec(v);
    if (m && Number(m[1]) === year) best = Math.max(best, Number(m[2]));
  }
  return `${year}.${best + 1}`;
}
