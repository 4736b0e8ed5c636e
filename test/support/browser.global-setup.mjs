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
  // demo.spec.ts's data, sent before any file runs: a lead's quarter is published (frozen, for every
  // network) when a lead first asks for it, and leadership.spec.ts's lead asks for quarters that would
  // otherwise freeze without this data. The same plan as demo.spec.ts (which sends it again: every
  // command repeats with its key, and it gets the placement ids back).
  const { demoPlan } = await import('../../dist/apps/launcher/demo/demo-plan.js');
  const { seedDemoData } = await import('../../dist/apps/launcher/demo/demo-seed.js');
  const { osloDateOf } = await import('../../dist/libs/domain/package/clock.js');
  const plan = demoPlan({ anchor: osloDateOf(Date.now()), count: 120 }).filter((p) =>
    ['vestby', 'elvdal'].includes(p.service),
  );
  await seedDemoData({ apiUrl: stack.apiUrl, plan });
  // Test files run in workers started after this, which inherit the environment.
  process.env.BROWSER_STACK_API_URL = stack.apiUrl;
}
