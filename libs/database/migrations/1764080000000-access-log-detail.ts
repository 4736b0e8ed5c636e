import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * access_log.detail: a fixed reason code for a refused login (token expired, bad signature, …), so that
 * failed logins are in the access log with why they failed. Never free text from the request.
 */
export class AccessLogDetail1764080000000 implements MigrationInterface {
  name = 'AccessLogDetail1764080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_log ADD COLUMN detail text CHECK (detail ~ '^[A-Za-z0-9_ -]{1,80}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_log DROP COLUMN detail`);
  }
}
