import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The service's own case number of a placement (saksnummer in its case system; issue 15). It links the
 * placement to a child in the service's records, so it is personal data: kept here, apart from events,
 * read models and everything sent to Temporal; written by the API (with its access log row in the same
 * transaction) and read only through the API's access checks, by staff of the owning service. One case
 * number per placement, unique per service regardless of letter case; purging the child's personal data
 * deletes it.
 */
export class CaseNumbers1765100000000 implements MigrationInterface {
  name = 'CaseNumbers1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE placement_case_numbers (
        placement_id uuid        PRIMARY KEY,
        service_id   uuid        NOT NULL,
        child_ref    uuid        NOT NULL,
        case_number  text        NOT NULL CHECK (char_length(case_number) BETWEEN 1 AND 30),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        updated_by   text        NOT NULL
      )`);
    await q.query(`
      CREATE UNIQUE INDEX placement_case_numbers_unique_idx
        ON placement_case_numbers (service_id, upper(case_number))`);
    await q.query(`CREATE INDEX placement_case_numbers_child_idx ON placement_case_numbers (child_ref)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE placement_case_numbers`);
  }
}
