import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The adherence read model (issue 5): every version of each task's adherence facts with the interval of
 * recorded time it was valid in (libs/projections/adherence.ts), so reports can be computed now and as
 * of any past instant. No personal data.
 */
export class Adherence1764300000000 implements MigrationInterface {
  name = 'Adherence1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE adherence_facts (
        placement_id    uuid        NOT NULL,
        task_id         text        NOT NULL,
        stream_version  integer     NOT NULL,
        recorded_from   timestamptz NOT NULL,
        recorded_to     timestamptz,
        step_id         text        NOT NULL,
        track           text        NOT NULL,
        statutory       text,
        origin          text        NOT NULL,
        service_id      uuid        NOT NULL,
        municipality_id uuid        NOT NULL,
        placement_type  text        NOT NULL,
        placement_date  date        NOT NULL,
        due_on          date        NOT NULL,
        status          text        NOT NULL,
        completed_on    date,
        waiver_reason   text,
        PRIMARY KEY (placement_id, task_id, stream_version),
        CHECK (recorded_to IS NULL OR recorded_to >= recorded_from)
      )`);
    // The report reads these columns only. Both indexes carry them (INCLUDE), so a report is an
    // index-only scan over the period's entries: the current rows of a period lie scattered over the
    // heap among their older versions, and fetching them from there was half of a report's time
    // (bench/README.md, adherence benchmark).
    const reported = `placement_id, status, completed_on, step_id, track, placement_type, municipality_id`;
    // Current facts by service and due date: the dashboards.
    await q.query(
      `CREATE INDEX adherence_current_idx ON adherence_facts (service_id, due_on) INCLUDE (${reported})
        WHERE recorded_to IS NULL`,
    );
    // Facts as of a past instant: every version of the period's tasks, filtered on recorded time in the
    // index. By due date, so the work grows with the period, not with the years of history kept.
    await q.query(
      `CREATE INDEX adherence_asof_idx ON adherence_facts (service_id, due_on)
        INCLUDE (recorded_from, recorded_to, ${reported})`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE adherence_facts`);
  }
}
