// Jest runs global setup outside its ESM transform, so the setups are plain JS and use the compiled
// code in dist/. This builds it (incrementally: a no-op when nothing changed).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function ensureBuilt() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('build failed: the tests need dist/ (tsc -p tsconfig.build.json)');
}

/** The web app (web/, Vite) into dist/web, which the API serves. About a second. */
export function ensureWebBuilt() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.mjs', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error('web app build failed: the browser tests need dist/web (npm run build:web)');
}

/** The prebuilt workflow bundle (dist/workflow-bundle.js), as production workers load it. */
export const WORKFLOW_BUNDLE = fileURLToPath(new URL('../../dist/workflow-bundle.js', import.meta.url));

export function ensureWorkflowBundle() {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const result = spawnSync(process.execPath, ['dist/apps/worker/bundle.js', WORKFLOW_BUNDLE], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('workflow bundle failed: node dist/apps/worker/bundle.js');
}
