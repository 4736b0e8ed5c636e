import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/database/data-source.js';

export interface TestDatabase {
  readonly url: string;
  readonly dataSource: DataSource;
  drop(): Promise<void>;
}

const TEMPLATE_DB = 'omsorg_test_template';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const base = process.env.OMSORG_TEST_PG_URL;
  if (!base)
    throw new Error('OMSORG_TEST_PG_URL is not set: run this test through its Jest project (global setup)');
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test file: a clone of the template made in global setup. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `omsorg_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
  const url = new URL(process.env.OMSORG_TEST_PG_URL!);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(dataSourceOptions(url.toString(), 5)).initialize();
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
