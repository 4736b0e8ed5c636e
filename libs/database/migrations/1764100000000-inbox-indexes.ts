import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for the inbox's first page (GET /api/tasks, ORDER BY due_on, placement_id, task_id LIMIT n),
 * found with `npm run bench:api` (10,000 placements, ~660,000 tasks): without them every inbox without
 * a status filter read and sorted all tasks its user may see.
 * - (service_id, due_on, placement_id, task_id): "my service's tasks, soonest due first" (leader,
 *   caseworker), read in order and stopped after the page; the cursor's row comparison continues it.
 * - (due_on, placement_id, task_id): inboxes across services (foster-home staff see their learning
 *   network's pool), read in due order and filtered.
 * The existing (service_id, status, due_on) still serves a status filter.
 */
export class InboxIndexes1764100000000 implements MigrationInterface {
  name = 'InboxIndexes1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX task_inbox_service_due_idx ON task_inbox (service_id, due_on, placement_id, task_id)`,
    );
    await q.query(`CREATE INDEX task_inbox_due_idx ON task_inbox (due_on, placement_id, task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX task_inbox_due_idx`);
    await q.query(`DROP INDEX task_inbox_service_due_idx`);
  }
}
