import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SystemProbeDto } from './system.dto.js';
import { SystemService } from './system.service.js';
import { UuidParam } from '../common/params.js';

@ApiTags('system')
@ApiBearerAuth() // admin only: see ROUTE_POLICIES in libs/security/policy.ts
@Controller('api/system/probes')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Post()
  @ApiOperation({ summary: 'Run a self-test: a workflow on the worker records an event in PostgreSQL.' })
  @ApiCreatedResponse({ type: SystemProbeDto })
  run(): Promise<SystemProbeDto> {
    return this.system.runProbe();
  }

  @Get(':probeId')
  @ApiOperation({ summary: 'Read back what a self-test recorded.' })
  @ApiOkResponse({ type: SystemProbeDto })
  get(@UuidParam('probeId', '4') probeId: string): Promise<SystemProbeDto> {
    return this.system.readProbe(probeId);
  }
}
