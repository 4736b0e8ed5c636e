import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `rate_limit_windows.granted`: how many requests the last lease of a key's window handed to an API
 * process (apps/api/common/fixed-window.ts, RequestAllowance): a process takes a share of a user's
 * limit at once and counts it down in memory instead of writing one upsert per request.
 */
export class RateLimitLeases1765430000000 implements MigrationInterface {
  name = 'RateLimitLeases1765430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit_windows ADD COLUMN granted integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit_windows DROP COLUMN granted`);
  }
}
