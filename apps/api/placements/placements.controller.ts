import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
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
  async get(@placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.get(await this.resources.placementOf(req));
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
