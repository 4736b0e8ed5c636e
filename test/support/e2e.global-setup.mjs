import { ensureBuilt, ensureWorkflowBundle } from './build.mjs';

/**
 * End-to-end tests run the compiled apps, exactly as production does: build them first, and the
 * workflow bundle the workers load (a worker restarted by a test starts in a second instead of bundling).
 */
export default function setup() {
  ensureBuilt();
  ensureWorkflowBundle();
}
