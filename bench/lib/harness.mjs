import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from './stats.mjs';

/**
 * The shared tail of every benchmark: runs `run` under a watchdog (`timeoutMin`) and SIGINT/SIGTERM,
 * records an error in `result.errors`, cleans up (at most 60 s, then kills the worker and API of
 * `stack()`), writes `result` to `resultPath`, prints `report()` and exits: 0 when the run completed
 * (figures that miss their targets included), 1 on an error.
 */
export async function runBenchmark({
  run,
  cleanup,
  stack,
  result,
  resultPath,
  report,
  timeoutMin,
  benchStart,
  log,
}) {
  let interrupt;
  const interrupted = new Promise((_, reject) => (interrupt = reject));
  const watchdog = setTimeout(
    () => interrupt(new Error(`gave up after --timeout-min ${timeoutMin}`)),
    timeoutMin * 60_000,
  );
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => interrupt(new Error(`${signal} received`)));

  let exitCode = 0;
  try {
    await Promise.race([run(), interrupted]);
  } catch (error) {
    exitCode = 1;
    result.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(`error: ${String(error)}`);
  } finally {
    clearTimeout(watchdog);
  }
  log('cleaning up');
  const cleaned = await Promise.race([cleanup().then(() => true), sleep(60_000).then(() => false)]);
  if (!cleaned) {
    log('clean-up took over 60 s: killing the worker and API processes');
    for (const app of [stack()?.worker, stack()?.api]) app?.child.kill('SIGKILL');
  }
  result.wallMs = performance.now() - benchStart;
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');
  report();
  process.exit(exitCode);
}

/** One clean-up step: a failure is logged and the next step still runs. */
export const cleanupStep = (log) => async (what, fn) => {
  try {
    await fn();
  } catch (error) {
    log(`clean-up: ${what}: ${String(error)}`);
  }
};
