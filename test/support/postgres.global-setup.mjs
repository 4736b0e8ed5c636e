import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureBuilt } from './build.mjs';

const TEMPLATE_DB = 'omsorg_test_template';

/**
 * One real PostgreSQL per test run, with a migrated template database; each test file clones it
 * (test/support/database.ts). TEST_DATABASE_URL points at an external server instead; its database
 * name must contain "test", so that no suite ever runs against a real database.
 */
export default async function setup() {
  ensureBuilt();
  const { openDatabase } = await import('../../dist/libs/database/data-source.js');
  const { freePort, startEmbeddedPostgres } = await import('../../dist/libs/dev-servers/index.js');
  const external = process.env.TEST_DATABASE_URL;
  let baseUrl;
  if (external) {
    const url = new URL(external);
    if (!url.pathname.includes('test')) {
      throw new Error(`TEST_DATABASE_URL must name a database containing "test" (got ${url.pathname})`);
    }
    baseUrl = external;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'omsorg-pg-'));
    const server = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      persistent: false,
      unsafeFast: true,
    });
    globalThis.__omsorgPostgres = server;
    baseUrl = server.url('postgres');
  }
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(baseUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await (await openDatabase(templateUrl.toString(), 1)).destroy();
  process.env.OMSORG_TEST_PG_URL = baseUrl;
}
