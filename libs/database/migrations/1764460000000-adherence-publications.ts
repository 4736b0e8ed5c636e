import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What learning networks are shown (apps/api/adherence/publications.ts):
 * - adherence_publications: the instant each period (a quarter, or a year) of a kind of report was
 *   published to learning networks. Written once, the first time the period is asked for on or after its
 *   publication date, and never changed: a lead's report of the period is the facts as recorded at that
 *   instant, the same on every later day.
 * - adherence_published_reports: those reports once computed, by a digest of what identifies them (the
 *   report, the period, the network's services then, the breakdown, the reference data's version). Only
 *   reports that can no longer change are stored (apps/api/adherence/report-cache.ts).
 * Neither holds personal data: aggregates of at least 5 placements, ids of services and codes.
 */
export class AdherencePublications1764460000000 implements MigrationInterface {
  name = 'AdherencePublications1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE adherence_publications (
        kind         text        NOT NULL CHECK (kind IN ('report', 'cohort', 'statutory')),
        period       text        NOT NULL CHECK (period ~ '^\\d{4}(-Q[1-4])?$'),
        published_at timestamptz NOT NULL,
        PRIMARY KEY (kind, period)
      )`);
    await q.query(`
      CREATE TABLE adherence_published_reports (
        key         text        PRIMARY KEY,
        body        jsonb       NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE adherence_published_reports`);
    await q.query(`DROP TABLE adherence_publications`);
  }
}
