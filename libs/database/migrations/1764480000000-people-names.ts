import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The display name of a person the API has seen (`people.name`): the OIDC standard `name` claim of their
 * latest token that carried one (libs/security/token-verifier.ts keeps it only as a trimmed string of
 * 1–120 characters). Shown where a task is given to someone (GET /api/tasks/{placementId}/{taskId}/assignees),
 * so that people pick a colleague by name rather than type an id. Staff names are ordinary personal data:
 * never logged (pino redacts `name`), never in events or workflow payloads. Nullable: an issuer need not
 * send the claim, and rows written before this migration have none until the person's next request.
 */
export class PeopleNames1764480000000 implements MigrationInterface {
  name = 'PeopleNames1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE people ADD COLUMN name text
        CONSTRAINT people_name_length CHECK (char_length(name) BETWEEN 1 AND 120)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people DROP COLUMN name`);
  }
}
