import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * Bufetat works by region: a placement where the service asked Bufetat for help is Bufetat's to see only
 * for the Bufetat region office that serves the service's region (Bufetat region Midt-Norge serves
 * Trøndelag, region Nord serves Nordland, Troms and Finnmark). `regions.bufetat_office` is that office:
 * the organisation id an allow-listed issuer of the office is mapped to (AUTH_ISSUERS), set by the
 * region's data file (`bufetatOffice`, PUT /api/reference/regions/{code}). Null: no Bufetat office sees
 * the region's placements (default deny). One office may serve several regions.
 */
export class BufetatOffices1765530000000 implements MigrationInterface {
  name = 'BufetatOffices1765530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE regions ADD COLUMN bufetat_office uuid`);
    await q.query(`CREATE INDEX regions_bufetat_office_idx ON regions (bufetat_office)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE regions DROP COLUMN bufetat_office`);
  }
}
