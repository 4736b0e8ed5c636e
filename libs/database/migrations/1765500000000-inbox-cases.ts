import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * One inbox over every kind of case (issue 17): `inbox_tasks` is the inbox's source, the placement tasks of
 * `task_inbox` (the projector's read model, unchanged) and the kompetansebase assignment tasks of
 * `kompetansebase_tasks` (written in the append's transaction) side by side. A row says what it belongs to:
 * `case_kind` ('placement' | 'kompetansebase') and `case_id` (the placement's or the assignment's id, the
 * inbox's tie-breaker). An assignment task has no placement, child, owning service or municipality (null:
 * no placement visibility rule can match it); it carries its base's network (who sees it), its request type
 * and the ordering service (codes and ids, never a child's data). A plain UNION ALL, so PostgreSQL pushes
 * the inbox's conditions into each branch and keeps task_inbox's indexes.
 *
 * kompetansebase_tasks gets the step's catalog title, as task_inbox has it (existing rows: catalog 2026.1).
 */
export class InboxCases1765500000000 implements MigrationInterface {
  name = 'InboxCases1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE kompetansebase_tasks ADD COLUMN title text`);
    await q.query(`
      UPDATE kompetansebase_tasks SET title = CASE step_id
        WHEN 'tilbakeringing' THEN 'Ring tilbake til barneverntjenesten og avklar bestillingen'
        WHEN 'vurdering' THEN 'Vurder bestillingen: ta imot, avslå eller sett på vent'
        WHEN 'oppstartssamtale' THEN 'Oppstartssamtale: avtal evalueringsdato'
        WHEN 'veiledning' THEN 'Veiledningsøkt'
        WHEN 'evaluering' THEN 'Evaluering på avtalt dato'
        WHEN 'rapport' THEN 'Rapport til barneverntjenesten som bestilte'
        WHEN 'avslutning' THEN 'Avslutning (eventuelt med familieråd)'
        ELSE step_id END`);
    await q.query(`ALTER TABLE kompetansebase_tasks ALTER COLUMN title SET NOT NULL`);
    await q.query(`
      CREATE VIEW inbox_tasks AS
        SELECT 'placement'::text AS case_kind, t.placement_id AS case_id, t.placement_id,
               NULL::uuid AS assignment_id, NULL::uuid AS network_id, NULL::text AS request_type,
               NULL::uuid AS ordering_service_id,
               t.task_id, t.step_id, t.occurrence, t.title, t.track, t.role, t.origin, t.assignee_id,
               t.opens_on, t.due_on, t.status, t.escalated, t.overdue_at_registration, t.completed_on,
               t.outcome, t.statutory, t.child_ref, t.service_id, t.waiver
          FROM task_inbox t
        UNION ALL
        SELECT 'kompetansebase'::text, k.assignment_id, NULL::uuid,
               k.assignment_id, a.network_id, a.request_type,
               a.service_id,
               k.task_id, k.step_id, k.occurrence, k.title, NULL::text, k.role, 'plan'::text, NULL::text,
               NULL::date, k.due_on, k.status, k.escalated, false, k.completed_on,
               NULL::text, NULL::text, NULL::uuid, NULL::uuid, NULL::jsonb
          FROM kompetansebase_tasks k JOIN kompetansebase_assignments a ON a.assignment_id = k.assignment_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW inbox_tasks`);
    await q.query(`ALTER TABLE kompetansebase_tasks DROP COLUMN title`);
  }
}
