import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MaxLength } from '../common/text-length.js';
import { DEMO_USERS, LocalIssuer, localIssuerId } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import { LOCAL_ISSUER } from './auth.tokens.js';
import { PeopleService } from './people.service.js';

export class DevTokenRequestDto {
  @ApiProperty({ enum: DEMO_USERS.map((u) => u.userId), example: 'demo-kontaktperson' })
  @IsString()
  @MaxLength(100)
  userId!: string;
}

export class DevTokenDto {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: string;

  @ApiProperty()
  expiresIn!: number;
}

export class DemoUserDto {
  @ApiProperty()
  userId!: string;

  @ApiProperty({ type: [String] })
  roles!: string[];

  @ApiProperty({ format: 'uuid' })
  organisation!: string;

  @ApiProperty({ description: 'A fictional name (the `name` claim of its tokens).' })
  name!: string;
}

/**
 * The local issuer's public side: its JWKS, and (development and test only) signed tokens for the demo
 * users. With the local issuer off (production) these answer 404.
 */
@ApiTags('auth')
@Controller()
export class DevTokensController {
  constructor(
    @Inject(LOCAL_ISSUER) private readonly issuer: LocalIssuer | null,
    private readonly people: PeopleService,
  ) {}

  private local(): LocalIssuer {
    if (!this.issuer) throw new ProblemException(404, 'Ikke funnet.');
    return this.issuer;
  }

  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'Public keys of the built-in local issuer.' })
  jwks() {
    return this.local().jwks;
  }

  @Get('api/dev/users')
  @ApiOperation({ summary: 'Demo users of the local issuer (development/test only).' })
  @ApiOkResponse({ type: [DemoUserDto] })
  users(): DemoUserDto[] {
    this.local();
    return DEMO_USERS.map((u) => ({
      userId: u.userId,
      roles: [...u.roles],
      organisation: u.organisation,
      name: u.name,
    }));
  }

  @Post('api/dev/tokens')
  @HttpCode(200)
  @ApiOperation({ summary: 'A signed token for a demo user (development/test only).' })
  @ApiOkResponse({ type: DevTokenDto })
  async token(@Body() body: DevTokenRequestDto): Promise<DevTokenDto> {
    const issuer = this.local();
    const user = issuer.demoUser(body.userId);
    if (!user)
      throw new ProblemException(400, 'Ukjent demobruker.', [
        { field: 'userId', reason: 'ingen demobruker har denne id-en' },
      ]);
    // A demo user deactivated in the directory (e.g. by SCIM) may not log in, as anyone else.
    if ((await this.people.status(localIssuerId(user.organisation), user.userId)) === 'inactive')
      throw new ProblemException(400, 'Brukeren er deaktivert.', [
        { field: 'userId', reason: 'brukeren er deaktivert og kan ikke logge inn' },
      ]);
    return { accessToken: await issuer.mint(user), tokenType: 'Bearer', expiresIn: 3600 };
  }
}
