import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedQuery } from '../../../libs/database/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import {
  encodeListCursor,
  listStatusOf,
  PAGE_DETAILS_SQL,
  placementListSql,
  type PageDetailsRow,
  type PlacementListRow,
} from './placement-list.js';
import type { PlacementListPageDto, PlacementListQueryDto } from './placements.dto.js';

@Injectable()
export class PlacementListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accessLog: AccessLogService,
  ) {}

  /** A page of the placements the principal may read; one access log row names every child on it. */
  async page(
    principal: Scoped,
    query: PlacementListQueryDto,
    requestId?: string,
  ): Promise<PlacementListPageDto> {
    const { text, params, limit } = placementListSql(principal, query);
    const rows = await preparedQuery<PlacementListRow>(this.dataSource, text, params);
    const page = rows.slice(0, limit);
    await this.accessLog.recordListing(principal, 'GET /api/placements', page, requestId);
    const details = page.length
      ? await preparedQuery<PageDetailsRow>(this.dataSource, PAGE_DETAILS_SQL, [
          page.map((r) => r.placement_id),
        ])
      : [];
    const byId = new Map(details.map((d) => [d.placement_id, d]));
    return {
      items: page.map((r) => {
        const d = byId.get(r.placement_id);
        return {
          placementId: r.placement_id,
          caseNumber: r.case_number,
          status: listStatusOf(r),
          placementDate: r.placement_date,
          pausedFrom: r.paused_from,
          endedOn: r.ended_on,
          ordinaryYear: d?.ordinary_year ?? null,
          openTasks: d?.open_tasks ?? 0,
          overdueTasks: d?.overdue_tasks ?? 0,
          nextDueOn: d?.next_due_on ?? null,
        };
      }),
      nextCursor:
        rows.length > limit && page.length ? encodeListCursor(page[page.length - 1].sort_key) : null,
    };
  }
}
