import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
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
@Controller('api/placements/:placementId')
export class PlacementsController {
  constructor(private readonly placements: PlacementsService) {}

  @Get()
  @ApiOperation({ summary: 'A placement and its package status.' })
  @ApiOkResponse({ type: PlacementDto })
  get(@CurrentPrincipal() p: Scoped, @placementId() id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.get(p, id, requestId(req));
  }

  @Get('timeline')
  @ApiOperation({ summary: 'What happened to the package, in order (codes and dates only).' })
  @ApiOkResponse({ type: [TimelineEntryDto] })
  timeline(@CurrentPrincipal() p: Scoped, @placementId() id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.timeline(p, id, requestId(req));
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Statutory visits per year: required, planned, completed, waived.' })
  @ApiOkResponse({ type: [LedgerEntryDto] })
  ledger(@CurrentPrincipal() p: Scoped, @placementId() id: string, @Req() req: AuthenticatedRequest) {
    return this.placements.ledger(p, id, requestId(req));
  }

  @Get('access-log')
  @ApiOperation({ summary: "Who accessed this child's data (leader of the owning service)." })
  @ApiOkResponse({ type: AccessLogPageDto })
  accessLog(
    @CurrentPrincipal() p: Scoped,
    @placementId() id: string,
    @Query() query: AccessLogQueryDto,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.placements.accessLogFor(p, id, query, requestId(req));
  }
}
