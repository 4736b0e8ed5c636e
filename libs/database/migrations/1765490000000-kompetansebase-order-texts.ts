import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * The free text of a kompetansebase order (issue 17): the ordering service's case number, what the
 * measure should achieve and the measures-plan reference. They link the order to a child in the
 * service's records, so they are kept apart from events and Temporal and sealed at rest like task notes
 * (AES-256-GCM with a data key of the order's own, wrapped by the key-encryption key;
 * libs/personal-data/order-texts.ts). One row per assignment, written once (the order's idempotent id).
 */
export class KompetansebaseOrderTexts1765490000000 implements MigrationInterface {
  name = 'KompetansebaseOrderTexts1765490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kompetansebase_order_texts (
        assignment_id uuid        PRIMARY KEY,
        service_id    uuid        NOT NULL,
        wrapped_key   bytea       NOT NULL,
        sealed        bytea       NOT NULL,
        created_by    text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kompetansebase_order_texts`);
  }
}
