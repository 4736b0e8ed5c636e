import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * Read models of kompetansebase assignments (issue 17), written in the same transaction as the events
 * they fold (activities/kompetansebase.activities.ts), so a base's queue and a counsellor's tasks are
 * never behind the stream:
 * - kompetansebase_assignments: one row per assignment (the queue: status, ordered/accepted days, the
 *   fold as jsonb for rebuilding the tasks);
 * - kompetansebase_tasks: one row per step occurrence, as an inbox shows it.
 * Codes and opaque ids only, as in the events.
 */
export class KompetansebaseAssignments1765461000000 implements MigrationInterface {
  name = 'KompetansebaseAssignments1765461000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kompetansebase_assignments (
        assignment_id  uuid        PRIMARY KEY,
        base_id        uuid        NOT NULL,
        network_id     uuid        NOT NULL,
        service_id     uuid        NOT NULL,
        request_type   text        NOT NULL,
        urgency        text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('bestilt', 'venter', 'aktiv', 'avsluttet', 'avslatt')),
        ordered_on     date        NOT NULL,
        accepted_on    date,
        decline_reason text,
        families       integer     NOT NULL DEFAULT 0,
        state          jsonb       NOT NULL,
        version        integer     NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX kompetansebase_assignments_queue_idx ON kompetansebase_assignments (base_id, status, ordered_on)`,
    );
    await q.query(`
      CREATE TABLE kompetansebase_tasks (
        assignment_id uuid        NOT NULL REFERENCES kompetansebase_assignments (assignment_id),
        task_id       text        NOT NULL,
        step_id       text        NOT NULL,
        occurrence    integer     NOT NULL,
        role          text        NOT NULL,
        base_id       uuid        NOT NULL,
        due_on        date        NOT NULL,
        status        text        NOT NULL CHECK (status IN ('open', 'overdue', 'completed', 'cancelled')),
        escalated     boolean     NOT NULL,
        completed_on  date,
        late          boolean,
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (assignment_id, task_id)
      )`);
    await q.query(
      `CREATE INDEX kompetansebase_tasks_base_idx ON kompetansebase_tasks (base_id, status, due_on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kompetansebase_tasks`);
    await q.query(`DROP TABLE kompetansebase_assignments`);
  }
}
