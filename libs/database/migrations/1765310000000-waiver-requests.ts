import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Statutory waivers as a request a leader co-signs (issue 15):
 * - `task_inbox.waiver`: the task's last waiver request and what became of it (codes, ids, actors and
 *   instants only; the justification is not here), and an index for a service's open requests;
 * - `task_notes.kind`: a request's justification and a leader's reason for declining are free text
 *   about the child, so they live with the task notes (encrypted with the child's key, shredded with
 *   them), told apart from the notes people write on a task.
 */
export class WaiverRequests1765310000000 implements MigrationInterface {
  name = 'WaiverRequests1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_inbox ADD COLUMN waiver jsonb`);
    await q.query(
      `CREATE INDEX task_inbox_open_waiver_requests_idx ON task_inbox (service_id, due_on)
        WHERE waiver->>'status' = 'requested'`,
    );
    await q.query(
      `ALTER TABLE task_notes ADD COLUMN kind text NOT NULL DEFAULT 'note'
         CHECK (kind IN ('note', 'waiver-justification', 'waiver-decline'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_notes DROP COLUMN kind`);
    await q.query(`DROP INDEX task_inbox_open_waiver_requests_idx`);
    await q.query(`ALTER TABLE task_inbox DROP COLUMN waiver`);
  }
}
