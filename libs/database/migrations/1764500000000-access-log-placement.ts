import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A child's access log also lists the rows tied to its placement by id only: a denial at the role gate is
 * logged before the placement is looked up, so without its child reference (issue 13). The log is paged
 * newest first by (at, id).
 */
export class AccessLogPlacement1764500000000 implements MigrationInterface {
  name = 'AccessLogPlacement1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX access_log_placement_idx ON access_log (placement_id, at) WHERE placement_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX access_log_placement_idx`);
  }
}
