import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * adherence_changes: for each service and month of due dates, the last time (a number from one
 * sequence, so it only grows) the projector wrote an adherence fact due in that month, or closed one.
 * A report over services S and months M can only have changed if max(version) over S × M has: cached
 * reports are checked against it (apps/api/adherence/report-cache.ts). Not a read model of its own: a
 * rebuild bumps every pair it writes, and never lowers one.
 */
export class AdherenceChanges1764430000000 implements MigrationInterface {
  name = 'AdherenceChanges1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE adherence_change_seq`);
    await q.query(`
      CREATE TABLE adherence_changes (
        service_id uuid   NOT NULL,
        month      date   NOT NULL,
        version    bigint NOT NULL,
        PRIMARY KEY (service_id, month)
      )`);
    // What the projector wrote before this migration counts as changed now.
    await q.query(`
      INSERT INTO adherence_changes (service_id, month, version)
      SELECT service_id, month, nextval('adherence_change_seq')
        FROM (SELECT DISTINCT service_id, date_trunc('month', due_on)::date AS month FROM adherence_facts) d`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE adherence_changes`);
    await q.query(`DROP SEQUENCE adherence_change_seq`);
  }
}
