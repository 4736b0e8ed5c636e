import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import { statusCsv } from './report-csv.js';
import { StatutoryStatusPageDto, StatutoryStatusQueryDto } from './statutory-status.dto.js';
import { StatutoryStatusReport } from './statutory-status.js';

@ApiTags('adherence')
@ApiBearerAuth()
@Controller('api/statutory-status')
export class StatutoryStatusController {
  constructor(
    private readonly report: StatutoryStatusReport,
    private readonly caseNumbers: CaseNumbers,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'The statutory status of every placement of my service active in a year (default: this year): per ' +
      'placement and duty (follow-up and supervision visits) required, done, planned, waived, the next ' +
      'visit due and the early warning; totals per status for the whole service; filters, sort, offset ' +
      'paging; JSON or CSV (every matching placement).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatutoryStatusPageDto })
  async list(
    @CurrentPrincipal() p: Scoped,
    @Query() query: StatutoryStatusQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Req() req: AuthenticatedRequest,
  ): Promise<StatutoryStatusPageDto | string> {
    if (query.format === 'csv') {
      const { year, reportDate, rows } = await this.report.all(p, query);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="lovpalagt-oppfolging-${year}-per-${reportDate}.csv"`,
      );
      return statusCsv(year, rows);
    }
    const page = await this.report.page(p, query);
    // The case numbers of the page's placements only: one access-log row names every child shown.
    const numbers = await this.caseNumbers.forListing(
      page.rows.map((r) => r.placementId),
      p,
      'GET /api/statutory-status',
      requestId(req),
    );
    return {
      ...page,
      rows: page.rows.map((r) => {
        const caseNumber = numbers.get(r.placementId);
        return caseNumber ? { ...r, caseNumber } : r;
      }),
    };
  }
}
