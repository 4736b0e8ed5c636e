import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundle entry: compiled JS next to this file in dist/, TypeScript source when run from source. */
export function workflowsEntry(): string {
  const js = fileURLToPath(new URL('../../workflows/index.js', import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}
