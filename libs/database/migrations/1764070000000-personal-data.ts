import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The personal-data store (issue 4): identifying details and free-text notes, encrypted with a key per
 * child (libs/personal-data). Purging destroys the key (crypto-shredding); a trigger refuses to put a key
 * back on a purged child, so purged data stays unreadable even if a ciphertext survives in a backup.
 */
export class PersonalData1764070000000 implements MigrationInterface {
  name = 'PersonalData1764070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE child_keys (
        child_ref   uuid        PRIMARY KEY,
        service_id  uuid        NOT NULL,
        wrapped_key bytea,
        created_at  timestamptz NOT NULL DEFAULT now(),
        shredded_at timestamptz,
        shredded_by text,
        CHECK ((wrapped_key IS NULL) = (shredded_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE FUNCTION child_keys_stay_shredded() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.wrapped_key IS NULL THEN
          RAISE EXCEPTION 'the personal data of this child was purged' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER child_keys_stay_shredded BEFORE UPDATE ON child_keys
        FOR EACH ROW EXECUTE FUNCTION child_keys_stay_shredded()`);
    await q.query(`
      CREATE TABLE child_details (
        child_ref  uuid        PRIMARY KEY REFERENCES child_keys,
        sealed     bytea       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text        NOT NULL
      )`);
    await q.query(`
      CREATE TABLE task_notes (
        note_id      uuid        PRIMARY KEY,
        child_ref    uuid        NOT NULL REFERENCES child_keys,
        placement_id uuid        NOT NULL,
        task_id      text        NOT NULL,
        author_id    text        NOT NULL,
        author_role  text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
        sealed       bytea       NOT NULL
      )`);
    await q.query(`CREATE INDEX task_notes_task_idx ON task_notes (placement_id, task_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_notes`);
    await q.query(`DROP TABLE child_details`);
    await q.query(`DROP TABLE child_keys`);
    await q.query(`DROP FUNCTION child_keys_stay_shredded()`);
  }
}
