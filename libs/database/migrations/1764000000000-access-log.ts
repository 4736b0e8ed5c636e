import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Access control data (issue 4):
 * - access_log: who read or wrote a child's data, and every denial. Append-only: a trigger refuses
 *   UPDATE, DELETE and TRUNCATE, so not even the application's own role can rewrite history.
 * - learning_network_services: which services belong to which learning network (reference data), for
 *   roles that work across the services of their network.
 */
export class AccessLog1764000000000 implements MigrationInterface {
  name = 'AccessLog1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_log (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id      text,
        roles        text[]      NOT NULL,
        organisation text,
        child_ref    uuid,
        placement_id uuid,
        action       text        NOT NULL,
        outcome      text        NOT NULL CHECK (outcome IN ('allowed', 'forbidden', 'hidden', 'unauthenticated')),
        request_id   text
      )`);
    await q.query(
      `CREATE INDEX access_log_child_idx ON access_log (child_ref, at) WHERE child_ref IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER access_log_no_update_delete BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
    await q.query(`
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);

    await q.query(`
      CREATE TABLE learning_network_services (
        network_id uuid NOT NULL,
        service_id uuid NOT NULL,
        PRIMARY KEY (network_id, service_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE learning_network_services`);
    await q.query(`DROP TABLE access_log`);
    await q.query(`DROP FUNCTION access_log_append_only()`);
  }
}
