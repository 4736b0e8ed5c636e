import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A directory of staff beside the people the API has seen log in: people an administrator adds by hand
 * or the municipality's identity provider provisions with SCIM 2.0 (apps/api/scim), so that they can be
 * given tasks before they ever log in.
 *
 * - people.person_id: the stable id of a person (their SCIM `id`, the people page's id).
 * - people.subject: the `sub` of the token that logs them in. Null for a person added by hand or
 *   provisioned who has not logged in yet: their row has the issuer `urn:omsorgspakken:directory` and
 *   their person id as user id (the id tasks are given to), until their first login matches them (by
 *   e-mail or user name, within their service) and records the issuer and subject of that login; the
 *   user id stays, so tasks given to them before stay theirs.
 * - people.source: `login` (seen in a token only), `manual` (added on the people page), `scim`.
 * - people.user_name (the login name, SCIM userName), people.external_id (the identity provider's id),
 *   people.active (false: deprovisioned; never given a task or notified).
 * - scim_groups and scim_group_members: SCIM Groups of a service; a group maps to one role (or none), and
 *   a provisioned person's roles are those of their groups.
 * - people_changes: every write of the directory, by an administrator, by SCIM or by a first login,
 *   append-only like reference_changes. Staff names are personal data: never logged, never in events.
 */
export class PeopleDirectory1765340000000 implements MigrationInterface {
  name = 'PeopleDirectory1765340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE people
        ADD COLUMN person_id   uuid        NOT NULL DEFAULT gen_random_uuid(),
        ADD COLUMN subject     text,
        ADD COLUMN source      text        NOT NULL DEFAULT 'login'
                               CHECK (source IN ('login', 'manual', 'scim')),
        ADD COLUMN user_name   text        CHECK (char_length(user_name) BETWEEN 1 AND 254),
        ADD COLUMN external_id text        CHECK (char_length(external_id) BETWEEN 1 AND 200),
        ADD COLUMN active      boolean     NOT NULL DEFAULT true,
        ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now()`);
    await q.query(`UPDATE people SET subject = user_id`);
    await q.query(`ALTER TABLE people ADD CONSTRAINT people_person_id_key UNIQUE (person_id)`);
    await q.query(
      `ALTER TABLE people ADD CONSTRAINT people_login_has_subject CHECK (source <> 'login' OR subject IS NOT NULL)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX people_subject_key ON people (issuer, subject) WHERE subject IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX people_user_name_key ON people (organisation, lower(user_name)) WHERE user_name IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX people_external_id_key ON people (organisation, external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX people_unlinked_idx ON people (organisation) WHERE subject IS NULL`);
    // A first login records its issuer on the person's row: a calendar feed follows (none exists before).
    await q.query(`ALTER TABLE calendar_feeds DROP CONSTRAINT calendar_feeds_issuer_user_id_fkey`);
    await q.query(`
      ALTER TABLE calendar_feeds ADD CONSTRAINT calendar_feeds_issuer_user_id_fkey
        FOREIGN KEY (issuer, user_id) REFERENCES people (issuer, user_id) ON DELETE CASCADE ON UPDATE CASCADE`);

    await q.query(`
      CREATE TABLE scim_groups (
        group_id     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation uuid        NOT NULL,
        display_name text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
        external_id  text        CHECK (char_length(external_id) BETWEEN 1 AND 200),
        role         text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX scim_groups_name_key ON scim_groups (organisation, lower(display_name))`,
    );
    await q.query(`
      CREATE TABLE scim_group_members (
        group_id  uuid NOT NULL REFERENCES scim_groups ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES people (person_id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, person_id)
      )`);

    await q.query(`
      CREATE TABLE people_changes (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id      text        NOT NULL,
        issuer       text        NOT NULL,
        organisation text,
        roles        text[]      NOT NULL,
        via          text        NOT NULL CHECK (via IN ('admin', 'scim', 'login')),
        action       text        NOT NULL CHECK (action IN ('person.created', 'person.updated',
                       'person.deleted', 'person.linked', 'group.created', 'group.updated', 'group.deleted')),
        entity_id    uuid        NOT NULL,
        before       jsonb,
        after        jsonb,
        request_id   text
      )`);
    await q.query(`CREATE INDEX people_changes_entity_idx ON people_changes (entity_id, at)`);
    await q.query(`
      CREATE FUNCTION people_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'people_changes is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER people_changes_no_update_delete BEFORE UPDATE OR DELETE ON people_changes
        FOR EACH ROW EXECUTE FUNCTION people_changes_append_only()`);
    await q.query(`
      CREATE TRIGGER people_changes_no_truncate BEFORE TRUNCATE ON people_changes
        FOR EACH STATEMENT EXECUTE FUNCTION people_changes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE people_changes`);
    await q.query(`DROP FUNCTION people_changes_append_only()`);
    await q.query(`DROP TABLE scim_group_members`);
    await q.query(`DROP TABLE scim_groups`);
    await q.query(`DELETE FROM people WHERE subject IS NULL`);
    await q.query(`ALTER TABLE calendar_feeds DROP CONSTRAINT calendar_feeds_issuer_user_id_fkey`);
    await q.query(`
      ALTER TABLE calendar_feeds ADD CONSTRAINT calendar_feeds_issuer_user_id_fkey
        FOREIGN KEY (issuer, user_id) REFERENCES people (issuer, user_id) ON DELETE CASCADE`);
    await q.query(`DROP INDEX people_unlinked_idx`);
    await q.query(`DROP INDEX people_external_id_key`);
    await q.query(`DROP INDEX people_user_name_key`);
    await q.query(`DROP INDEX people_subject_key`);
    await q.query(`
      ALTER TABLE people DROP CONSTRAINT people_login_has_subject, DROP CONSTRAINT people_person_id_key,
        DROP COLUMN person_id, DROP COLUMN subject, DROP COLUMN source, DROP COLUMN user_name,
        DROP COLUMN external_id, DROP COLUMN active, DROP COLUMN updated_at`);
  }
}
