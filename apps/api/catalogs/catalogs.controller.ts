import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Catalog } from '../../../libs/domain/catalog/types.js';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import {
  CatalogBodyDto,
  CatalogDto,
  CatalogImpactDto,
  CatalogSummaryDto,
  PublishedCatalogDto,
} from './catalogs.dto.js';
import { CatalogsService } from './catalogs.service.js';

@ApiTags('catalogs')
@ApiBearerAuth()
@Controller('api/catalogs')
export class CatalogsController {
  constructor(private readonly catalogs: CatalogsService) {}

  @Get()
  @ApiOperation({ summary: 'Catalog versions, oldest first.' })
  @ApiOkResponse({ type: [CatalogSummaryDto] })
  list(): Promise<CatalogSummaryDto[]> {
    return this.catalogs.list();
  }

  @Get(':version')
  @ApiOperation({ summary: 'One catalog version with all its steps.' })
  @ApiOkResponse({ type: CatalogDto, description: 'The catalog: each step with its purpose and basis.' })
  get(@Param('version') version: string): Promise<Catalog> {
    return this.catalogs.get(version);
  }

  @Post()
  @ApiOperation({ summary: 'Publish a new catalog version (validated; a published version never changes).' })
  @ApiCreatedResponse({ type: PublishedCatalogDto })
  publish(@CurrentPrincipal() p: Scoped, @Body() body: CatalogBodyDto): Promise<PublishedCatalogDto> {
    return this.catalogs.publish(p, body.catalog);
  }

  @Post('dry-run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What a catalog would change in the open tasks of active placements, counted per step.',
  })
  @ApiOkResponse({ type: CatalogImpactDto })
  dryRun(@Body() body: CatalogBodyDto): Promise<CatalogImpactDto> {
    return this.catalogs.impact(body.catalog);
  }
}
