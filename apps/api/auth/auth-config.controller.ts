import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { loginOptions } from './login-options.js';

export class OidcLoginDto {
  @ApiProperty({ example: 'https://login.example/realms/omsorg', description: 'The issuer (`iss`).' })
  issuer!: string;

  @ApiProperty({ example: 'omsorgspakken-web', description: 'The web app’s (public) client id.' })
  clientId!: string;

  @ApiProperty({ example: 'openid' })
  scope!: string;
}

export class AuthConfigDto {
  @ApiProperty({ description: 'Whether the local issuer (demo users) is on: never in production.' })
  localIssuer!: boolean;

  @ApiPropertyOptional({
    type: OidcLoginDto,
    nullable: true,
    description:
      'OIDC authorization code + PKCE login, when configured (WEB_OIDC_ISSUER, WEB_OIDC_CLIENT_ID).',
  })
  oidc!: OidcLoginDto | null;
}

/** What the web app needs to know before anyone has logged in: how to log in. No secrets. */
@ApiTags('auth')
@Controller('api/auth')
export class AuthConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('config')
  @ApiOperation({ summary: 'How the web app logs in: the local issuer (development) and/or OIDC.' })
  @ApiOkResponse({ type: AuthConfigDto })
  get(): AuthConfigDto {
    return loginOptions(this.config);
  }
}
