import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import {
  FosterFamilyDto,
  NoteBodyDto,
  PersonalDetailsDto,
  PurgedDto,
  TaskNoteDto,
} from './personal-data.dto.js';
import { PersonalDataService } from './personal-data.service.js';
import { UuidParam } from '../common/params.js';

const placementId = () => UuidParam('placementId');

@ApiTags('placements')
@ApiBearerAuth()
@Controller('api/placements/:placementId/personal-data')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get()
  @ApiOperation({ summary: 'The identifying details of the child, parents and foster family (logged).' })
  @ApiOkResponse({ type: PersonalDetailsDto })
  get(@placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.personalData.get(req);
  }

  @Put()
  @HttpCode(204)
  @ApiOperation({ summary: 'Store (replace) the identifying details, encrypted with the child’s key.' })
  @ApiNoContentResponse()
  put(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Body() body: PersonalDetailsDto,
    @Req() req: AuthenticatedRequest,
  ) {
    return this.personalData.put(p, req, body);
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Crypto-shred the child’s details and notes after the retention period (leader only).',
  })
  @ApiOkResponse({ type: PurgedDto })
  purge(@CurrentPrincipal() p: Scoped, @placementId() _id: string, @Req() req: AuthenticatedRequest) {
    return this.personalData.purge(p, req);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks/:placementId/:taskId/notes')
export class TaskNotesController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get()
  @ApiOperation({ summary: 'The notes on a task, oldest first (logged).' })
  @ApiOkResponse({ type: [TaskNoteDto] })
  list(@placementId() _id: string, @Param('taskId') _taskId: string, @Req() req: AuthenticatedRequest) {
    return this.personalData.notes(req);
  }

  @Post()
  @ApiOperation({
    summary:
      'Add a note to a task (encrypted with the child’s key), once per Idempotency-Key: a repeat answers ' +
      'the note stored first; the same key with another text answers 422.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Required. Repeat the request with the same key: one note.',
  })
  @ApiCreatedResponse({ type: TaskNoteDto })
  add(
    @CurrentPrincipal() p: Scoped,
    @placementId() _id: string,
    @Param('taskId') _taskId: string,
    @Body() body: NoteBodyDto,
    @Req() req: AuthenticatedRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.personalData.addNote(p, req, body.text, key);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/tasks/:placementId/:taskId/foster-family')
export class FosterFamilyController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get()
  @ApiOperation({
    summary:
      'The foster family’s names and contact details, for whoever may see the task (those who work with ' +
      'the family: foster-home resource, supervisor, Bufetat; and the service’s caseworkers and leaders). ' +
      'Read on demand and logged.',
  })
  @ApiOkResponse({ type: FosterFamilyDto })
  get(@placementId() _id: string, @Param('taskId') _taskId: string, @Req() req: AuthenticatedRequest) {
    return this.personalData.fosterFamily(req);
  }
}
