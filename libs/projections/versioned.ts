import type { EntityManager } from 'typeorm';
import { ANNULLED } from '../domain/vocabulary.js';
import type { FoldedEvent } from './read-model.js';
import { recordDefinition, upsert, type KeyColumn, type RowOf, type Table } from './table.js';

/*
 * Read models versioned over recorded time (adherence_facts, adherence_placements,
 * statutory_ledger_versions): one row per version of a key's facts, valid over [recorded_from,
 * recorded_to) in the event store's recorded time. The current facts are the rows with recorded_to
 * NULL; the facts as they stood at any instant T are the rows valid at T, which is what replaying the
 * events recorded up to T gives. Built event by event, so a projector that catches up after downtime
 * writes the same versions as one that kept up.
 */

/** The columns of a version, after its key's: the event that made it, and its interval. */
export const RECORDED_TIME = {
  stream_version: { type: 'integer', primary: true },
  recorded_from: { type: 'timestamptz' },
  recorded_to: { type: 'timestamptz', nullable: true },
} as const;

export interface Recorded {
  readonly stream_version: number;
  readonly recorded_from: string;
  readonly recorded_to: string | null;
}

/** A version's interval as an event opens it: from its recorded_at, until a later version closes it. */
export const recordedBy = (e: FoldedEvent): Recorded => ({
  stream_version: e.streamVersion,
  recorded_from: e.recordedAt,
  recorded_to: null,
});

/**
 * A versioned table's parts, from its declaration: the key its rows are versions of (`by`: the
 * primary key less stream_version), and the facts a version holds (the columns neither in the key nor
 * of RECORDED_TIME). A new version is written when any of the facts changed.
 */
export function versionsOf<T extends Table>(
  t: T,
): {
  by: readonly Exclude<KeyColumn<T>, keyof Recorded>[];
  facts: readonly Exclude<keyof RowOf<T> & string, KeyColumn<T> | keyof Recorded>[];
} {
  const versioning = (c: string) => c in RECORDED_TIME;
  return {
    by: t.key.filter((c) => !versioning(c)) as Exclude<KeyColumn<T>, keyof Recorded>[],
    facts: Object.keys(t.columns).filter((c) => !t.key.includes(c) && !versioning(c)) as Exclude<
      keyof RowOf<T> & string,
      KeyColumn<T> | keyof Recorded
    >[],
  };
}

/**
 * Orders a batch's versions per key (the columns `by`) by stream version and links each to the next
 * (recorded_to). `firsts` holds the first new version of each key: it closes the key's current row.
 */
export function link<V extends Recorded>(
  versions: readonly V[],
  by: readonly (keyof V & string)[],
): { rows: V[]; firsts: V[] } {
  const byKey = new Map<string, V[]>();
  for (const v of versions) {
    const key = by.map((c) => String(v[c])).join('/');
    const list = byKey.get(key);
    if (list) list.push(v);
    else byKey.set(key, [v]);
  }
  const rows: V[] = [];
  const firsts: V[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.stream_version - b.stream_version);
    const linked = list.map((v, i) => ({ ...v, recorded_to: list[i + 1]?.recorded_from ?? null }));
    firsts.push(linked[0]);
    rows.push(...linked);
  }
  return { rows, firsts };
}

/**
 * Writes a batch's linked versions (see `link`): closes the current row of each key in `firsts` where
 * its first new version starts, then inserts `rows`, one statement each. Returns the closed rows'
 * `returning` columns (none without it).
 */
export async function writeVersions<T extends Table, F extends Recorded>(
  m: EntityManager,
  t: T,
  by: readonly (keyof F & string)[],
  linked: { readonly rows: readonly RowOf<T>[]; readonly firsts: readonly F[] },
  returning?: string,
): Promise<unknown[]> {
  const closed = await closeCurrent(m, t, by, linked.firsts, returning);
  await upsert(m, t, linked.rows, 'nothing');
  return closed;
}

/**
 * Closes the current row of each key in `firsts` where that first new version starts, in one UPDATE.
 * Returns the closed rows' `returning` columns (none without it).
 */
async function closeCurrent<F extends Recorded>(
  m: EntityManager,
  t: Table,
  by: readonly (keyof F & string)[],
  firsts: readonly F[],
  returning?: string,
): Promise<unknown[]> {
  const fields: readonly (keyof F & string)[] = [...by, 'recorded_from'];
  const closing = firsts.map((f) => Object.fromEntries(fields.map((c) => [c, f[c]])));
  // TypeORM answers an UPDATE with [rows, count].
  const [closed] = await m.query<[unknown[], number]>(
    `UPDATE ${t.name} v SET recorded_to = f.recorded_from
       FROM jsonb_to_recordset($1::jsonb) AS f(${recordDefinition(t, fields)})
      WHERE ${by.map((c) => `v.${c} = f.${c}`).join(' AND ')} AND v.recorded_to IS NULL
      ${returning ? `RETURNING ${returning}` : ''}`,
    [JSON.stringify(closing)],
  );
  return closed;
}

/** A placement annulled (registered by mistake), and when the annulment was recorded. */
export interface Annulment {
  readonly placement_id: string;
  readonly at: string;
}

/** The annulment an event records, if it is one (PlacementEnded with the reason ANNULLED). */
export const annulmentBy = (e: FoldedEvent): Annulment | undefined =>
  e.event.type === 'PlacementEnded' && e.event.data.reason === ANNULLED
    ? { placement_id: e.placementId, at: e.recordedAt }
    : undefined;

/**
 * An annulled placement leaves the adherence figures: every current version of its rows (`t` is keyed
 * by placement_id) closes at the annulment, with no version after it. The figures as they stood before
 * the annulment (a report as of an earlier instant) still hold it, as they did then. Call after the
 * batch's versions are written (an annulment is a package's last event). Returns the closed rows'
 * `returning` columns.
 */
export async function closeAnnulled(
  m: EntityManager,
  t: Table,
  annulled: readonly Annulment[],
  returning?: string,
): Promise<unknown[]> {
  if (annulled.length === 0) return [];
  const [closed] = await m.query<[unknown[], number]>(
    `UPDATE ${t.name} v SET recorded_to = f.at
       FROM jsonb_to_recordset($1::jsonb) AS f(placement_id uuid, at timestamptz)
      WHERE v.placement_id = f.placement_id AND v.recorded_to IS NULL
      ${returning ? `RETURNING ${returning}` : ''}`,
    [JSON.stringify(annulled)],
  );
  return closed;
}
