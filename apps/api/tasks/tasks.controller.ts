import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess } from '../auth/resource-access.js';
import {
  AssigneeDto,
  AssigneesQueryDto,
  InboxCountsDto,
  InboxPageDto,
  InboxQueryDto,
  TaskDto,
} from './tasks.dto.js';
import { TasksService } from './tasks.service.js';
import { UuidParam } from '../common/params.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly resources: ResourceAccess,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'My inbox: tasks I may see, by view (mine, pool, done in 30 days, all), filtered, searched and sorted ' +
      '(soonest due first), keyset-paginated by an opaque cursor.',
  })
  @ApiOkResponse({ type: InboxPageDto })
  inbox(
    @CurrentPrincipal() principal: Scoped,
    @Query() query: InboxQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<InboxPageDto> {
    return this.tasks.inbox(principal, query, requestId(req));
  }

  @Get('counts')
  @ApiOperation({ summary: 'How many tasks each view of my inbox holds (mine, pool, done in 30 days).' })
  @ApiOkResponse({ type: InboxCountsDto })
  counts(@CurrentPrincipal() principal: Scoped): Promise<InboxCountsDto> {
    return this.tasks.counts(principal);
  }

  @Get(':placementId/:taskId')
  @ApiOperation({ summary: 'One task.' })
  @ApiOkResponse({ type: TaskDto })
  async get(
    @CurrentPrincipal() principal: Scoped,
    @UuidParam('placementId') _placementId: string,
    @Param('taskId') _taskId: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<TaskDto> {
    return this.tasks.get(await this.resources.taskOf(req), principal);
  }

  @Get(':placementId/:taskId/assignees')
  @ApiOperation({
    summary:
      'Who the task can be given to: known people with its role (or `role`) who may act on it once it is theirs.',
  })
  @ApiOkResponse({ type: [AssigneeDto] })
  async assignees(
    @CurrentPrincipal() principal: Scoped,
    @UuidParam('placementId') _placementId: string,
    @Param('taskId') _taskId: string,
    @Query() query: AssigneesQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<AssigneeDto[]> {
    return this.tasks.assignees(principal, await this.resources.taskOf(req), query, req);
  }
}
