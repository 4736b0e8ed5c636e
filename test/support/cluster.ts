import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePortBelow, startStack, type RunningStack } from '../../libs/dev-servers/index.js';

/**
 * The production-shaped system for one cluster test file (`npm run start:cluster` runs the same): the
 * Temporal server's four services as processes of their own on embedded PostgreSQL, two workers and two
 * APIs, all supervised: a process a test kills with SIGKILL is started again after a second, as an
 * orchestrator would. Logs (the Temporal services' too) go to test-results/logs/<name>/.
 */
export async function startClusterStack(
  name: string,
  extraEnv?: Record<string, string>,
): Promise<RunningStack> {
  return startStack({
    ...(extraEnv ? { extraEnv } : {}),
    dataDir: mkdtempSync(join(tmpdir(), `omsorg-cluster-${name}-`)),
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePortBelow(),
    persistent: false,
    logLevel: 'info',
    output: { logDir: fileURLToPath(new URL(`../../test-results/logs/${name}/`, import.meta.url)) },
    temporal: 'cluster',
    replicas: 2,
    restart: true,
    restartPolicy: { initialDelayMs: 1_000, maxDelayMs: 5_000, resetAfterMs: 30_000 },
  });
}

/** The worker process (its pid) that holds the projector's lock now, read from PostgreSQL. */
export const PROJECTOR_HOLDER_SQL = `
  SELECT substring(a.application_name FROM 'pid=([0-9]+)')::int AS pid
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'advisory' AND l.granted
     AND a.application_name LIKE 'omsorgspakken leader projector:read-models %'`;
