import { Body, Controller, Get, HttpCode, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CaseNumberDto } from '../case-numbers/case-number.dto.js';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess } from '../auth/resource-access.js';
import {
  AccessLogPageDto,
  AccessLogQueryDto,
  LedgerEntryDto,
  PlacementDto,
  TimelineEntryDto,
} from './placements.dto.js';
import { PlacementsService } from './placements.service.js';
import { UuidParam } from '../common/params.js';

const placementId = () => UuidParam('placementId');

@ApiTags('placements')
@ApiBearerAuth()
/** Each route's access (roles, and the action on the placement) is its policy: libs/security/policy.ts. */
@Controller('api/placements/:placementId')
export class PlacementsController {
  constructor(
    private readonly placements: PlacementsService,
    private readonly resources: ResourceAccess,
  ) {}

  @Get()
  @ApiOperation({ summary: 'A placement and its package status.' })
  @ApiOkResponse({ type: PlacementDto })
  async get(@CurrentPrincipal() p: Scoped, @placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.get(await this.resources.placementOf(req), p);
  }

  @Put('case-number')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Correct (or enter) the service’s own case number of the placement (caseworker or leader of the ' +
      'service; logged). 409 when another placement of the service has it.',
  })
  @ApiNoContentResponse()
  async setCaseNumber(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: CaseNumberDto,
    @Req() req: AuthenticatedRequest,
  ) {
    await this.placements.setCaseNumber(p, req, body.caseNumber);
  }

  @Get('timeline')
  @ApiOperation({ summary: 'What happened to the package, in order (codes and dates only).' })
  @ApiOkResponse({ type: [TimelineEntryDto] })
  async timeline(@placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.timeline(await this.resources.placementOf(req));
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Statutory visits per year: required, planned, completed, waived.' })
  @ApiOkResponse({ type: [LedgerEntryDto] })
  async ledger(@placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.ledger(await this.resources.placementOf(req));
  }

  @Get('access-log')
  @ApiOperation({ summary: "Who accessed this child's data (leader of the owning service)." })
  @ApiOkResponse({ type: AccessLogPageDto })
  async accessLog(
    @placementId() _id: string,
    @Query() query: AccessLogQueryDto,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.placements.accessLogFor(await this.resources.placementOf(req), query);
  }
}
