import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The append-only event store (hand-written: triggers and xid8 are beyond what TypeORM generates).
 * - (stream_id, stream_version) unique: optimistic concurrency.
 * - event_id unique: a retried append (same deterministic id) adds nothing.
 * - tx_id: lets projectors read only rows from transactions that can no longer be overtaken,
 *   so a slow transaction's event is never skipped (see libs/event-store).
 * - UPDATE, DELETE and TRUNCATE are rejected by triggers.
 */
export class EventStore1763900000000 implements MigrationInterface {
  name = 'EventStore1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_type     text        NOT NULL CHECK (stream_type ~ '^[a-z][a-z0-9-]*$'),
        stream_id       uuid        NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version >= 1),
        event_id        uuid        NOT NULL,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL DEFAULT 1,
        payload         jsonb       NOT NULL,
        metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version),
        CONSTRAINT events_event_id_uq UNIQUE (event_id)
      )`);
    await q.query(`CREATE INDEX events_tx_position_idx ON events (tx_id, global_position)`);
    await q.query(`
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_append_only()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION events_append_only()`);
  }
}
