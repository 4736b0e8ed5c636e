import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A child-welfare service's own closure days (`service_closure_days`): days the service is closed on top
 * of the Norwegian default calendar (weekends, public holidays, Christmas Eve and New Year's Eve), e.g.
 * the days between Christmas and New Year or a staff seminar. Reference data, not personal data: set by
 * administrators through `PUT /api/reference/services/{serviceId}/closure-days`, audited in
 * reference_changes like every other reference change. The planner plans new plans and re-plans of the
 * service's placements around them; plans already made keep their dates.
 */
export class ServiceClosureDays1764995000000 implements MigrationInterface {
  name = 'ServiceClosureDays1764995000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_closure_days (
        service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
        day        date NOT NULL,
        reason     text CHECK (char_length(reason) BETWEEN 1 AND 200),
        PRIMARY KEY (service_id, day)
      )`);
    await q.query(`ALTER TABLE reference_changes DROP CONSTRAINT reference_changes_action_check`);
    await q.query(`
      ALTER TABLE reference_changes ADD CONSTRAINT reference_changes_action_check
        CHECK (action IN ('network.created', 'network.updated', 'service.created', 'service.updated',
                          'service.closure-days-set'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reference_changes DROP CONSTRAINT reference_changes_action_check`);
    await q.query(`
      ALTER TABLE reference_changes ADD CONSTRAINT reference_changes_action_check
        CHECK (action IN ('network.created', 'network.updated', 'service.created', 'service.updated'))`);
    await q.query(`DROP TABLE service_closure_days`);
  }
}
