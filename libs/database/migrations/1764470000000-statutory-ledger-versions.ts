import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The statutory ledger over recorded time (issue 5: any report as of a past instant): every version of
 * each placement × year × kind's ledger row, with the placement's status and end date, valid over
 * [recorded_from, recorded_to) like adherence_facts (libs/projections/adherence.ts). The statutory
 * compliance and risk reports read it, now and as of an instant. `statutory_ledger` stays: the placement
 * page reads its current rows. No personal data (no child_ref).
 *
 * The rows the projector built before this migration are taken over as current rows, valid from their
 * placement's last recorded event (their figures have not changed since); what they were before that
 * instant is in the events only: `npm run projections:rebuild` replays them and writes every version.
 */
export class StatutoryLedgerVersions1764470000000 implements MigrationInterface {
  name = 'StatutoryLedgerVersions1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE statutory_ledger_versions (
        placement_id    uuid        NOT NULL,
        year            integer     NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('oppfolgingsbesok', 'tilsynsbesok')),
        stream_version  integer     NOT NULL,
        recorded_from   timestamptz NOT NULL,
        recorded_to     timestamptz,
        service_id      uuid        NOT NULL,
        municipality_id uuid        NOT NULL,
        active_days     integer     NOT NULL CHECK (active_days >= 0),
        required        integer     NOT NULL CHECK (required >= 0),
        planned         integer     NOT NULL CHECK (planned >= 0),
        completed       integer     NOT NULL CHECK (completed >= 0),
        waived          integer     NOT NULL CHECK (waived >= 0),
        status          text        NOT NULL CHECK (status IN ('active', 'paused', 'ended', 'completed')),
        ended_on        date,
        PRIMARY KEY (placement_id, year, kind, stream_version),
        CHECK (recorded_to IS NULL OR recorded_to >= recorded_from)
      )`);
    // The current ledger by service and year: the reports without asOf.
    await q.query(
      `CREATE INDEX statutory_ledger_versions_current_idx ON statutory_ledger_versions (service_id, year)
        WHERE recorded_to IS NULL`,
    );
    // The ledger as of a past instant: every version of the year's rows, filtered on recorded time in
    // the index.
    await q.query(
      `CREATE INDEX statutory_ledger_versions_asof_idx ON statutory_ledger_versions (service_id, year)
        INCLUDE (recorded_from, recorded_to)`,
    );
    await q.query(`
      INSERT INTO statutory_ledger_versions
        (placement_id, year, kind, stream_version, recorded_from, recorded_to, service_id, municipality_id,
         active_days, required, planned, completed, waived, status, ended_on)
      SELECT l.placement_id, l.year, l.kind, p.version, p.updated_at, NULL, l.service_id, l.municipality_id,
             l.active_days, l.required, l.planned, l.completed, l.waived, p.status, p.ended_on
        FROM statutory_ledger l JOIN placements p USING (placement_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE statutory_ledger_versions`);
  }
}
