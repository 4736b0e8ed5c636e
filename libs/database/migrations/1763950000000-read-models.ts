import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Read models built by the projector (libs/projections) from the `events` table. Everything here can be
 * thrown away and rebuilt from the events (`npm run projections:rebuild`); nothing here is the record.
 * - placements, task_inbox, placement_timeline, statutory_ledger: what the API reads.
 * - projection_placement_state: the projector's folded state per placement (its snapshot), so an event
 *   needs no replay of its stream; `version` is the stream version folded in (the idempotency guard).
 * - projection_checkpoints: how far a projector got, as (tx_id, global_position), written in the same
 *   transaction as the rows it covers.
 * Statuses and kinds are text + CHECK, never PG enums. Timestamps are derived from event data (never
 * now()), so a rebuild reproduces every column exactly.
 */
export class ReadModels1763950000000 implements MigrationInterface {
  name = 'ReadModels1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE placements (
        placement_id    uuid        PRIMARY KEY,
        child_ref       uuid        NOT NULL,
        service_id      uuid        NOT NULL,
        municipality_id uuid        NOT NULL,
        placement_type  text        NOT NULL,
        placement_date  date        NOT NULL,
        catalog_version text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('active', 'paused', 'ended', 'completed')),
        paused_from     date,
        version         integer     NOT NULL CHECK (version >= 1),
        registered_at   timestamptz NOT NULL,
        ended_on        date,
        end_reason      text,
        updated_at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX placements_service_status_idx ON placements (service_id, status)`);

    await q.query(`
      CREATE TABLE task_inbox (
        placement_id    uuid        NOT NULL,
        task_id         text        NOT NULL,
        step_id         text        NOT NULL,
        occurrence      integer     NOT NULL,
        title           text        NOT NULL,
        track           text        NOT NULL,
        role            text        NOT NULL,
        origin          text        NOT NULL CHECK (origin IN ('plan', 'follow-up', 'ad-hoc')),
        assignee_id     text,
        opens_on        date        NOT NULL,
        due_on          date        NOT NULL,
        nominal_due_on  date        NOT NULL,
        status          text        NOT NULL CHECK (status IN
                          ('planned', 'open', 'due-soon', 'overdue', 'completed', 'waived', 'cancelled')),
        escalated       boolean     NOT NULL,
        completed_on    date,
        outcome         text,
        waiver_reason   text,
        statutory       text        CHECK (statutory IN ('oppfolgingsbesok', 'tilsynsbesok')),
        catalog_version text        NOT NULL,
        service_id      uuid        NOT NULL,
        municipality_id uuid        NOT NULL,
        child_ref       uuid        NOT NULL,
        updated_at      timestamptz NOT NULL,
        PRIMARY KEY (placement_id, task_id)
      )`);
    // The primary key serves "all tasks of a placement"; these two serve the inboxes.
    await q.query(`CREATE INDEX task_inbox_service_idx ON task_inbox (service_id, status, due_on)`);
    await q.query(`CREATE INDEX task_inbox_assignee_idx ON task_inbox (assignee_id, due_on)`);

    await q.query(`
      CREATE TABLE placement_timeline (
        placement_id    uuid        NOT NULL,
        stream_version  integer     NOT NULL,
        global_position bigint      NOT NULL,
        type            text        NOT NULL,
        at              timestamptz NOT NULL,
        task_id         text,
        details         jsonb       NOT NULL,
        PRIMARY KEY (placement_id, stream_version)
      )`);

    await q.query(`
      CREATE TABLE statutory_ledger (
        placement_id    uuid    NOT NULL,
        child_ref       uuid    NOT NULL,
        service_id      uuid    NOT NULL,
        municipality_id uuid    NOT NULL,
        year            integer NOT NULL,
        kind            text    NOT NULL CHECK (kind IN ('oppfolgingsbesok', 'tilsynsbesok')),
        active_days     integer NOT NULL CHECK (active_days >= 0),
        required        integer NOT NULL CHECK (required >= 0),
        planned         integer NOT NULL CHECK (planned >= 0),
        completed       integer NOT NULL CHECK (completed >= 0),
        waived          integer NOT NULL CHECK (waived >= 0),
        PRIMARY KEY (placement_id, year, kind)
      )`);
    await q.query(
      `CREATE INDEX statutory_ledger_service_year_idx ON statutory_ledger (service_id, year, kind)`,
    );

    await q.query(`
      CREATE TABLE projection_placement_state (
        placement_id uuid    PRIMARY KEY,
        version      integer NOT NULL CHECK (version >= 1),
        state        jsonb   NOT NULL
      )`);

    await q.query(`
      CREATE TABLE projection_checkpoints (
        name             text        PRIMARY KEY,
        tx_id            xid8        NOT NULL,
        position         bigint      NOT NULL,
        last_recorded_at timestamptz,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_checkpoints`);
    await q.query(`DROP TABLE projection_placement_state`);
    await q.query(`DROP TABLE statutory_ledger`);
    await q.query(`DROP TABLE placement_timeline`);
    await q.query(`DROP TABLE task_inbox`);
    await q.query(`DROP TABLE placements`);
  }
}
