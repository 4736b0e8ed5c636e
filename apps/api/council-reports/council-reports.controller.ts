import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { councilFileName, councilReportCsv } from './council-report-csv.js';
import { CouncilReportDto, CouncilReportQueryDto, CouncilSignOffDto } from './council-report.dto.js';
import { councilReportPdf } from './council-report-pdf.js';
import { CouncilReports, type Caller } from './council-reports.service.js';

const caller = (principal: Scoped, req: AuthenticatedRequest): Caller => ({
  principal,
  action: req.routeKey ?? 'council-reports',
  requestId: requestId(req),
});

@ApiTags('council-reports')
@ApiBearerAuth()
@Controller('api/council-reports')
export class CouncilReportsController {
  constructor(private readonly reports: CouncilReports) {}

  @Get()
  @ApiOperation({
    summary:
      "The yearly report to a municipality's council (tilstandsrapport): the released report, or for the " +
      "service's leader the draft as of now (aggregates only, small cells hidden).",
  })
  @ApiOkResponse({ type: CouncilReportDto })
  report(
    @CurrentPrincipal() p: Scoped,
    @Query() q: CouncilReportQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<CouncilReportDto> {
    return this.reports.report(caller(p, req), q.municipality, q.year);
  }

  @Post('sign-off')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The service's leader signs off the draft counted as of `asOf`: its figures are frozen and the report " +
      'released (once per municipality and year; the same sign-off again answers the stored report).',
  })
  @ApiOkResponse({ type: CouncilReportDto })
  async signOff(
    @CurrentPrincipal() p: Scoped,
    @Body() body: CouncilSignOffDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<CouncilReportDto> {
    return (await this.reports.signOff(caller(p, req), body)).report;
  }

  @Get('report.pdf')
  @ApiOperation({
    summary: 'The report as a printable PDF in bokmål («Utkast» on every page until signed off).',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async pdf(
    @CurrentPrincipal() p: Scoped,
    @Query() q: CouncilReportQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.reports.report(caller(p, req), q.municipality, q.year);
    const pdf = await councilReportPdf(report);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${councilFileName(report, 'pdf')}"`);
    res.send(pdf);
  }

  @Get('report.csv')
  @ApiOperation({ summary: 'The report as CSV for nb-NO spreadsheets: the same figures as the PDF.' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  async csv(
    @CurrentPrincipal() p: Scoped,
    @Query() q: CouncilReportQueryDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const report = await this.reports.report(caller(p, req), q.municipality, q.year);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="${councilFileName(report, 'csv')}"`);
    return councilReportCsv(report);
  }
}
