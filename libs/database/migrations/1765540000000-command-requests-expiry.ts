import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `command_requests` rows are deleted once older than IDEMPOTENCY_KEY_DAYS (apps/api/commands/command-sender.ts):
 * by their age, so that the hourly delete reads the expired rows only, not the whole table.
 */
export class CommandRequestsExpiry1765540000000 implements MigrationInterface {
  name = 'CommandRequestsExpiry1765540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX command_requests_created_at_idx ON command_requests (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX command_requests_created_at_idx`);
  }
}
