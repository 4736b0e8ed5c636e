import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { IdempotencyKeyHeader } from '../common/idempotency.js';
import { UuidParam } from '../common/params.js';
import { KompetansebaseAdherenceDto, KompetansebaseAdherenceQueryDto } from './adherence.dto.js';
import { KompetansebaseAdherence } from './adherence.service.js';
import { CommandRoute } from '../commands/command-route.js';
import { AssignmentCommandPendingDto, CommandStatusDto } from '../commands/commands.dto.js';
import {
  AssignmentCommandResultDto,
  AssignmentDetailDto,
  AssignmentSummaryDto,
  CompleteStepDto,
  DeclineDto,
  OrderDto,
  OrderedDto,
  QueueDto,
  WaitDto,
} from './kompetansebase.dto.js';
import { KompetansebaseService } from './kompetansebase.service.js';

/** A command: its Idempotency-Key, and its 202 (outcome not known yet) naming the assignment. */
const Key = () => CommandRoute(AssignmentCommandPendingDto);
const assignmentId = () => UuidParam('assignmentId');

@ApiTags('kompetansebase')
@ApiBearerAuth()
@Controller('api/kompetansebase')
export class KompetansebaseController {
  constructor(
    private readonly service: KompetansebaseService,
    private readonly adherence: KompetansebaseAdherence,
  ) {}

  @Post('orders')
  @HttpCode(201)
  @Key()
  @ApiOperation({
    summary:
      "A service's caseworker or leader orders a measure from the kompetansebase of the service's learning " +
      'network. The case number, goal and plan reference are stored encrypted, apart from the workflow.',
  })
  @ApiCreatedResponse({ type: OrderedDto })
  @ApiConflictResponse({ description: "The service's learning network has no kompetansebase." })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was used before with another order.' })
  order(
    @CurrentPrincipal() p: Scoped,
    @Body() body: OrderDto,
    @Req() req: AuthenticatedRequest,
    @IdempotencyKeyHeader() key: string,
  ): Promise<OrderedDto> {
    return this.service.order(p, body, key, req);
  }

  @Get('queue')
  @ApiOperation({
    summary: "The base's queue (orders not yet accepted or declined, with waiting time) and its capacity.",
  })
  @ApiOkResponse({ type: QueueDto })
  queue(@CurrentPrincipal() p: Scoped, @Req() req: AuthenticatedRequest): Promise<QueueDto> {
    return this.service.queue(p, req);
  }

  @Get('adherence')
  @ApiOperation({
    summary:
      "The base's adherence for the orders of a period: accepted, declined (capacity, other), waiting, days " +
      'from order to start talk, call-backs, evaluations on the agreed date and reports on time; in total and ' +
      "by request type or service. The base's leader: exact; the network's lead: one whole quarter, cells " +
      'of fewer than 5 orders suppressed.',
  })
  @ApiOkResponse({ type: KompetansebaseAdherenceDto })
  adherenceReport(
    @CurrentPrincipal() p: Scoped,
    @Query() query: KompetansebaseAdherenceQueryDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<KompetansebaseAdherenceDto> {
    return this.adherence.report(p, query, req);
  }

  @Get('assignments')
  @ApiOperation({
    summary: "The base's assignments (its staff), or the own service's orders (caseworkers, leaders).",
  })
  @ApiOkResponse({ type: [AssignmentSummaryDto] })
  list(@CurrentPrincipal() p: Scoped, @Req() req: AuthenticatedRequest): Promise<AssignmentSummaryDto[]> {
    return this.service.list(p, req);
  }

  @Get('assignments/:assignmentId')
  @ApiOperation({ summary: 'One assignment with its steps and the order texts (the read is logged).' })
  @ApiOkResponse({ type: AssignmentDetailDto })
  detail(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<AssignmentDetailDto> {
    return this.service.detail(p, id, req);
  }

  @Get('assignments/:assignmentId/commands/:commandId')
  @ApiOperation({
    summary:
      'What became of a command on an assignment that a 202 answered (the order too): applied (at which ' +
      'version), rejected (why), or still pending. For those who may see the assignment. 404: not known ' +
      '(never received, or not yet): send it again with the same Idempotency-Key.',
  })
  @ApiOkResponse({ type: CommandStatusDto })
  commandStatus(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @UuidParam('commandId') commandId: string,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandStatusDto> {
    return this.service.commandStatus(p, id, commandId, req);
  }

  @Post('assignments/:assignmentId/accept')
  @HttpCode(200)
  @Key()
  @ApiOperation({ summary: "The base's leader accepts a queued order: the start talk is planned." })
  @ApiOkResponse({ type: AssignmentCommandResultDto })
  @ApiConflictResponse({ description: 'The order is no longer in the queue (already decided).' })
  accept(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @Req() req: AuthenticatedRequest,
    @IdempotencyKeyHeader() key: string,
  ): Promise<AssignmentCommandResultDto> {
    return this.service.accept(p, id, key, req);
  }

  @Post('assignments/:assignmentId/decline')
  @HttpCode(200)
  @Key()
  @ApiOperation({ summary: "The base's leader declines a queued order, with a coded reason." })
  @ApiOkResponse({ type: AssignmentCommandResultDto })
  @ApiConflictResponse({ description: 'The order is no longer in the queue (already decided).' })
  decline(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @Body() body: DeclineDto,
    @Req() req: AuthenticatedRequest,
    @IdempotencyKeyHeader() key: string,
  ): Promise<AssignmentCommandResultDto> {
    return this.service.decline(p, id, body.reason, key, req);
  }

  @Post('assignments/:assignmentId/wait')
  @HttpCode(200)
  @Key()
  @ApiOperation({ summary: "The base's leader lets a queued order wait, with a coded reason." })
  @ApiOkResponse({ type: AssignmentCommandResultDto })
  @ApiConflictResponse({ description: 'The order is no longer in the queue (already decided).' })
  wait(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @Body() body: WaitDto,
    @Req() req: AuthenticatedRequest,
    @IdempotencyKeyHeader() key: string,
  ): Promise<AssignmentCommandResultDto> {
    return this.service.wait(p, id, body.reason, key, req);
  }

  @Post('assignments/:assignmentId/tasks/:taskId/complete')
  @HttpCode(200)
  @Key()
  @ApiOperation({
    summary:
      'A counsellor completes an open step: the start talk with the agreed evaluation date, a session ' +
      '(a group session with attendance per family), the evaluation, the report, the closing.',
  })
  @ApiOkResponse({ type: AssignmentCommandResultDto })
  @ApiBadRequestResponse({
    description:
      'Bad input: `errors` names each field and why. Besides the schema, by the step and the order: ' +
      '`completedOn` not in the future and not before the order; `evaluationOn` for the start talk ' +
      '(`oppstartssamtale`) only, and there required and after `completedOn`; `attendance` for a group ' +
      "session only, and there required, naming each of the group's families (`familyRefs`) and no other " +
      'key; `familyGroupConference` at the closing (`avslutning`) only.',
  })
  @ApiConflictResponse({ description: 'The step is no longer open (already completed or cancelled).' })
  complete(
    @CurrentPrincipal() p: Scoped,
    @assignmentId() id: string,
    @Param('taskId') taskId: string,
    @Body() body: CompleteStepDto,
    @Req() req: AuthenticatedRequest,
    @IdempotencyKeyHeader() key: string,
  ): Promise<AssignmentCommandResultDto> {
    return this.service.complete(p, id, taskId, body, key, req);
  }
}
