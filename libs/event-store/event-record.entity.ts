import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of the append-only `events` table (schema: libs/database/migrations). Read-only mapping. */
@Entity({ name: 'events' })
export class EventRecord {
  /** bigint: kept as a string, as pg returns it. */
  @PrimaryColumn({ name: 'global_position', type: 'bigint' })
  globalPosition!: string;

  @Column({ name: 'stream_type', type: 'text' })
  streamType!: string;

  @Column({ name: 'stream_id', type: 'uuid' })
  streamId!: string;

  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
