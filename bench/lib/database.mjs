// The API benchmarks' own PostgreSQL (bench/api.mjs, bench/adherence.mjs), and their load of test data,
// reused from an earlier run in the same --data-dir when it was made with the same parameters.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

/**
 * An embedded PostgreSQL (fsync off) with a migrated database `omsorgspakken`, its data in `dataDir`
 * (kept) or in a temporary directory named after `name` (removed at clean-up). What to stop and remove
 * goes into `resources` (lib/harness.mjs cleanupResources). Returns a pg data source and its URL.
 */
export async function startBenchDatabase({ name, dataDir, resources }) {
  const { freePort, startEmbeddedPostgres } = await import(dist('libs/dev-servers/index.js'));
  const { openDatabase } = await import(dist('libs/database/data-source.js'));
  resources.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), `omsorg-bench-${name}-`));
  resources.removeDataDir = !dataDir;
  const postgres = await startEmbeddedPostgres({
    dataDir: join(resources.dataDir, 'postgres'),
    port: await freePort(),
    persistent: true, // removed with the temporary directory; kept with --data-dir
    unsafeFast: true,
  });
  resources.postgres = postgres;
  await postgres.ensureDatabase('omsorgspakken');
  const databaseUrl = postgres.url('omsorgspakken');
  resources.dataSource = await openDatabase(databaseUrl, 4);
  return { ds: resources.dataSource, databaseUrl, dataDir: resources.dataDir };
}

/**
 * The load described by `wanted` (its parameters) in `dataDir`: the one recorded in `marker` there when
 * its parameters are the same (`reused`), else `load()`'s. A database holding events of another load is
 * refused. `save(record)` records a load as reusable (a benchmark may do so only once it is complete).
 */
export async function reusableLoad({ ds, dataDir, marker, wanted, load, log }) {
  const markerPath = join(dataDir, marker);
  const previous = existsSync(markerPath) ? JSON.parse(readFileSync(markerPath, 'utf8')) : undefined;
  const save = (record) => writeFileSync(markerPath, JSON.stringify(record, null, 2) + '\n');
  if (previous && Object.entries(wanted).every(([k, v]) => previous[k] === v)) {
    log(`reusing the load of ${previous.loadedAt} in ${dataDir}`);
    return { record: { ...previous, reused: true }, previous, reused: true, save };
  }
  if (previous || (await ds.query(`SELECT count(*)::int AS n FROM events`))[0].n > 0)
    throw new Error(`${dataDir} holds another load: remove it or choose another --data-dir`);
  const started = performance.now();
  const loaded = await load();
  const loadMs = performance.now() - started;
  const record = { ...wanted, loadedAt: new Date().toISOString(), ...loaded, loadMs, reused: false };
  return { record, previous, reused: false, save };
}
