import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `council_report_signoffs`: the yearly report to a municipal council (tilstandsrapport) as signed off by
 * the leader of the municipality's service: who, when, the instant its figures were counted as of, and the
 * report's model (aggregates after small-cell suppression only, never a child's data), frozen there so a
 * released report is the same document whenever it is downloaded. One per municipality and year.
 * Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 */
export class CouncilReports1765450000000 implements MigrationInterface {
  name = 'CouncilReports1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE council_report_signoffs (
        municipality_id uuid        NOT NULL REFERENCES municipalities (id),
        year            integer     NOT NULL CHECK (year BETWEEN 2000 AND 2099),
        service_id      uuid        NOT NULL REFERENCES services (id),
        signed_by       text        NOT NULL,
        signed_by_name  text,
        signed_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        as_of           timestamptz NOT NULL,
        model           jsonb       NOT NULL,
        PRIMARY KEY (municipality_id, year)
      )`);
    await q.query(`
      CREATE FUNCTION council_report_signoffs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'council_report_signoffs is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER council_report_signoffs_no_update_delete BEFORE UPDATE OR DELETE ON council_report_signoffs
        FOR EACH ROW EXECUTE FUNCTION council_report_signoffs_append_only()`);
    await q.query(`
      CREATE TRIGGER council_report_signoffs_no_truncate BEFORE TRUNCATE ON council_report_signoffs
        FOR EACH STATEMENT EXECUTE FUNCTION council_report_signoffs_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE council_report_signoffs`);
    await q.query(`DROP FUNCTION council_report_signoffs_append_only()`);
  }
}
