import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One access-log row per listing. A page of the inbox (or a calendar feed) shows tasks of many children:
 * it was logged as one row per child (~40 rows a request, found by `npm run bench:api`), now as one row
 * whose child_refs/placement_ids name them all. "Who saw this child" reads both forms: child_ref for
 * single-child accesses (btree), child_refs for listings (GIN, whose pending list keeps inserts cheap).
 */
export class AccessLogListings1764410000000 implements MigrationInterface {
  name = 'AccessLogListings1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_log ADD COLUMN child_refs uuid[], ADD COLUMN placement_ids uuid[]`);
    await q.query(
      `ALTER TABLE access_log ADD CONSTRAINT access_log_one_form CHECK (child_ref IS NULL OR child_refs IS NULL)`,
    );
    await q.query(
      `CREATE INDEX access_log_children_idx ON access_log USING gin (child_refs) WHERE child_refs IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX access_log_children_idx`);
    await q.query(`ALTER TABLE access_log DROP CONSTRAINT access_log_one_form`);
    await q.query(`ALTER TABLE access_log DROP COLUMN placement_ids, DROP COLUMN child_refs`);
  }
}
