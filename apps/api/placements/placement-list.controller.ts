import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { PlacementListPageDto, PlacementListQueryDto } from './placements.dto.js';
import { PlacementListService } from './placement-list.service.js';

@ApiTags('placements')
@ApiBearerAuth()
/** Its access is its policy (libs/security/policy.ts): the role gate, then visiblePlacementsSql. */
@Controller('api/placements')
export class PlacementListController {
  constructor(private readonly list: PlacementListService) {}

  @Get()
  @ApiOperation({
    summary:
      'The placements I may read (those GET /api/placements/{placementId} answers), with their status, ' +
      'phase, open and overdue tasks and next due date; filtered by status and case number, sorted by ' +
      'case number (none last), keyset-paginated by an opaque cursor. Each page is logged as a read.',
  })
  @ApiOkResponse({ type: PlacementListPageDto })
  page(
    @CurrentPrincipal() principal: Scoped,
    @Query() query: PlacementListQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<PlacementListPageDto> {
    return this.list.page(principal, query, requestId(req));
  }
}
