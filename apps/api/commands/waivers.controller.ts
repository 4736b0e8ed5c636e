import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { TaskDto } from '../tasks/tasks.dto.js';
import { CommandResultDto } from './commands.dto.js';
import {
  WaiverCosignDto,
  WaiverDeclineDto,
  WaiverDetailDto,
  WaiverRequestDto,
  WaiverRequestsQueryDto,
} from './waivers.dto.js';
import { CommandRoute, IdempotencyKeyValue, PlacementIdParam } from './command-route.js';
import { WaiversService } from './waivers.service.js';

const placementId = PlacementIdParam;
const key = IdempotencyKeyValue;
const IdempotencyKey = CommandRoute;

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks/:placementId/:taskId')
export class WaiverCommandsController {
  constructor(private readonly waivers: WaiversService) {}

  @Post('waiver-request')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary: 'Ask for a statutory step to be waived (a coded reason and a justification); a leader co-signs.',
    description:
      'Only for steps that need a leader’s co-signature (LAW, or counting toward a statutory minimum); ' +
      'others are waived with …/waive. The task stays open and still escalates until a leader co-signs. ' +
      'The same key with another justification: 422.',
  })
  @ApiOkResponse({ type: CommandResultDto })
  request(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: WaiverRequestDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.waivers.request(p, body, k, req);
  }

  @Post('waiver-request/cosign')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary: 'Co-sign the open waiver request you read (leader; never your own request): the step is waived.',
  })
  @ApiOkResponse({ type: CommandResultDto })
  cosign(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: WaiverCosignDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.waivers.cosign(p, body, k, req);
  }

  @Post('waiver-request/decline')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Decline the open waiver request, with a reason (leader): the step goes on.' })
  @ApiOkResponse({ type: CommandResultDto })
  decline(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: WaiverDeclineDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.waivers.decline(p, body, k, req);
  }

  @Get('waiver')
  @ApiOperation({
    summary:
      'The step’s last waiver request: who asked, who decided, when, the reason and the justification (logged).',
  })
  @ApiOkResponse({ type: WaiverDetailDto })
  detail(@placementId() _id: string, @Param('taskId') _taskId: string, @Req() req: AuthenticatedRequest) {
    return this.waivers.detail(req);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/waiver-requests')
export class WaiverRequestsController {
  constructor(private readonly waivers: WaiversService) {}

  @Get()
  @ApiOperation({
    summary: 'Open waiver requests of my service, soonest due first (the listing is logged).',
  })
  @ApiOkResponse({ type: [TaskDto] })
  list(
    @CurrentPrincipal() p: Scoped,
    @Query() query: WaiverRequestsQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<TaskDto[]> {
    return this.waivers.open(p, query, req);
  }
}
