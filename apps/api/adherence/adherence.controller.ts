import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { CaseNumbers } from '../case-numbers/case-numbers.js';
import {
  AdherenceQueryDto,
  AdherenceReportDto,
  FollowupReportDto,
  MilestoneReportDto,
  StatutoryComplianceDto,
  StatutoryComplianceQueryDto,
  StatutoryRiskDto,
  StatutoryRiskQueryDto,
} from './adherence.dto.js';
import { AdherenceReport } from './adherence-report.js';
import { FollowupReport } from './followup-report.js';
import { MilestonesReport } from './milestones-report.js';
import { breakdownInName, periodFileName, REPORT_COLUMNS, reportCsv, riskCsv } from './report-csv.js';
import { asOfInstant, reportDateOf } from './report-window.js';
import { StatutoryComplianceReport } from './statutory-compliance-report.js';
import { StatutoryRiskReport } from './statutory-risk-report.js';

/** Answers with `body` as a CSV download named `filename` (for nb-NO spreadsheets: ./report-csv.ts). */
function csv(res: Response, filename: string, body: string): string {
  res.header('Content-Type', 'text/csv; charset=utf-8; header=present');
  res.header('Content-Disposition', `attachment; filename="${filename}"`);
  return body;
}

@ApiTags('adherence')
@ApiBearerAuth()
@Controller('api/adherence')
export class AdherenceController {
  constructor(
    private readonly adherenceReport: AdherenceReport,
    private readonly milestonesReport: MilestonesReport,
    private readonly followupReport: FollowupReport,
    private readonly complianceReport: StatutoryComplianceReport,
    private readonly riskReport: StatutoryRiskReport,
    private readonly caseNumbers: CaseNumbers,
  ) {}

  @Get('report')
  @ApiOperation({
    summary:
      'Adherence to the package for my learning network (aggregates, small cells suppressed) or my service, ' +
      'broken down by network, service, municipality, track, step, placement type or month; as of any past instant; JSON or CSV.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AdherenceReportDto })
  async report(
    @CurrentPrincipal() p: Scoped,
    @Query() query: AdherenceQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AdherenceReportDto | string> {
    const report = await this.adherenceReport.report(p, query);
    if (query.format !== 'csv') return report;
    return csv(res, periodFileName('etterlevelse', report), reportCsv(report, REPORT_COLUMNS.adherence));
  }

  @Get('milestones')
  @ApiOperation({
    summary:
      'Package completion at 90/182/365 days and first-contact speed for placements that began in the period ' +
      '(same scope, suppression, as-of and CSV as the report).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: MilestoneReportDto })
  async milestones(
    @CurrentPrincipal() p: Scoped,
    @Query() query: AdherenceQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MilestoneReportDto | string> {
    const report = await this.milestonesReport.milestones(p, query);
    if (query.format !== 'csv') return report;
    return csv(res, periodFileName('milepaeler', report), reportCsv(report, REPORT_COLUMNS.milestones));
  }

  @Get('followup')
  @ApiOperation({
    summary:
      'Follow-up of the placements that began in the period: child-voice coverage, plan timeliness, parent ' +
      'follow-up, guidance dose, supervisors appointed and supervision reports assessed in time, and context ' +
      '(breakdowns within 12 months, caseworker changes in months 0–6); same scope, suppression, as-of and CSV ' +
      'as the report.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: FollowupReportDto })
  async followup(
    @CurrentPrincipal() p: Scoped,
    @Query() query: AdherenceQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FollowupReportDto | string> {
    const report = await this.followupReport.followup(p, query);
    if (query.format !== 'csv') return report;
    return csv(res, periodFileName('oppfolging', report), reportCsv(report, REPORT_COLUMNS.followup));
  }

  @Get('statutory-compliance')
  @ApiOperation({
    summary:
      'Statutory visit compliance for a year: placements with at least the required visits (pro rata); ' +
      'as of any past instant.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatutoryComplianceDto })
  async statutoryCompliance(
    @CurrentPrincipal() p: Scoped,
    @Query() query: StatutoryComplianceQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StatutoryComplianceDto | string> {
    const report = await this.complianceReport.statutoryCompliance(p, query);
    if (query.format !== 'csv') return report;
    return csv(
      res,
      `lovpalagte-besok-${report.year}-${breakdownInName(report.by)}-per-${reportDateOf(asOfInstant(query.asOf))}.csv`,
      reportCsv(report, REPORT_COLUMNS.statutoryCompliance),
    );
  }

  @Get('statutory-risk')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Placements of my service whose statutory visits this year are at risk, while the year can be saved; ' +
      'as of any past instant.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: [StatutoryRiskDto] })
  async statutoryRisk(
    @CurrentPrincipal() p: Scoped,
    @Query() query: StatutoryRiskQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Req() req: AuthenticatedRequest,
  ): Promise<StatutoryRiskDto[] | string> {
    const risks = await this.riskReport.statutoryRisk(p, query);
    if (query.format === 'csv')
      return csv(
        res,
        `risiko-lovpalagte-besok-${query.year ?? reportDateOf(asOfInstant(query.asOf)).slice(0, 4)}-per-${reportDateOf(asOfInstant(query.asOf))}.csv`,
        riskCsv(risks),
      );
    const numbers = await this.caseNumbers.forListing(
      risks.map((r) => r.placementId),
      p,
      'GET /api/adherence/statutory-risk',
      requestId(req),
    );
    return risks.map((r) =>
      numbers.has(r.placementId) ? { ...r, caseNumber: numbers.get(r.placementId) } : r,
    );
  }
}
