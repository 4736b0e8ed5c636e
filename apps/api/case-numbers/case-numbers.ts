import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { Scoped } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { keyReused } from '../common/idempotency.js';
import { ProblemException } from '../common/problem.js';

/** 409: the number is another placement's in the same service. The answer never repeats the number. */
const inUse = () =>
  new ProblemException(409, 'Saksnummeret er allerede brukt på en annen plassering i tjenesten.', [
    { field: 'caseNumber', reason: 'er allerede brukt på en annen plassering i tjenesten' },
  ]);

const isUniqueViolation = (error: unknown) =>
  error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';

type Queryable = Pick<EntityManager, 'query'>;

export interface CaseNumberOwner {
  readonly placementId: string;
  readonly serviceId: string;
  readonly childRef: string;
}

/**
 * The service's own case number of each placement (table placement_case_numbers). It identifies a child
 * to anyone with the service's case system, so it is handled as personal data: never in events, read
 * models, Temporal payloads, workflow ids or logs; written with its access log row in one transaction;
 * shown only to staff of the owning service (every read below is scoped to the reader's service, on rows
 * the caller has already loaded through the access function and logged).
 */
@Injectable()
export class CaseNumbers {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accessLog: AccessLogService,
  ) {}

  /**
   * Reserves the number for a placement about to be registered, before its workflow is started: 409
   * when another placement of the service has it; 422 when this placement (the same Idempotency-Key)
   * was registered with another number. Logged as a write of the child's data.
   */
  async reserve(
    owner: CaseNumberOwner,
    caseNumber: string,
    by: Scoped,
    action: string,
    requestId?: string,
  ): Promise<void> {
    await this.write(async (m) => {
      const [inserted] = await m.query<{ placement_id: string }[]>(
        `INSERT INTO placement_case_numbers (placement_id, service_id, child_ref, case_number, updated_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (placement_id) DO NOTHING RETURNING placement_id`,
        [owner.placementId, owner.serviceId, owner.childRef, caseNumber, by.userId],
      );
      if (inserted) return this.log(m, owner, by, action, requestId);
      // A repeat (same Idempotency-Key, so the same placement): it must carry the same number.
      const [existing] = await m.query<{ case_number: string }[]>(
        `SELECT case_number FROM placement_case_numbers WHERE placement_id = $1`,
        [owner.placementId],
      );
      if (existing?.case_number !== caseNumber) throw keyReused('en registrering med et annet saksnummer');
    });
  }

  /**
   * Gives up a reservation whose registration certainly did not happen (the engine refused it, or it
   * was never sent): the number is free again. Kept once the placement has events.
   */
  async release(placementId: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM placement_case_numbers c WHERE c.placement_id = $1
          AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = $1)`,
      [placementId],
    );
  }

  /**
   * Sets (corrects) the number of a placement the caller loaded and checked for `placement:write` in
   * the same transaction `m` (whose access log row commits with it): 409 when another placement of the
   * service has it.
   */
  async set(m: EntityManager, owner: CaseNumberOwner, caseNumber: string, by: Scoped): Promise<void> {
    try {
      await m.query(
        `INSERT INTO placement_case_numbers (placement_id, service_id, child_ref, case_number, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (placement_id) DO UPDATE
           SET case_number = EXCLUDED.case_number, updated_at = now(), updated_by = EXCLUDED.updated_by`,
        [owner.placementId, owner.serviceId, owner.childRef, caseNumber, by.userId],
      );
    } catch (error) {
      throw isUniqueViolation(error) ? inUse() : error;
    }
  }

  /** The number of one placement (null when none was entered), for staff of its service only. */
  async of(placementId: string, reader: Scoped): Promise<string | null> {
    return (await this.forPlacements([placementId], reader)).get(placementId) ?? null;
  }

  /**
   * The numbers of the given placements that belong to the reader's own service (a placement of another
   * service, e.g. a foster-home resource's in its learning network or Bufetat's, gets none).
   */
  async forPlacements(placementIds: readonly string[], reader: Scoped): Promise<Map<string, string>> {
    if (placementIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ placement_id: string; case_number: string }[]>(
      `SELECT placement_id, case_number FROM placement_case_numbers
        WHERE placement_id = ANY($1::uuid[]) AND service_id::text = $2`,
      [[...new Set(placementIds)], reader.organisation],
    );
    return new Map(rows.map((r) => [r.placement_id, r.case_number]));
  }

  /**
   * The numbers for a listing that showed only opaque placement ids before (the leader's statutory risk
   * list): those of the reader's service, with one access log row naming every child whose number the
   * listing shows (as the inbox's listing row does).
   */
  async forListing(
    placementIds: readonly string[],
    reader: Scoped,
    action: string,
    requestId?: string,
  ): Promise<Map<string, string>> {
    if (placementIds.length === 0) return new Map();
    const rows = await this.dataSource.query<
      { placement_id: string; child_ref: string; case_number: string }[]
    >(
      `SELECT placement_id, child_ref, case_number FROM placement_case_numbers
        WHERE placement_id = ANY($1::uuid[]) AND service_id::text = $2`,
      [[...new Set(placementIds)], reader.organisation],
    );
    await this.accessLog.recordListing(reader, action, rows, requestId);
    return new Map(rows.map((r) => [r.placement_id, r.case_number]));
  }

  /** Deletes the number with the rest of the child's personal data (the purge's transaction). */
  async purge(m: Queryable, childRef: string): Promise<void> {
    await m.query(`DELETE FROM placement_case_numbers WHERE child_ref = $1`, [childRef]);
  }

  private async write(work: (m: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.dataSource.transaction(work);
    } catch (error) {
      throw isUniqueViolation(error) ? inUse() : error;
    }
  }

  private log(m: EntityManager, owner: CaseNumberOwner, by: Scoped, action: string, requestId?: string) {
    return this.accessLog.record(
      [
        {
          principal: by,
          childRef: owner.childRef,
          placementId: owner.placementId,
          action,
          outcome: 'allowed',
          ...(requestId ? { requestId } : {}),
        },
      ],
      m,
    );
  }
}
