import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startStack, type RunningStack } from '../../libs/dev-servers/index.js';

/**
 * The real system for one end-to-end test file: embedded PostgreSQL, the Temporal CLI dev server, and
 * the compiled worker and API as child processes. Logs go to test-results/logs/<name>/.
 */
export async function startTestStack(name: string, extraEnv?: Record<string, string>): Promise<RunningStack> {
  return startStack({
    ...(extraEnv ? { extraEnv } : {}),
    dataDir: mkdtempSync(join(tmpdir(), `omsorg-e2e-${name}-`)),
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    persistent: false,
    logLevel: 'info',
    output: { logDir: fileURLToPath(new URL(`../../test-results/logs/${name}/`, import.meta.url)) },
  });
}
