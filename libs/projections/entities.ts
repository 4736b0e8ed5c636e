import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * Read-only TypeORM mappings of the read models (schema: libs/database/migrations/*-read-models.ts), for
 * the API's queries. Only the projector writes these tables, and it does so in raw SQL (projector.ts).
 * `date` columns are `YYYY-MM-DD` strings, `bigint` columns strings. Every `updatedAt` is the
 * `recorded_at` of the event that last changed the row, never the wall clock, so a rebuild reproduces it.
 * The projector's own tables (projection_placement_state, projection_checkpoints: xid8, which TypeORM
 * cannot map) are not mapped.
 */

/** One placement and its package's status: `placements`. */
@Entity({ name: 'placements' })
export class PlacementView {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId!: string;

  @Column({ name: 'child_ref', type: 'uuid' })
  childRef!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'placement_type', type: 'text' })
  placementType!: string;

  @Column({ name: 'placement_date', type: 'date' })
  placementDate!: string;

  @Column({ name: 'catalog_version', type: 'text' })
  catalogVersion!: string;

  /** active | paused | ended | completed */
  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'paused_from', type: 'date', nullable: true })
  pausedFrom!: string | null;

  /** The stream version folded into this row. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn!: string | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One task of a placement, as the inboxes show it: `task_inbox`. */
@Entity({ name: 'task_inbox' })
export class TaskInboxItem {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId!: string;

  @PrimaryColumn({ name: 'task_id', type: 'text' })
  taskId!: string;

  @Column({ name: 'step_id', type: 'text' })
  stepId!: string;

  @Column({ type: 'integer' })
  occurrence!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  track!: string;

  @Column({ type: 'text' })
  role!: string;

  /** plan | follow-up | ad-hoc */
  @Column({ type: 'text' })
  origin!: string;

  @Column({ name: 'assignee_id', type: 'text', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'opens_on', type: 'date' })
  opensOn!: string;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ name: 'nominal_due_on', type: 'date' })
  nominalDueOn!: string;

  /** planned | open | due-soon | overdue | completed | waived | cancelled (see `inboxStatus`). */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'boolean' })
  escalated!: boolean;

  @Column({ name: 'completed_on', type: 'date', nullable: true })
  completedOn!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'waiver_reason', type: 'text', nullable: true })
  waiverReason!: string | null;

  /** oppfolgingsbesok | tilsynsbesok, or null for a task that counts toward no minimum. */
  @Column({ type: 'text', nullable: true })
  statutory!: string | null;

  @Column({ name: 'catalog_version', type: 'text' })
  catalogVersion!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'child_ref', type: 'uuid' })
  childRef!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One event of a placement, codes and dates only: `placement_timeline`. */
@Entity({ name: 'placement_timeline' })
export class PlacementTimelineEntry {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId!: string;

  @PrimaryColumn({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'global_position', type: 'bigint' })
  globalPosition!: string;

  @Column({ type: 'text' })
  type!: string;

  /** When it happened (the event's `at`). */
  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'task_id', type: 'text', nullable: true })
  taskId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}

/** Statutory visits per placement × calendar year × kind: `statutory_ledger`. */
@Entity({ name: 'statutory_ledger' })
export class StatutoryLedgerEntry {
  @PrimaryColumn({ name: 'placement_id', type: 'uuid' })
  placementId!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  /** oppfolgingsbesok | tilsynsbesok */
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @Column({ name: 'child_ref', type: 'uuid' })
  childRef!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'active_days', type: 'integer' })
  activeDays!: number;

  @Column({ type: 'integer' })
  required!: number;

  @Column({ type: 'integer' })
  planned!: number;

  @Column({ type: 'integer' })
  completed!: number;

  @Column({ type: 'integer' })
  waived!: number;
}

export const readModelEntities = [PlacementView, TaskInboxItem, PlacementTimelineEntry, StatutoryLedgerEntry];
