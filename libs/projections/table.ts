import { EntitySchema, type EntityManager } from 'typeorm';
import type { IsoDate, IsoInstant } from '../domain/vocabulary.js';

/*
 * A read-model table declared once: its columns with their PostgreSQL types, in the order the
 * migrations created them (libs/database/migrations, which stay as they are). The row type, the
 * TypeORM entity and the SQL the projector writes with are derived from it, and
 * test/integration/projections-schema.spec.ts holds every declaration against the migrated database.
 */

/** The PostgreSQL types the read models use, each with the value a row carries for it (as JSON). */
interface ValueOfType {
  uuid: string;
  text: string;
  integer: number;
  /** As text: a bigint can exceed 2^53. */
  bigint: string;
  boolean: boolean;
  /** `YYYY-MM-DD`. */
  date: IsoDate;
  /** ISO 8601 with the event's microseconds: never the wall clock. */
  timestamptz: IsoInstant;
  jsonb: object;
}
export type SqlType = keyof ValueOfType;

export interface ColumnSpec {
  readonly type: SqlType;
  /** Part of the primary key, which lists its columns in declaration order. */
  readonly primary?: true;
  readonly nullable?: true;
  /** The values the column's CHECK allows: the row's type is their union. */
  readonly values?: readonly string[];
}

type Columns = Readonly<Record<string, ColumnSpec>>;

type ValueOf<C extends ColumnSpec> =
  | (C['values'] extends readonly (infer V)[] ? V : ValueOfType[C['type']])
  | (C['nullable'] extends true ? null : never);

/** A row of a declared table, under its column names: what the projector writes and a query reads. */
export type RowOf<T extends Table> = { readonly [K in keyof T['columns']]: ValueOf<T['columns'][K]> };

/** The columns of a declared table's primary key. */
export type KeyColumn<T extends Table> = {
  [K in keyof T['columns']]: T['columns'][K]['primary'] extends true ? K : never;
}[keyof T['columns']] &
  string;

export interface Table<C extends Columns = Columns> {
  readonly name: string;
  readonly columns: C;
  /** The primary key's columns, in order. */
  readonly key: readonly string[];
  /** The TypeORM mapping (properties named as the columns), registered with the data source. */
  readonly entity: EntitySchema;
}

export function table<const C extends Columns>(name: string, columns: C): Table<C> {
  return {
    name,
    columns,
    key: Object.keys(columns).filter((c) => columns[c].primary),
    entity: new EntitySchema({
      name,
      tableName: name,
      columns: Object.fromEntries(
        Object.entries(columns).map(([column, { type, primary, nullable }]) => [
          column,
          { type, primary: primary ?? false, nullable: nullable ?? false },
        ]),
      ),
    }),
  };
}

/** `name type, …` of the given columns: the record definition of jsonb_to_recordset. */
export function recordDefinition(t: Table, columns: readonly string[] = Object.keys(t.columns)): string {
  return columns.map((c) => `${c} ${t.columns[c].type}`).join(', ');
}

/**
 * Writes rows as one multi-row INSERT … ON CONFLICT: they travel as one jsonb array and
 * jsonb_to_recordset types them by the declaration. On a key already there, `update` overwrites the
 * other columns and `nothing` keeps the row (a version, once written, never changes).
 */
export async function upsert<T extends Table>(
  m: EntityManager,
  t: T,
  rows: readonly RowOf<T>[],
  onConflict: 'update' | 'nothing' = 'update',
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(t.columns);
  const updates = names.filter((n) => !t.key.includes(n)).map((n) => `${n} = EXCLUDED.${n}`);
  await m.query(
    `INSERT INTO ${t.name} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordDefinition(t)})
     ON CONFLICT (${t.key.join(', ')}) DO ${onConflict === 'update' ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    [JSON.stringify(rows)],
  );
}
