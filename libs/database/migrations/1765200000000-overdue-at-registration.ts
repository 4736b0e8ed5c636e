import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `task_inbox.overdue_at_registration`: the task was already overdue when its placement was registered
 * (a late registration), so it escalates only after the registration grace and the pages say so instead
 * of showing it as escalated at once. False for tasks planned before the grace existed.
 */
export class OverdueAtRegistration1765200000000 implements MigrationInterface {
  name = 'OverdueAtRegistration1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_inbox ADD COLUMN overdue_at_registration boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_inbox DROP COLUMN overdue_at_registration`);
  }
}
