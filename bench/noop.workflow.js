// The baseline workflow of the engine benchmark: it does nothing but accept one `ready` Update, so
// start + Update measures what Temporal, the SDK and the worker cost before any placement logic.
// Bundled by the benchmark's own worker (bench/engine.mjs), never by the application's worker.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

const readyUpdate = defineUpdate('ready');

/** Ignores its input (sent only so that payload sizes match a registration) and ends once ready. */
export async function noop() {
  let ready = false;
  setHandler(readyUpdate, () => {
    ready = true;
    return { ready: true };
  });
  await condition(() => ready);
}
