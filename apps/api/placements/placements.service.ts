import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Action, PlacementResource, Scoped } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { AccessService } from '../auth/access.service.js';
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

export interface PlacementRow {
  placement_id: string;
  child_ref: string;
  service_id: string;
  municipality_id: string;
  placement_type: string;
  placement_date: string;
  catalog_version: string;
  status: string;
  paused_from: string | null;
  version: number;
  ended_on: string | null;
  end_reason: string | null;
  bufetat_help: boolean;
  legal_basis: string | null;
}

@Injectable()
export class PlacementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** Loads the placement and checks `action` on it (404 when missing or hidden, 403 when forbidden). */
  async authorized(
    principal: Scoped,
    placementId: string,
    action: Action,
    route: string,
    requestId?: string,
    manager?: EntityManager,
  ): Promise<PlacementRow> {
    const [row] = await (manager ?? this.dataSource).query<PlacementRow[]>(
      `SELECT p.placement_id, p.child_ref, p.service_id, p.municipality_id, p.placement_type,
              p.placement_date::text AS placement_date, p.catalog_version, p.status,
              p.paused_from::text AS paused_from, p.version, p.ended_on::text AS ended_on, p.end_reason,
              COALESCE((ps.state->'package'->'facts'->>'bufetatHelp')::boolean, false) AS bufetat_help,
              ps.state->'package'->'facts'->>'legalBasis' AS legal_basis
         FROM placements p LEFT JOIN projection_placement_state ps USING (placement_id)
        WHERE p.placement_id = $1`,
      [placementId],
    );
    const resource: PlacementResource | undefined = row && {
      kind: 'placement',
      serviceId: row.service_id,
      childRef: row.child_ref,
      bufetatHelp: row.bufetat_help,
    };
    await this.access.authorize(principal, action, resource, { route, placementId, requestId }, manager);
    return row;
  }

  async get(principal: Scoped, placementId: string, requestId?: string): Promise<PlacementDto> {
    const r = await this.authorized(
      principal,
      placementId,
      'placement:read',
      'GET /api/placements/{placementId}',
      requestId,
    );
    return {
      placementId: r.placement_id,
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

  async timeline(principal: Scoped, placementId: string, requestId?: string): Promise<TimelineEntryDto[]> {
    await this.authorized(
      principal,
      placementId,
      'placement:read',
      'GET /api/placements/{placementId}/timeline',
      requestId,
    );
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

  async ledger(principal: Scoped, placementId: string, requestId?: string): Promise<LedgerEntryDto[]> {
    await this.authorized(
      principal,
      placementId,
      'placement:read',
      'GET /api/placements/{placementId}/ledger',
      requestId,
    );
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
  async accessLogFor(
    principal: Scoped,
    placementId: string,
    query: AccessLogQueryDto,
    requestId?: string,
  ): Promise<AccessLogPageDto> {
    const r = await this.authorized(
      principal,
      placementId,
      'placement:access-log',
      'GET /api/placements/{placementId}/access-log',
      requestId,
    );
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
