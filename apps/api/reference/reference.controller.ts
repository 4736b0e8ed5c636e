import { Body, Controller, Get, Post, Put, Req } from '@nestjs/common';
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
import {
  ClosureDaysBodyDto,
  ClosureDaysDto,
  MunicipalityDto,
  NetworkBodyDto,
  NetworkDto,
  ServiceBodyDto,
  ServiceDto,
} from './reference.dto.js';
import { ReferenceService } from './reference.service.js';
import { UuidParam } from '../common/params.js';

const INVALID = 'Invalid field (problem+json with `errors`: field and reason).';
const CONFLICT = 'Name already in use, or a municipality already in another service.';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('api/reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('municipalities')
  @ApiOperation({ summary: 'The municipalities, by municipality number, with the service each belongs to.' })
  @ApiOkResponse({ type: [MunicipalityDto] })
  municipalities(): Promise<MunicipalityDto[]> {
    return this.reference.municipalities();
  }

  @Get('services')
  @ApiOperation({ summary: 'The child-welfare services: host and member municipalities, learning network.' })
  @ApiOkResponse({ type: [ServiceDto] })
  services(): Promise<ServiceDto[]> {
    return this.reference.services();
  }

  @Get('networks')
  @ApiOperation({ summary: 'The learning networks and their services.' })
  @ApiOkResponse({ type: [NetworkDto] })
  networks(): Promise<NetworkDto[]> {
    return this.reference.networks();
  }

  @Post('networks')
  @ApiOperation({ summary: 'Create a learning network (administrators; audited).' })
  @ApiCreatedResponse({ type: NetworkDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiConflictResponse({ description: CONFLICT })
  createNetwork(
    @CurrentPrincipal() p: Scoped,
    @Body() body: NetworkBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<NetworkDto> {
    return this.reference.createNetwork(p, body, requestId(req));
  }

  @Put('networks/:networkId')
  @ApiOperation({ summary: 'Rename a learning network (administrators; audited).' })
  @ApiOkResponse({ type: NetworkDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiNotFoundResponse({ description: 'No such learning network.' })
  @ApiConflictResponse({ description: CONFLICT })
  updateNetwork(
    @CurrentPrincipal() p: Scoped,
    @UuidParam('networkId') networkId: string,
    @Body() body: NetworkBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<NetworkDto> {
    return this.reference.updateNetwork(p, networkId, body, requestId(req));
  }

  @Post('services')
  @ApiOperation({ summary: 'Create a child-welfare service (administrators; audited).' })
  @ApiCreatedResponse({ type: ServiceDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiConflictResponse({ description: CONFLICT })
  createService(
    @CurrentPrincipal() p: Scoped,
    @Body() body: ServiceBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ServiceDto> {
    return this.reference.createService(p, body, requestId(req));
  }

  @Put('services/:serviceId')
  @ApiOperation({
    summary:
      'Replace a service: name, host, member municipalities, learning network (administrators; audited).',
  })
  @ApiOkResponse({ type: ServiceDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiNotFoundResponse({ description: 'No such service.' })
  @ApiConflictResponse({ description: CONFLICT })
  updateService(
    @CurrentPrincipal() p: Scoped,
    @UuidParam('serviceId') serviceId: string,
    @Body() body: ServiceBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ServiceDto> {
    return this.reference.updateService(p, serviceId, body, requestId(req));
  }

  @Get('services/:serviceId/closure-days')
  @ApiOperation({
    summary:
      "A service's own closure days: the planner plans its placements' new plans and re-plans around them.",
  })
  @ApiOkResponse({ type: ClosureDaysDto })
  @ApiNotFoundResponse({ description: 'No such service.' })
  closureDays(@UuidParam('serviceId') serviceId: string): Promise<ClosureDaysDto> {
    return this.reference.closureDays(serviceId);
  }

  @Put('services/:serviceId/closure-days')
  @ApiOperation({
    summary:
      "Replace a service's closure days (administrators; audited). Plans already made keep their dates; " +
      'new plans and re-plans of its placements use the new days.',
  })
  @ApiOkResponse({ type: ClosureDaysDto })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiNotFoundResponse({ description: 'No such service.' })
  setClosureDays(
    @CurrentPrincipal() p: Scoped,
    @UuidParam('serviceId') serviceId: string,
    @Body() body: ClosureDaysBodyDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<ClosureDaysDto> {
    return this.reference.setClosureDays(p, serviceId, body, requestId(req));
  }
}
