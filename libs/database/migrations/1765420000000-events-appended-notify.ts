import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every transaction that appends to `events` sends NOTIFY `events_appended` (no payload: the channel
 * only says "look again"), which PostgreSQL delivers when, and only if, the transaction commits. The
 * projector listens on it to project right after a commit instead of at its next poll
 * (libs/projections/projector.ts); the polling stays as the fallback. A statement-level trigger, and
 * PostgreSQL folds identical notifications of one transaction into one, so a batch append costs one.
 */
export class EventsAppendedNotify1765420000000 implements MigrationInterface {
  name = 'EventsAppendedNotify1765420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('events_appended', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_appended_notify AFTER INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER events_appended_notify ON events`);
    await q.query(`DROP FUNCTION notify_events_appended()`);
  }
}
