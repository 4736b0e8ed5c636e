import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, ensureWebBuilt, ensureWorkflowBundle } from './build.mjs';

/**
 * Browser tests run the compiled apps and the built web app, exactly as `npm start` serves them: one
 * stack (PostgreSQL, the Temporal dev server, the compiled worker and API) for the whole run, started
 * here and stopped by browser.global-teardown.mjs. Each spec file reads its address from
 * BROWSER_STACK_API_URL (test/support/browser-suite.ts) and builds the data it needs itself.
 */
export default async function setup() {
  ensureBuilt();
  ensureWorkflowBundle();
  ensureWebBuilt();
  // Global setup runs outside Jest's transform: the compiled launcher code, as npm start runs it.
  const { freePort, startStack } = await import('../../dist/libs/dev-servers/index.js');
  const stack = await startStack({
    dataDir: mkdtempSync(join(tmpdir(), 'omsorg-e2e-browser-')),
    apiPort: await freePort(),
    pgPort: await freePort(),
    temporalPort: await freePort(),
    persistent: false,
    logLevel: 'info',
    // Seeded placements are registered weeks late and the leaders' pages show their escalations at once:
    // no registration grace here (the e2e tier checks the grace with the default).
    extraEnv: { REGISTRATION_GRACE_WORKING_DAYS: '0' },
    output: { logDir: fileURLToPath(new URL('../../test-results/logs/browser/', import.meta.url)) },
  });
  globalThis.__browserStack = stack;
  // Test files run in workers started after this, which inherit the environment.
  process.env.BROWSER_STACK_API_URL = stack.apiUrl;
}
