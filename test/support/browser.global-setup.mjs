import { ensureBuilt, ensureWebBuilt, ensureWorkflowBundle } from './build.mjs';

/** Browser tests run the compiled apps and the built web app, exactly as `npm start` serves them. */
export default function setup() {
  ensureBuilt();
  ensureWorkflowBundle();
  ensureWebBuilt();
}
