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
