import { DataSource, type DataSourceOptions } from 'typeorm';
import { EventRecord } from '../event-store/event-record.entity.js';
import { readModelEntities } from '../projections/read-models/index.js';
import { migrations } from './migrations/index.js';

export const entities = [EventRecord, ...readModelEntities];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false, // run under an advisory lock by migrate() instead
    migrationsTransactionMode: 'each',
    // At least 2: migrate() holds one connection for its lock while the migrations use another.
    extra: { max: Math.max(poolSize, 2), application_name: 'omsorgspakken' },
    // findOneBy({ id: undefined }) would otherwise match the first row.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
  };
}

const MIGRATION_LOCK = 7_246_310_551; // arbitrary, fixed: one migrator at a time across processes

/**
 * Applies pending migrations while holding a session-level advisory lock, so the API and the worker
 * may both start at once against a fresh database without racing each other.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens a DataSource and brings its schema up to date. */
export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(url, poolSize));
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
