import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ROLES, TRACKS } from '../../../libs/domain/vocabulary.js';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export class MeDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ format: 'uuid' }) organisation!: string;
  @ApiPropertyOptional({ format: 'uuid' }) network?: string;
  @ApiPropertyOptional({ description: "Display name (the token's `name` claim), when it has one." })
  name?: string;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('api')
export class MeController {
  @Get('me')
  @ApiOperation({ summary: 'Who I am, as the API sees me.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() p: Scoped): MeDto {
    return {
      userId: p.userId,
      roles: [...p.roles],
      organisation: p.organisation,
      ...(p.network ? { network: p.network } : {}),
      ...(p.name ? { name: p.name } : {}),
    };
  }

  @Get('reference/roles')
  @ApiOperation({ summary: 'The roles.' })
  @ApiOkResponse({ type: [String] })
  roles(): string[] {
    return [...ROLES];
  }

  @Get('reference/tracks')
  @ApiOperation({ summary: 'The tracks of a care package.' })
  @ApiOkResponse({ type: [String] })
  tracks(): string[] {
    return [...TRACKS];
  }
}
