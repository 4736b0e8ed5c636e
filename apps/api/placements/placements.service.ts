import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLogService } from '../auth/access-log.service.js';
import type { Scoped } from '../../../libs/security/index.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess, type PlacementRow } from '../auth/resource-access.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import {
  DEFAULT_ACCESS_LOG_LIMIT,
  type AccessLogPageDto,
  type AccessLogQueryDto,
  type LedgerEntryDto,
  type PlacementDto,
  type TimelineEntryDto,
} from './placements.dto.js';
import { ProblemException } from '../common/problem.js';

/** The access log's cursor: the last row's id, opaque to clients. */
const encodeLogCursor = (id: string) => Buffer.from(`log:${id}`).toString('base64url');
const decodeLogCursor = (cursor: string): string => {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^log:\d{1,18}$/.test(text) ? text.slice(4) : '';
};

/**
 * The placement routes' reads. Each gets the placement AuthGuard loaded and checked for its route's
 * action (libs/security/policy.ts), so none looks it up or checks access again.
 */
@Injectable()
export class PlacementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accessLog: AccessLogService,
    private readonly resources: ResourceAccess,
    private readonly caseNumbers: CaseNumbers,
  ) {}

  /** A placement the guard loaded and checked (`placement:read`), with its case number. */
  async get(r: PlacementRow, reader: Scoped): Promise<PlacementDto> {
    return {
      placementId: r.placement_id,
      caseNumber: await this.caseNumbers.of(r.placement_id, reader),
      childRef: r.child_ref,
      serviceId: r.service_id,
      municipalityId: r.municipality_id,
      placementType: r.placement_type,
      legalBasis: r.legal_basis,
      placementDate: r.placement_date,
      catalogVersion: r.catalog_version,
      status: r.status,
      pausedFrom: r.paused_from,
      version: r.version,
      endedOn: r.ended_on,
      endReason: r.end_reason,
      bufetatHelp: r.bufetat_help,
    };
  }

  /** Sets the case number; the access check (`placement:write`) is logged in the write's transaction. */
  async setCaseNumber(p: Scoped, request: AuthenticatedRequest, caseNumber: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const r = await this.resources.placementOf(request, m);
      await this.caseNumbers.set(
        m,
        { placementId: r.placement_id, serviceId: r.service_id, childRef: r.child_ref },
        caseNumber,
        p,
      );
    });
  }

  async timeline({ placement_id: placementId }: PlacementRow): Promise<TimelineEntryDto[]> {
    const rows = await this.dataSource.query<
      {
        stream_version: number;
        type: string;
        at: Date;
        task_id: string | null;
        details: Record<string, unknown>;
      }[]
    >(
      `SELECT stream_version, type, at, task_id, details FROM placement_timeline
        WHERE placement_id = $1 ORDER BY stream_version`,
      [placementId],
    );
    return rows.map((r) => ({
      streamVersion: r.stream_version,
      type: r.type,
      at: r.at.toISOString(),
      taskId: r.task_id,
      details: r.details,
    }));
  }

  async ledger({ placement_id: placementId }: PlacementRow): Promise<LedgerEntryDto[]> {
    const rows = await this.dataSource.query<
      {
        year: number;
        kind: string;
        active_days: number;
        required: number;
        planned: number;
        completed: number;
        waived: number;
      }[]
    >(
      `SELECT year, kind, active_days, required, planned, completed, waived FROM statutory_ledger
        WHERE placement_id = $1 ORDER BY year, kind`,
      [placementId],
    );
    return rows.map((r) => ({
      year: r.year,
      kind: r.kind,
      activeDays: r.active_days,
      required: r.required,
      planned: r.planned,
      completed: r.completed,
      waived: r.waived,
    }));
  }

  /** Who accessed this child's data (leader of the owning service), newest first, a page at a time. */
  async accessLogFor(r: PlacementRow, query: AccessLogQueryDto): Promise<AccessLogPageDto> {
    const placementId = r.placement_id;
    const after = query.cursor === undefined ? undefined : decodeLogCursor(query.cursor);
    if (after !== undefined && !(await this.accessLog.exists(after)))
      throw new ProblemException(400, 'Ugyldig markør.', [
        { field: 'cursor', reason: 'er ikke en markør fra en tidligere side' },
      ]);
    const { rows, next } = await this.accessLog.forChild(r.child_ref, placementId, {
      limit: query.limit ?? DEFAULT_ACCESS_LOG_LIMIT,
      ...(after !== undefined ? { after } : {}),
    });
    return { items: rows, nextCursor: next === null ? null : encodeLogCursor(next) };
  }
}
