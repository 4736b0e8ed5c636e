import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

const names = new Map<string, string>();
const MAX_NAMES = 10_000;

/**
 * Runs a query as a named prepared statement on the DataSource's pool: PostgreSQL parses and plans it
 * once per connection (then may keep a generic plan), where an unnamed statement is planned on every
 * call. For hot queries whose text comes from a small set (the inbox: one text per combination of
 * filters; never text built from values). The name is a hash of the text, so one text is one statement.
 * `npm run bench:api`: planning was about as costly as running the inbox query itself.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  let name = names.get(text);
  if (!name) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `q_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  const result = await pool.query<T & object>({ name, text, values });
  return result.rows;
}
