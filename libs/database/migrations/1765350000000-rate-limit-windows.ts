import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `rate_limit_windows`: the API's rate-limit counters (per user, per address for refused logins), one
 * fixed window per key, shared by every API process (apps/api/common/fixed-window.ts). Unlogged: a
 * counter lost in a database crash only lets a client start its minute again.
 */
export class RateLimitWindows1765350000000 implements MigrationInterface {
  name = 'RateLimitWindows1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_windows (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        count integer NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_limit_windows_start ON rate_limit_windows (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_windows`);
  }
}
