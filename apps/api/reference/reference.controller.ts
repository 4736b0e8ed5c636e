import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
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
import { ProblemException } from '../common/problem.js';
import { OptionalField } from '../common/fields.js';
import { REGION_CODE, RegionDto, RegionFileDto, RegionLoadDto } from './region.dto.js';
import { RegionsService } from './regions.service.js';

export class RegionQueryDto {
  @OptionalField()
  @IsString({ message: 'må være tekst' })
  @Matches(new RegExp(REGION_CODE), { message: 'må være en regionkode (for eksempel finnmark)' })
  region?: string;
}

const REGION_QUERY = {
  name: 'region',
  required: false,
  schema: { type: 'string' as const, pattern: REGION_CODE },
  description:
    "A region's code (administrators). Everyone else sees their own region's only (their service's, " +
    "else their learning network's), whatever they ask for.",
};

const INVALID = 'Invalid field (problem+json with `errors`: field and reason).';
const CONFLICT = 'Name already in use, or a municipality already in another service.';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('api/reference')
export class ReferenceController {
  constructor(
    private readonly reference: ReferenceService,
    private readonly regions: RegionsService,
  ) {}

  /**
   * Whose reference data the caller sees: an administrator every region's, or the one asked for; anyone
   * else their own region's (none known, e.g. Bufetat's region office: every region's).
   */
  private async regionFor(p: Scoped, asked: string | undefined): Promise<string | undefined> {
    if (!p.roles.includes('admin')) return p.region;
    return asked === undefined ? undefined : this.regions.idOf(asked);
  }

  @Get('regions')
  @ApiOperation({
    summary:
      'The regions (administrators: all; anyone else: their own), with the catalog version each chose.',
  })
  @ApiOkResponse({ type: [RegionDto] })
  async regionList(@CurrentPrincipal() p: Scoped): Promise<RegionDto[]> {
    if (p.roles.includes('admin')) return this.regions.list();
    return p.region ? this.regions.list(p.region) : [];
  }

  @Put('regions/:code')
  @ApiOperation({
    summary:
      "Create or update a region's whole reference data from its data file (data/regions/<code>.json): " +
      'region, municipalities, learning networks, services (administrators; each change audited). ' +
      'Idempotent: loading the same file again changes nothing and answers `changed: false`.',
  })
  @ApiParam({ name: 'code', example: 'finnmark', schema: { type: 'string', pattern: REGION_CODE } })
  @ApiOkResponse({ type: RegionLoadDto })
  @ApiBadRequestResponse({
    description:
      `${INVALID} Besides the schema: \`code\` equal to the path's; \`catalogVersion\` a published ` +
      'version; the file consistent: each municipality number, network and service name once, a ' +
      "service's `host` one of its `members`, each member one of the file's municipalities and in one " +
      "service only, a service's `network` one of the file's networks.",
  })
  @ApiConflictResponse({
    description: 'A municipality, network or service of the file belongs to another region or service.',
  })
  putRegion(
    @CurrentPrincipal() p: Scoped,
    @Param('code') code: string,
    @Body() body: RegionFileDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<RegionLoadDto> {
    if (!new RegExp(REGION_CODE).test(code))
      throw new ProblemException(400, 'Ugyldig regionkode.', [
        { field: 'code', reason: 'må være små bokstaver, siffer og bindestrek (2–40 tegn)' },
      ]);
    return this.regions.put(p, code, body, requestId(req));
  }

  @Get('municipalities')
  @ApiOperation({ summary: 'The municipalities, by municipality number, with the service each belongs to.' })
  @ApiQuery(REGION_QUERY)
  @ApiNotFoundResponse({ description: 'No region has that code.' })
  @ApiOkResponse({ type: [MunicipalityDto] })
  async municipalities(
    @CurrentPrincipal() p: Scoped,
    @Query() q: RegionQueryDto,
  ): Promise<MunicipalityDto[]> {
    return this.reference.municipalities(await this.regionFor(p, q.region));
  }

  @Get('services')
  @ApiOperation({ summary: 'The child-welfare services: host and member municipalities, learning network.' })
  @ApiQuery(REGION_QUERY)
  @ApiNotFoundResponse({ description: 'No region has that code.' })
  @ApiOkResponse({ type: [ServiceDto] })
  async services(@CurrentPrincipal() p: Scoped, @Query() q: RegionQueryDto): Promise<ServiceDto[]> {
    return this.reference.services(await this.regionFor(p, q.region));
  }

  @Get('networks')
  @ApiOperation({ summary: 'The learning networks and their services.' })
  @ApiQuery(REGION_QUERY)
  @ApiNotFoundResponse({ description: 'No region has that code.' })
  @ApiOkResponse({ type: [NetworkDto] })
  async networks(@CurrentPrincipal() p: Scoped, @Query() q: RegionQueryDto): Promise<NetworkDto[]> {
    return this.reference.networks(await this.regionFor(p, q.region));
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
