import { Body, Controller, Get, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { UuidParam } from '../common/params.js';
import { NewPersonDto, PeopleQueryDto, PersonBodyDto, PersonDto } from './people.dto.js';
import { PeopleDirectoryService } from './people.service.js';

const INVALID = 'Invalid field (problem+json with `errors`: field and reason).';

@ApiTags('people')
@ApiBearerAuth()
@Controller('api/people')
export class PeopleController {
  constructor(private readonly people: PeopleDirectoryService) {}

  @Get()
  @ApiOperation({
    summary:
      'Everyone the system knows (administrators): people added by hand or provisioned with SCIM, and those ' +
      'known from their logins, by name, with whether they have logged in and can be given tasks.',
  })
  @ApiOkResponse({ type: [PersonDto] })
  list(@Query() query: PeopleQueryDto): Promise<PersonDto[]> {
    return this.people.list(query.serviceId);
  }

  @Post()
  @ApiOperation({
    summary:
      'Add a person by hand (administrators; audited): they can be given tasks of their roles at once, and ' +
      'their first login (matched by e-mail or user name within the service) is theirs.',
  })
  @ApiCreatedResponse({ type: PersonDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiConflictResponse({ description: 'The user name is in use in that service.' })
  create(
    @CurrentPrincipal() p: Scoped,
    @Body() body: NewPersonDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<PersonDto> {
    return this.people.create(p, body, requestId(req));
  }

  @Put(':personId')
  @ApiOperation({
    summary:
      'Replace a person’s name, user name, e-mail, roles and whether they are active (administrators; ' +
      'audited). A person provisioned with SCIM is changed at the identity provider: 409.',
  })
  @ApiOkResponse({ type: PersonDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiNotFoundResponse({ description: 'No such person.' })
  @ApiConflictResponse({ description: 'The user name is in use, or the person is provisioned with SCIM.' })
  replace(
    @CurrentPrincipal() p: Scoped,
    @UuidParam('personId') personId: string,
    @Body() body: PersonBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<PersonDto> {
    return this.people.replace(p, personId, body, requestId(req));
  }
}
