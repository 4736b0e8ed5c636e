import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notifications (issue 5, item 5): who can be told, what they are told, what was sent, and calendar feeds.
 *
 * - people: the users the API has seen (there is no user directory): filled by the auth guard from each
 *   verified token, so roles and organisation are the token's; the e-mail address is the `email` claim.
 * - notifications: the outbox. One row per (event, recipient), with a deterministic id, written by the
 *   notification consumer (libs/notifications/outbox.ts) from the events. It holds opaque ids, a step code
 *   and the catalog's step title, a date: nothing that identifies a child (no child_ref, no name, no note).
 * - notification_placement_state: the consumer's own fold of each placement (like the read models'
 *   projection_placement_state, which moves at another pace); its checkpoint is the row `notifications`
 *   in projection_checkpoints.
 * - sent_mails: one row per digest (recipient × Oslo day), deterministic id and Message-ID, and the state
 *   of the send (see libs/notifications/digest-sender.ts for what each state guarantees).
 * - calendar_feeds: a person's secret iCalendar URL; only the SHA-256 of its secret is stored.
 */
export class Notifications1764200000000 implements MigrationInterface {
  name = 'Notifications1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        issuer       text        NOT NULL,
        user_id      text        NOT NULL,
        organisation uuid        NOT NULL,
        roles        text[]      NOT NULL,
        network_id   uuid,
        email        text,
        digest       text        NOT NULL DEFAULT 'daily' CHECK (digest IN ('daily', 'off')),
        first_seen   timestamptz NOT NULL DEFAULT now(),
        last_seen    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, user_id)
      )`);
    await q.query(`CREATE INDEX people_user_idx ON people (user_id)`);
    await q.query(`CREATE INDEX people_roles_idx ON people USING gin (roles)`);

    await q.query(`
      CREATE TABLE notification_placement_state (
        placement_id uuid    PRIMARY KEY,
        version      integer NOT NULL,
        state        jsonb   NOT NULL
      )`);

    await q.query(`
      CREATE TABLE sent_mails (
        mail_id          uuid        PRIMARY KEY,
        message_id       text        NOT NULL UNIQUE,
        recipient_issuer text        NOT NULL,
        recipient_id     text        NOT NULL,
        digest_date      date        NOT NULL,
        address          text        NOT NULL,
        state            text        NOT NULL
                         CHECK (state IN ('queued', 'sending', 'sent', 'rejected', 'abandoned')),
        attempts         integer     NOT NULL DEFAULT 0,
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        UNIQUE (recipient_issuer, recipient_id, digest_date)
      )`);

    await q.query(`
      CREATE TABLE notifications (
        notification_id  uuid        PRIMARY KEY,
        event_id         uuid        NOT NULL,
        recipient_issuer text        NOT NULL,
        recipient_id     text        NOT NULL,
        kind             text        NOT NULL CHECK (kind IN ('due-soon', 'overdue', 'escalated')),
        placement_id     uuid        NOT NULL,
        task_id          text        NOT NULL,
        step_id          text        NOT NULL,
        title            text        NOT NULL,
        due_on           date        NOT NULL,
        service_id       uuid        NOT NULL,
        task_role        text        NOT NULL,
        assignee_id      text,
        bufetat_help     boolean     NOT NULL,
        occurred_at      timestamptz NOT NULL,
        state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'obsolete')),
        mail_id          uuid        REFERENCES sent_mails,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX notifications_pending_idx ON notifications (recipient_issuer, recipient_id) WHERE state = 'pending'`,
    );
    await q.query(
      `CREATE INDEX notifications_task_idx ON notifications (placement_id, task_id) WHERE state = 'pending'`,
    );
    await q.query(`CREATE INDEX notifications_mail_idx ON notifications (mail_id) WHERE mail_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE calendar_feeds (
        feed_id      uuid        PRIMARY KEY,
        issuer       text        NOT NULL,
        user_id      text        NOT NULL,
        secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        UNIQUE (issuer, user_id),
        FOREIGN KEY (issuer, user_id) REFERENCES people ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feeds`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE sent_mails`);
    await q.query(`DROP TABLE notification_placement_state`);
    await q.query(`DROP TABLE people`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'notifications'`);
  }
}
