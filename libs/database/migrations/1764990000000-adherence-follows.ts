import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `adherence_facts.follows_task_id`: the visit a follow-up belongs to (a private talk with the child,
 * a supervision report). The private talk now follows every statutory follow-up visit, the first-week
 * visit too (catalog 2026.2: `barnesamtale#besok-uke1.1` follows `besok-uke1#1`), so the child-voice
 * figure joins a visit to its talk by this column instead of by occurrence number. Null for follow-ups
 * planned before tasks recorded what they follow; the report joins those by number as before.
 */
export class AdherenceFollows1764990000000 implements MigrationInterface {
  name = 'AdherenceFollows1764990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE adherence_facts ADD COLUMN follows_task_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE adherence_facts DROP COLUMN follows_task_id`);
  }
}
