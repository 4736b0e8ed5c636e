import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What the follow-up metrics of §7 need beyond the task facts (issue 5): the outcome of each completed
 * task (a talk or an offer "attempted, not achieved" is not documented), and a placement-level read
 * model, versioned over recorded time like adherence_facts: legal basis, end date and reason (unplanned
 * breakdowns) and the number of caseworker changes in the first 182 days. No personal data: opaque ids,
 * codes, dates and counts only (never who the caseworker was).
 *
 * Rows written before this migration have no outcome (NULL, read as achieved) and no placement facts:
 * `npm run projections:rebuild` replays the events and fills both.
 */
export class AdherenceFollowup1764400000000 implements MigrationInterface {
  name = 'AdherenceFollowup1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE adherence_facts ADD COLUMN outcome text`);
    await q.query(`
      CREATE TABLE adherence_placements (
        placement_id           uuid        NOT NULL,
        stream_version         integer     NOT NULL,
        recorded_from          timestamptz NOT NULL,
        recorded_to            timestamptz,
        service_id             uuid        NOT NULL,
        municipality_id        uuid        NOT NULL,
        placement_type         text        NOT NULL,
        legal_basis            text        NOT NULL,
        placement_date         date        NOT NULL,
        ended_on               date,
        end_reason             text,
        caseworker_changes_182 integer     NOT NULL,
        PRIMARY KEY (placement_id, stream_version),
        CHECK (recorded_to IS NULL OR recorded_to >= recorded_from)
      )`);
    await q.query(
      `CREATE INDEX adherence_placements_current_idx ON adherence_placements (service_id, placement_date)
        WHERE recorded_to IS NULL`,
    );
    await q.query(
      `CREATE INDEX adherence_placements_asof_idx ON adherence_placements (service_id, placement_date)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE adherence_placements`);
    await q.query(`ALTER TABLE adherence_facts DROP COLUMN outcome`);
  }
}
