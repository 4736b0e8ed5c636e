// Small numeric helpers for the engine benchmark.

/** The p-th percentile (0–100) by nearest rank; undefined for no samples. */
export function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summary(values) {
  if (values.length === 0) return { count: 0 };
  return {
    count: values.length,
    min: round(Math.min(...values)),
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(Math.max(...values)),
    mean: round(values.reduce((a, b) => a + b, 0) / values.length),
  };
}

export const round = (value, digits = 1) =>
  value === undefined || value === null ? value : Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs `fn(item, index)` for every item with at most `concurrency` calls in flight; returns the
 * per-call latencies (ms) and the elapsed wall time (ms). The first error stops new calls and is thrown
 * once the calls in flight have settled.
 */
export async function runPool(items, concurrency, fn) {
  const latencies = new Array(items.length);
  let next = 0;
  let failure;
  const started = performance.now();
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      const t0 = performance.now();
      try {
        await fn(items[index], index);
      } catch (error) {
        failure ??= error;
        return;
      }
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== undefined) throw failure;
  return { latencies, elapsedMs: performance.now() - started };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatMs(ms) {
  if (ms === undefined || ms === null) return 'n/a';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
