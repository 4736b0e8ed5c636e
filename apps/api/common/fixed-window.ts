/**
 * Counts events per key in fixed windows (in memory, so per API process): the count of the key's
 * current window, and the seconds until it ends (for Retry-After). Keys are swept when too many are
 * tracked, so a flood of distinct keys cannot grow memory without bound.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxTracked = 100_000,
  ) {}

  hit(key: string, now = Date.now()): { count: number; retryAfterSeconds: number } {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxTracked) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return {
      count: window.count,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    if (this.windows.size >= this.maxTracked) this.windows.clear();
  }
}
