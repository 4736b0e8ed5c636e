import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * The e-mail digest tells a kompetansebase's staff about their assignments' deadlines (issue 17): the
 * notification outbox gets rows of an assignment's task beside a placement's. Such a row has the
 * assignment's id instead of a placement's, no owning service, the network of the base that works it
 * (who may be told: libs/notifications/recipients.ts) and its request type (a code, shown in the mail).
 * Written in the transaction that appends the assignment's events (libs/notifications/assignment-outbox.ts).
 */
export class AssignmentNotifications1765501000000 implements MigrationInterface {
  name = 'AssignmentNotifications1765501000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN placement_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN service_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ADD COLUMN assignment_id uuid`);
    await q.query(`ALTER TABLE notifications ADD COLUMN base_network_id uuid`);
    await q.query(`ALTER TABLE notifications ADD COLUMN request_type text`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_case_check CHECK (
        (placement_id IS NOT NULL AND service_id IS NOT NULL AND assignment_id IS NULL)
        OR (placement_id IS NULL AND assignment_id IS NOT NULL AND base_network_id IS NOT NULL))`);
    await q.query(
      `CREATE INDEX notifications_assignment_task_idx ON notifications (assignment_id, task_id) WHERE state = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE assignment_id IS NOT NULL`);
    await q.query(`DROP INDEX notifications_assignment_task_idx`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_case_check`);
    await q.query(`ALTER TABLE notifications DROP COLUMN request_type`);
    await q.query(`ALTER TABLE notifications DROP COLUMN base_network_id`);
    await q.query(`ALTER TABLE notifications DROP COLUMN assignment_id`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN service_id SET NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN placement_id SET NOT NULL`);
  }
}
