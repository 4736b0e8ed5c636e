import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The statutory rule changed (shared/domain/omsorgspakken.md §8, 2026-12-05): required(year) is now
 * round-half-up(minimum × active days ÷ days in that year) with paused days left out, where it was
 * ceil(…) over the whole period. The statutory ledger (and its versions) hold `required` as computed
 * when each event was projected, so the read models are replayed from the events: the same truncate
 * and checkpoint reset as `npm run projections:rebuild`, in the migration's transaction; the live
 * projector then rebuilds them from the beginning. Events are untouched. The table list is this
 * migration's own (the read models as of this release), not the projector's current list.
 */
export class StatutoryRuleReplay1765000000000 implements MigrationInterface {
  name = 'StatutoryRuleReplay1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE projection_checkpoints SET tx_id = '0', position = 0, last_recorded_at = NULL, updated_at = now()
        WHERE name = 'read-models'`,
    );
    await q.query(`
      TRUNCATE placements, task_inbox, placement_timeline, statutory_ledger, adherence_facts,
               adherence_placements, statutory_ledger_versions, projection_placement_state`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the read models are derived, and the replay rebuilt them.
  }
}
