import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { newDataKey, open, seal } from './envelope.js';
import type { PersonalDetails, TaskNote, TaskTextKind } from './types.js';

/**
 * The development key-encryption key: public, so data encrypted with it protects nothing. The config
 * refuses to start production without PERSONAL_DATA_KEY.
 */
export const DEVELOPMENT_KEY: Buffer = Buffer.alloc(32, 'omsorgspakken-development-only');

/** The child's data was purged: its key is gone, and with it every ciphertext sealed under it. */
export class PersonalDataShreddedError extends Error {
  constructor() {
    super('personal data purged');
    this.name = 'PersonalDataShreddedError';
  }
}

export interface Author {
  readonly userId: string;
  readonly role: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Identifying details and free-text notes about a child, encrypted at rest with a key of the child's
 * own (tables child_keys, child_details, task_notes). Purging a child deletes the key: what was sealed
 * under it, including copies in backups, can no longer be read (crypto-shredding). Nothing here is
 * logged, and nothing here is ever passed to Temporal.
 */
export class PersonalDataStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kek: Buffer,
  ) {
    if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  }

  /** The child's data key, made on first use. Locks the key row for the rest of the transaction. */
  private async dataKey(m: Queryable, childRef: string, serviceId: string): Promise<Buffer> {
    await m.query(
      `INSERT INTO child_keys (child_ref, service_id, wrapped_key) VALUES ($1, $2, $3)
       ON CONFLICT (child_ref) DO NOTHING`,
      [childRef, serviceId, seal(this.kek, newDataKey(), `${childRef}|key`)],
    );
    const key = await this.existingKey(m, childRef, true);
    if (!key) throw new PersonalDataShreddedError();
    return key;
  }

  /** undefined: no data was ever stored; throws when it was purged. */
  private async existingKey(m: Queryable, childRef: string, lock = false): Promise<Buffer | undefined> {
    const [row] = await m.query<{ wrapped_key: Buffer | null; shredded_at: Date | null }[]>(
      `SELECT wrapped_key, shredded_at FROM child_keys WHERE child_ref = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [childRef],
    );
    if (!row) return undefined;
    if (!row.wrapped_key) throw new PersonalDataShreddedError();
    return open(this.kek, row.wrapped_key, `${childRef}|key`);
  }

  /** Stores (replaces) the child's details in the caller's transaction. */
  async putDetails(
    m: EntityManager,
    childRef: string,
    serviceId: string,
    details: PersonalDetails,
    by: Author,
  ): Promise<void> {
    const key = await this.dataKey(m, childRef, serviceId);
    const sealed = seal(key, Buffer.from(JSON.stringify(details), 'utf8'), `${childRef}|details`);
    await m.query(
      `INSERT INTO child_details (child_ref, sealed, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (child_ref) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [childRef, sealed, by.userId],
    );
  }

  /** undefined when none were stored; throws PersonalDataShreddedError when purged. */
  async details(childRef: string): Promise<PersonalDetails | undefined> {
    const key = await this.existingKey(this.dataSource, childRef);
    if (!key) return undefined;
    const [row] = await this.dataSource.query<{ sealed: Buffer }[]>(
      `SELECT sealed FROM child_details WHERE child_ref = $1`,
      [childRef],
    );
    if (!row) return undefined;
    return JSON.parse(open(key, row.sealed, `${childRef}|details`).toString('utf8')) as PersonalDetails;
  }

  /**
   * Adds a note under `noteId` (derived from the request's Idempotency-Key), once: when a note with that
   * id exists (a repeat, also one racing this one) it is returned as stored, with `repeat` set, and the
   * caller compares its text.
   */
  async addNote(
    m: EntityManager,
    note: {
      noteId?: string;
      childRef: string;
      serviceId: string;
      placementId: string;
      taskId: string;
      text: string;
      /** A note on the task (default), or a waiver request's justification or a decline's reason. */
      kind?: TaskTextKind;
    },
    by: Author,
  ): Promise<TaskNote & { repeat: boolean }> {
    const key = await this.dataKey(m, note.childRef, note.serviceId);
    const noteId = note.noteId ?? randomUUID();
    const sealed = seal(key, Buffer.from(note.text, 'utf8'), `${note.childRef}|note|${noteId}`);
    // The child's key row is locked (dataKey) until commit: a concurrent repeat waits here, then sees it.
    const [row] = await m.query<{ created_at: Date }[]>(
      `INSERT INTO task_notes (note_id, child_ref, placement_id, task_id, author_id, author_role, sealed, kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (note_id) DO NOTHING RETURNING created_at`,
      [noteId, note.childRef, note.placementId, note.taskId, by.userId, by.role, sealed, note.kind ?? 'note'],
    );
    if (row)
      return {
        noteId,
        taskId: note.taskId,
        authorId: by.userId,
        authorRole: by.role,
        at: row.created_at.toISOString(),
        text: note.text,
        repeat: false,
      };
    const [stored] = await m.query<
      { task_id: string; author_id: string; author_role: string; created_at: Date; sealed: Buffer }[]
    >(`SELECT task_id, author_id, author_role, created_at, sealed FROM task_notes WHERE note_id = $1`, [
      noteId,
    ]);
    if (!stored) throw new Error('a note id in conflict but not found');
    return {
      noteId,
      taskId: stored.task_id,
      authorId: stored.author_id,
      authorRole: stored.author_role,
      at: stored.created_at.toISOString(),
      text: open(key, stored.sealed, `${note.childRef}|note|${noteId}`).toString('utf8'),
      repeat: true,
    };
  }

  /** A task's notes, oldest first. Throws PersonalDataShreddedError when the child's data was purged. */
  async notes(childRef: string, placementId: string, taskId: string): Promise<TaskNote[]> {
    const key = await this.existingKey(this.dataSource, childRef);
    if (!key) return [];
    const rows = await this.dataSource.query<
      { note_id: string; author_id: string; author_role: string; created_at: Date; sealed: Buffer }[]
    >(
      `SELECT note_id, author_id, author_role, created_at, sealed FROM task_notes
        WHERE placement_id = $1 AND task_id = $2 AND kind = 'note' ORDER BY created_at, note_id`,
      [placementId, taskId],
    );
    return rows.map((r) => ({
      noteId: r.note_id,
      taskId,
      authorId: r.author_id,
      authorRole: r.author_role,
      at: r.created_at.toISOString(),
      text: open(key, r.sealed, `${childRef}|note|${r.note_id}`).toString('utf8'),
    }));
  }

  /**
   * The texts of a task's waiver requests and declines by id (`requestId`, `declineRef` of the events).
   * Throws PersonalDataShreddedError when the child's data was purged.
   */
  async waiverTexts(childRef: string, placementId: string, taskId: string): Promise<Map<string, TaskNote>> {
    const key = await this.existingKey(this.dataSource, childRef);
    if (!key) return new Map();
    const rows = await this.dataSource.query<
      { note_id: string; author_id: string; author_role: string; created_at: Date; sealed: Buffer }[]
    >(
      `SELECT note_id, author_id, author_role, created_at, sealed FROM task_notes
        WHERE placement_id = $1 AND task_id = $2 AND kind <> 'note'`,
      [placementId, taskId],
    );
    return new Map(
      rows.map((r) => [
        r.note_id,
        {
          noteId: r.note_id,
          taskId,
          authorId: r.author_id,
          authorRole: r.author_role,
          at: r.created_at.toISOString(),
          text: open(key, r.sealed, `${childRef}|note|${r.note_id}`).toString('utf8'),
        },
      ]),
    );
  }

  /**
   * Removes a waiver text the package refused to refer to (the request or decline was rejected), so no
   * text stays behind that no event names. Notes people wrote are never removed this way.
   */
  async dropWaiverText(noteId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM task_notes WHERE note_id = $1 AND kind <> 'note'`, [noteId]);
  }

  /**
   * Crypto-shreds the child's personal data in the caller's transaction: the key is destroyed (a
   * trigger refuses to ever set it again) and the ciphertexts deleted. False when there was none.
   */
  async shred(m: EntityManager, childRef: string, by: Author): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const [shredded] = await m.query<{ n: number }[]>(
      `WITH s AS (UPDATE child_keys SET wrapped_key = NULL, shredded_at = now(), shredded_by = $2
                   WHERE child_ref = $1 AND wrapped_key IS NOT NULL RETURNING 1)
       SELECT count(*)::int AS n FROM s`,
      [childRef, by.userId],
    );
    await m.query(`DELETE FROM child_details WHERE child_ref = $1`, [childRef]);
    await m.query(`DELETE FROM task_notes WHERE child_ref = $1`, [childRef]);
    return (shredded?.n ?? 0) > 0;
  }
}
