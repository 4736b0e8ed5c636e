import { READ_MODELS } from '../../libs/projections/index.js';
import type { Table } from '../../libs/projections/table.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * Each read model's declaration (libs/projections/read-models/) against the database the migrations
 * built, as information_schema describes it: the same columns in the same order, each with its type
 * and nullability, the same primary key, and for a column that lists its values, the values its CHECK
 * allows. The migrations are the schema's history and stay as they are: a declaration follows them.
 */

describe('read-model declarations (real PostgreSQL)', () => {
  let db: TestDatabase;
  const q = <T>(sql: string, params: unknown[] = []) => db.dataSource.query<T[]>(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const tables = READ_MODELS.map((r): [string, Table] => [r.table.name, r.table]);

  it.each(tables)('%s: columns, types and nullability as migrated', async (name, table) => {
    const migrated = await q(
      `SELECT column_name AS name, data_type AS type, is_nullable = 'YES' AS nullable
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1
        ORDER BY ordinal_position`,
      [name],
    );
    // The declared types, spelled by PostgreSQL as information_schema spells them.
    const columns = Object.entries(table.columns);
    const types = await q<{ type: string }>(
      `SELECT format_type(to_regtype(t), NULL) AS type FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)
        ORDER BY n`,
      [columns.map(([, c]) => c.type)],
    );
    const declared = columns.map(([column, c], i) => ({
      name: column,
      type: types[i].type,
      nullable: c.nullable ?? false,
    }));
    expect(migrated.length).toBeGreaterThan(0);
    expect(declared).toEqual(migrated);
  });

  it.each(tables)('%s: primary key as migrated', async (name, table) => {
    const key = await q<{ column_name: string }>(
      `SELECT k.column_name
         FROM information_schema.table_constraints t
         JOIN information_schema.key_column_usage k
           ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name
        WHERE t.table_schema = current_schema() AND t.table_name = $1 AND t.constraint_type = 'PRIMARY KEY'
        ORDER BY k.ordinal_position`,
      [name],
    );
    expect(table.key).toEqual(key.map((k) => k.column_name));
  });

  it.each(tables)('%s: the values a column lists are the values its CHECK allows', async (name, table) => {
    for (const [column, spec] of Object.entries(table.columns)) {
      if (!spec.values) continue;
      const checks = await q<{ check_clause: string }>(
        `SELECT c.check_clause
           FROM information_schema.constraint_column_usage u
           JOIN information_schema.check_constraints c
             ON c.constraint_schema = u.constraint_schema AND c.constraint_name = u.constraint_name
          WHERE u.table_schema = current_schema() AND u.table_name = $1 AND u.column_name = $2
            AND c.check_clause LIKE '%ANY (ARRAY[%'`,
        [name, column],
      );
      expect(checks).toHaveLength(1);
      const allowed = [...checks[0].check_clause.matchAll(/'([^']*)'::text/g)].map((m) => m[1]);
      expect({ column, values: [...spec.values].sort() }).toEqual({ column, values: allowed.sort() });
    }
  });

  it.each(tables)('%s: the TypeORM entity maps the declaration', (name, table) => {
    const metadata = db.dataSource.getMetadata(table.entity);
    expect(metadata.tableName).toBe(name);
    expect(
      metadata.columns.map((c) => [c.propertyName, c.databaseName, c.type, c.isNullable, c.isPrimary]),
    ).toEqual(
      Object.entries(table.columns).map(([column, c]) => [
        column,
        column,
        c.type,
        c.nullable ?? false,
        c.primary ?? false,
      ]),
    );
  });
});
