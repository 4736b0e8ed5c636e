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
    void this.dataSource
      .query(`DELETE FROM rate_limit_windows WHERE window_start < now() - make_interval(secs => $1)`, [
        this.windowMs / 1000,
      ])
      .catch(() => undefined); // the next sweep tries again
  }
}
