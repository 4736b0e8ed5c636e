import 'reflect-metadata';
import { parseConfig } from '../../libs/config/config.js';
import { openDatabase } from '../../libs/database/data-source.js';
import { readModelChecksum, rebuild } from '../../libs/projections/rebuild.js';

/**
 * `npm run projections:rebuild` (DATABASE_URL): throws the read models away and replays every event.
 * Prints one JSON line: events replayed, the checksum before and after (equal when the live read models
 * were right and no event arrived meanwhile), and the time taken.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const dataSource = await openDatabase(config.DATABASE_URL, 2);
  try {
    const before = await readModelChecksum(dataSource);
    const started = performance.now();
    const result = await rebuild(dataSource);
    const after = await readModelChecksum(dataSource);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `${JSON.stringify({ ...result, ms, before, after, unchanged: before === after })}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projections:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
