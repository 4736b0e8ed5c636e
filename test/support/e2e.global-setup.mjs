import { ensureBuilt } from './build.mjs';

/** End-to-end tests run the compiled apps, exactly as production does: build them first. */
export default function setup() {
  ensureBuilt();
}
