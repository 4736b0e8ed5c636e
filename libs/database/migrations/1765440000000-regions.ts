import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * Regions (issue 17): a region (e.g. Trøndelag, Finnmark) owns municipalities, child-welfare services and
 * learning networks, and chooses the catalog version its services register with when a caller names
 * none. A second region is data, loaded through the admin API (PUT /api/reference/regions/{code}) from a
 * file such as data/regions/finnmark.json: no migration per region.
 *
 * - Trøndelag, the one region before this migration, is created here with the deterministic id of the
 *   reference-data seed (UUID v5 of `region:trondelag` in migration 1764050000000's namespace), and every
 *   existing municipality, service and network becomes Trøndelag's. The column default is Trøndelag too,
 *   so that rows written without a region (the local issuer's fictional demo organisations, the older
 *   single-entity endpoints) stay where they were before regions existed.
 * - A service's region is its host municipality's; its members and its network must be of the same
 *   region (checked by the API, which is the only writer).
 * - adherence_publications becomes per region: a Finnmark lead asking for a quarter first must not
 *   freeze Trøndelag's figures for it (and the other way round).
 */
const TRONDELAG = '5f7db4d7-d156-529b-9270-a0145c3d2414';

export class Regions1765440000000 implements MigrationInterface {
  name = 'Regions1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{1,39}$'),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        catalog_version text CHECK (length(catalog_version) BETWEEN 1 AND 40)
      )`);
    await q.query(`INSERT INTO regions (id, code, name) VALUES ($1, 'trondelag', 'Trøndelag')`, [TRONDELAG]);
    for (const table of ['municipalities', 'learning_networks', 'services']) {
      await q.query(
        `ALTER TABLE ${table} ADD COLUMN region_id uuid NOT NULL DEFAULT '${TRONDELAG}' REFERENCES regions (id)`,
      );
      await q.query(`CREATE INDEX ${table}_region_idx ON ${table} (region_id)`);
    }

    await q.query(
      `ALTER TABLE adherence_publications ADD COLUMN region_id uuid NOT NULL DEFAULT '${TRONDELAG}'`,
    );
    await q.query(`ALTER TABLE adherence_publications ALTER COLUMN region_id DROP DEFAULT`);
    await q.query(`ALTER TABLE adherence_publications DROP CONSTRAINT adherence_publications_pkey`);
    await q.query(`ALTER TABLE adherence_publications ADD PRIMARY KEY (region_id, kind, period)`);

    await q.query(`ALTER TABLE reference_changes DROP CONSTRAINT reference_changes_action_check`);
    await q.query(`
      ALTER TABLE reference_changes ADD CONSTRAINT reference_changes_action_check
        CHECK (action IN ('network.created', 'network.updated', 'service.created', 'service.updated',
                          'service.closure-days-set', 'region.created', 'region.updated',
                          'municipality.created', 'municipality.updated'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reference_changes DROP CONSTRAINT reference_changes_action_check`);
    await q.query(`
      ALTER TABLE reference_changes ADD CONSTRAINT reference_changes_action_check
        CHECK (action IN ('network.created', 'network.updated', 'service.created', 'service.updated',
                          'service.closure-days-set'))`);
    // One publication per (kind, period) again: Trøndelag's (the region the table had before).
    await q.query(`DELETE FROM adherence_publications WHERE region_id <> $1`, [TRONDELAG]);
    await q.query(`ALTER TABLE adherence_publications DROP CONSTRAINT adherence_publications_pkey`);
    await q.query(`ALTER TABLE adherence_publications DROP COLUMN region_id`);
    await q.query(`ALTER TABLE adherence_publications ADD PRIMARY KEY (kind, period)`);
    for (const table of ['services', 'learning_networks', 'municipalities'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN region_id`);
    await q.query(`DROP TABLE regions`);
  }
}
