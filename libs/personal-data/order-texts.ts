import type { EntityManager } from 'typeorm';
import { newDataKey, open, seal } from './envelope.js';

/** The free text of a kompetansebase order: it can identify a child in the ordering service's records. */
export interface OrderTexts {
  /** The ordering service's case number. */
  readonly caseNumber: string;
  /** What the measure should achieve. */
  readonly goal: string;
  /** The reference to the child's measures plan (tiltaksplan). */
  readonly planReference: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Stores an order's texts sealed at rest (table kompetansebase_order_texts): a data key of the order's
 * own, wrapped by the key-encryption key, each ciphertext bound to its assignment through the AAD. Never
 * logged and never passed to Temporal: the workflow knows the assignment by its opaque id only.
 */
export class OrderTextStore {
  constructor(private readonly kek: Buffer) {
    if (kek.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  }

  /**
   * Stores the texts once under the assignment id; a repeat (same id) gets what was stored first, with
   * `repeat` set, and the caller compares.
   */
  async put(
    m: Queryable,
    assignmentId: string,
    serviceId: string,
    texts: OrderTexts,
    byUserId: string,
  ): Promise<{ texts: OrderTexts; repeat: boolean }> {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from(JSON.stringify(texts), 'utf8'), `${assignmentId}|order`);
    const wrapped = seal(this.kek, key, `${assignmentId}|key`);
    const inserted = await m.query<unknown[]>(
      `INSERT INTO kompetansebase_order_texts (assignment_id, service_id, wrapped_key, sealed, created_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assignment_id) DO NOTHING RETURNING assignment_id`,
      [assignmentId, serviceId, wrapped, sealed, byUserId],
    );
    if (inserted.length > 0) return { texts, repeat: false };
    const stored = await this.get(m, assignmentId);
    if (!stored) throw new Error('an order text in conflict but not found');
    return { texts: stored, repeat: true };
  }

  /** The order's texts, undefined when none were stored. */
  async get(m: Queryable, assignmentId: string): Promise<OrderTexts | undefined> {
    const [row] = await m.query<{ wrapped_key: Buffer; sealed: Buffer }[]>(
      `SELECT wrapped_key, sealed FROM kompetansebase_order_texts WHERE assignment_id = $1`,
      [assignmentId],
    );
    if (!row) return undefined;
    const key = open(this.kek, row.wrapped_key, `${assignmentId}|key`);
    return JSON.parse(open(key, row.sealed, `${assignmentId}|order`).toString('utf8')) as OrderTexts;
  }

  /** Drops the texts of an order the workflow refused (nothing names them then). */
  async drop(m: Queryable, assignmentId: string): Promise<void> {
    await m.query(`DELETE FROM kompetansebase_order_texts WHERE assignment_id = $1`, [assignmentId]);
  }
}
