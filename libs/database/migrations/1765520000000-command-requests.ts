import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * The request each command id was taken in for (issue 17): a SHA-256 of the command's body in a
 * canonical form, never the body itself. The command id comes from the Idempotency-Key, the caller, the
 * route and the resource, so a second request with the same key and another body (another decline
 * reason, another evaluation date) is found here and refused with 422 instead of being answered as a
 * repeat of the first; the same body again is a repeat (`repeated: true`). A row is removed when its
 * command was refused or never sent, so that the key may carry a corrected request.
 */
export class CommandRequests1765520000000 implements MigrationInterface {
  name = 'CommandRequests1765520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_requests (
        command_id  uuid        PRIMARY KEY,
        fingerprint text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE command_requests`);
  }
}
