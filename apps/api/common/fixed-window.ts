import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Counts events per key in fixed windows (a key's window starts at its first event and lasts
 * `windowMs`): the count of the key's current window, and the seconds until it ends (for Retry-After).
 * The counters live in PostgreSQL (`rate_limit_windows`, one row a key, counted in one atomic upsert on
 * the database's clock), so that every API process counts the same window: a client that spreads its
 * requests over several APIs is held to the limit of one. Windows that have ended are swept at most once
 * a window per process, so a flood of distinct keys cannot grow the table without bound.
 */
@Injectable()
export class SharedWindowCounter {
  readonly windowMs = 60_000;
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {}

  async hit(key: string): Promise<{ count: number; retryAfterSeconds: number }> {
    const [row] = await this.dataSource.query<{ count: number; retry_after: number }[]>(
      `INSERT INTO rate_limit_windows AS w (key, window_start, count) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN w.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE w.count + 1 END,
         window_start = CASE WHEN w.window_start <= now() - make_interval(secs => $2)
                             THEN now() ELSE w.window_start END
       RETURNING count,
         ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS retry_after`,
      [key, this.windowMs / 1000],
    );
    this.sweepNowAndThen();
    return { count: row.count, retryAfterSeconds: Math.max(1, row.retry_after) };
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    sweepEndedWindows(this.dataSource, this.windowMs);
  }
}

/** A process's share of one key's window: requests it may still let through without asking PostgreSQL. */
interface Lease {
  tokens: number;
  /** When the window ends, on this process's clock (from the database's remaining time). */
  endsAt: number;
  /** The window's limit was reached in PostgreSQL: refused until endsAt, without asking again. */
  exhausted: boolean;
  /** A lease being taken: concurrent requests of the key wait for it instead of taking their own. */
  pending?: Promise<void>;
}

/**
 * Admits at most `limit` requests per key and fixed window (60 s, from the key's first request) across
 * every API process, without one database write per request: a process leases a share of what is left
 * of the key's window from PostgreSQL (`rate_limit_windows`, one atomic upsert on the database's clock)
 * and counts it down in memory. A lease is an eighth of what is left, at most MAX_LEASE and at least
 * one, so the last requests of a window are leased one by one.
 *
 * Tolerance: a key is never let through more than `limit` times a window, whichever processes its
 * requests land on. It may be refused early by the requests other processes leased and have not used:
 * at most MAX_LEASE per other process, and at most an eighth of what was left when they leased (with the
 * default 600 a minute: at most 75 → 50). A key whose window is used up is refused from memory until
 * the window ends (a window's count never goes down), so a flood of refused requests costs no writes.
 */
@Injectable()
export class RequestAllowance {
  static readonly MAX_LEASE = 50;
  readonly windowMs = 60_000;
  private readonly leases = new Map<string, Lease>();
  private lastSweep = Date.now();
  /** Leases taken from PostgreSQL by this process (for tests and benchmarks). */
  leasesTaken = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether a request of `key` may pass, and the seconds until its window ends (for Retry-After). */
  async admit(key: string, limit: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    for (;;) {
      const now = Date.now();
      const lease = this.leases.get(key);
      if (lease && now < lease.endsAt) {
        const retryAfterSeconds = Math.max(1, Math.ceil((lease.endsAt - now) / 1000));
        if (lease.tokens > 0) {
          lease.tokens--;
          return { allowed: true, retryAfterSeconds };
        }
        if (lease.exhausted) return { allowed: false, retryAfterSeconds };
      }
      if (lease?.pending) {
        await lease.pending;
        continue;
      }
      await this.lease(key, limit);
    }
  }

  /** Takes the key's next lease (its tokens, or `exhausted`) and keeps it in `leases`. */
  private async lease(key: string, limit: number): Promise<void> {
    const waiting: Lease = this.leases.get(key) ?? { tokens: 0, endsAt: 0, exhausted: false };
    // Tokens of an ended window are not carried into the next one.
    if (Date.now() >= waiting.endsAt) waiting.tokens = 0;
    this.leases.set(key, waiting);
    const taking = (async () => {
      // The share leased: an eighth of what is left of the limit, at least 1, at most $3; 0 once used up.
      const share = (count: string) =>
        `CASE WHEN ${count} >= $2::int THEN 0 ELSE least($3::int, greatest(1, ($2::int - ${count}) / 8)) END`;
      const ended = `w.window_start <= now() - make_interval(secs => $4)`;
      const [row] = await this.dataSource.query<{ granted: number; remaining_ms: number }[]>(
        `INSERT INTO rate_limit_windows AS w (key, window_start, count, granted)
         VALUES ($1, now(), ${share('0')}, ${share('0')})
         ON CONFLICT (key) DO UPDATE SET
           granted = CASE WHEN ${ended} THEN excluded.granted ELSE ${share('w.count')} END,
           count = CASE WHEN ${ended} THEN excluded.count ELSE w.count + ${share('w.count')} END,
           window_start = CASE WHEN ${ended} THEN now() ELSE w.window_start END
         RETURNING granted,
           greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => $4) - now()) * 1000))::int
             AS remaining_ms`,
        [key, limit, RequestAllowance.MAX_LEASE, this.windowMs / 1000],
      );
      this.leasesTaken++;
      const granted = Math.max(0, row.granted);
      waiting.endsAt = Date.now() + row.remaining_ms;
      waiting.tokens += granted;
      waiting.exhausted = granted === 0;
    })();
    waiting.pending = taking;
    try {
      await taking;
    } finally {
      waiting.pending = undefined;
      this.sweepNowAndThen();
    }
  }

  /** Forgets the leases of ended windows and deletes their rows, at most once a window. */
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    sweepEndedWindows(this.dataSource, this.windowMs);
    for (const [key, lease] of this.leases)
      if (lease.endsAt <= now && !lease.pending) this.leases.delete(key);
  }
}

/** Deletes the rows of windows that have ended, in the background (the next sweep tries again). */
function sweepEndedWindows(dataSource: DataSource, windowMs: number): void {
  void dataSource
    .query(`DELETE FROM rate_limit_windows WHERE window_start < now() - make_interval(secs => $1)`, [
      windowMs / 1000,
    ])
    .catch(() => undefined);
}
