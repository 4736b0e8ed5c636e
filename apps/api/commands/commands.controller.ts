import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ResourceAccess } from '../auth/resource-access.js';
import {
  AdHocTaskDto,
  ChangePlacementDto,
  ChangePreviewDto,
  ChangeResultDto,
  PreviewChangeDto,
  ReductionDto,
  CommandResultDto,
  CommandStatusDto,
  CompleteTaskDto,
  EndDto,
  PauseDto,
  ReassignTaskDto,
  RegisterPlacementDto,
  RegisteredDto,
  ResumeDto,
  WaiveTaskDto,
} from './commands.dto.js';
import { CommandSender } from './command-sender.js';
import { CommandRoute, IdempotencyKeyValue, PlacementIdParam } from './command-route.js';
import { PlacementCommandsService } from './placement-commands.service.js';
import { TaskCommandsService } from './task-commands.service.js';
import { UuidParam } from '../common/params.js';
import { EARLIEST_BEFORE_PLACEMENT_DAYS } from '../../../libs/domain/package/decide/guards.js';

/**
 * A 400 for input the schema allows: the field rules that depend on today or on the placement (its date,
 * its tasks, who may hold them), which only the package can check. Each route's rules are in its 400.
 */
const badRequest = (rules: string) =>
  ApiBadRequestResponse({
    description: `Bad input: \`errors\` names each field and why. Besides the schema: ${rules}`,
  });

const placementId = PlacementIdParam;
const key = IdempotencyKeyValue;
const IdempotencyKey = CommandRoute;

@ApiTags('placements')
@ApiBearerAuth()
@Controller('api/placements')
export class PlacementCommandsController {
  constructor(
    private readonly commands: PlacementCommandsService,
    private readonly sender: CommandSender,
    private readonly resources: ResourceAccess,
  ) {}

  @Get(':placementId/commands/:commandId')
  @ApiOperation({
    summary:
      'What became of a command a 202 answered: applied (at which version), rejected (why), or still ' +
      'pending. 404: not known (never received, or not yet): send it again with the same Idempotency-Key.',
  })
  @ApiOkResponse({ type: CommandStatusDto })
  async lookup(
    @placementId() _id: string,
    @UuidParam('commandId') commandId: string,
    @Req() req: AuthenticatedRequest,
  ) {
    const { placement_id: id } = await this.resources.placementOf(req);
    return this.sender.lookup({ kind: 'placement', id }, commandId);
  }

  @Post()
  @IdempotencyKey()
  @ApiOperation({ summary: 'Register a placement in my service and start its care package.' })
  @ApiCreatedResponse({ type: RegisteredDto })
  register(
    @CurrentPrincipal() p: Scoped,
    @Body() body: RegisterPlacementDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.register(p, body, k, req);
  }

  @Post(':placementId/pause')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Pause the package (the child is temporarily elsewhere).' })
  @badRequest('`from` not in the future.')
  @ApiOkResponse({ type: CommandResultDto })
  async pause(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: PauseDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.pause(p, body, k, req);
  }

  @Post(':placementId/resume')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Resume a paused package.' })
  @badRequest('`on` not in the future and not before the pause began.')
  @ApiOkResponse({ type: CommandResultDto })
  async resume(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: ResumeDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.resume(p, body, k, req);
  }

  @Post(':placementId/end')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'End the placement: open tasks are cancelled.' })
  @badRequest('`endedOn` not in the future and not before the placement date.')
  @ApiOkResponse({ type: CommandResultDto })
  async end(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: EndDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.end(p, body, k, req);
  }

  @Post(':placementId/annul')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({
    summary: 'Annul a placement registered by mistake (leader only).',
    description:
      "Open tasks are cancelled and the package ends with the reason 'registrert-ved-feil'. The placement stays in the placement list (status ended, that end reason) and leaves the adherence figures from the annulment on.",
  })
  @ApiOkResponse({ type: CommandResultDto })
  async annul(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.annul(p, k, req);
  }

  @Post(':placementId/change/preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Preview a change of placement date or type: which tasks move, appear or lapse. Changes nothing.',
  })
  @ApiOkResponse({ type: ChangePreviewDto })
  async previewChange(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: PreviewChangeDto,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.commands.previewChange(p, await this.resources.placementOf(req), body);
  }

  @Post(':placementId/change')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Change the placement date or type (apply; expectedVersion guards the preview).' })
  @ApiOkResponse({ type: ChangeResultDto })
  async change(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: ChangePlacementDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.change(p, body, k, req);
  }

  @Post(':placementId/reductions')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Record a decision to reduce a statutory yearly minimum.' })
  @badRequest(
    '`decision.effectiveFrom` not before the placement date, and at the earliest two years after it ' +
      '(the child has lived two years in the home); `decision.childView` given; a reduction of ' +
      'supervision (`tilsynsbesok`) needs `decision.childConsent: true`.',
  )
  @ApiOkResponse({ type: CommandResultDto })
  async reduction(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: ReductionDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.recordReduction(p, body, k, req);
  }

  @Post(':placementId/ad-hoc-tasks')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Add a catalog step once more (e.g. an extra visit).' })
  @badRequest(
    '`stepId` a step of the catalog version of the placement; `dueOn` not before the placement date.',
  )
  @ApiOkResponse({ type: CommandResultDto })
  async addAdHoc(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: AdHocTaskDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    await this.resources.placementOf(req);
    return this.commands.addAdHoc(p, body, k, req);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks/:placementId/:taskId')
export class TaskCommandsController {
  constructor(
    private readonly commands: TaskCommandsService,
    private readonly resources: ResourceAccess,
  ) {}

  @Post('complete')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Mark a task done.' })
  @badRequest(
    `\`completedOn\` not in the future and at most ${EARLIEST_BEFORE_PLACEMENT_DAYS} days before the placement date.`,
  )
  @ApiOkResponse({ type: CommandResultDto })
  async complete(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: CompleteTaskDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.complete(p, await this.resources.taskOf(req), body, k, req);
  }

  @Post('waive')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Waive a task with a reason (statutory steps need a leader).' })
  @ApiOkResponse({ type: CommandResultDto })
  async waive(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: WaiveTaskDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.waive(p, await this.resources.taskOf(req), body, k, req);
  }

  @Post('reassign')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Give a task to someone, or back to the role pool.' })
  @badRequest(
    '`assigneeId` one who may take the task in its role, or in `role` when given (GET …/assignees); ' +
      'nothing is sent to the workflow.',
  )
  @ApiOkResponse({ type: CommandResultDto })
  async reassign(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: ReassignTaskDto,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.reassign(p, await this.resources.taskOf(req), body, k, req);
  }

  @Post('claim')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Take a task from my role pool.' })
  @ApiOkResponse({ type: CommandResultDto })
  async claim(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.claim(p, await this.resources.taskOf(req), k, req);
  }

  @Post('unclaim')
  @HttpCode(200)
  @IdempotencyKey()
  @ApiOperation({ summary: 'Give a task I took back to the role pool.' })
  @ApiOkResponse({ type: CommandResultDto })
  async unclaim(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Req() req: AuthenticatedRequest,
    @key() k: string,
  ) {
    return this.commands.unclaim(p, await this.resources.taskOf(req), k, req);
  }
}
