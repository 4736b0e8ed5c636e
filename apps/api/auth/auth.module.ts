import { Global, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { DEMO_USERS, LocalIssuer, remoteIssuer, TokenVerifier } from '../../../libs/security/index.js';
import { SharedWindowCounter } from '../common/fixed-window.js';
import { AccessLogService } from './access-log.service.js';
import { AccessService } from './access.service.js';
import { AuthGuard } from './auth.guard.js';
import { LOCAL_ISSUER } from './auth.tokens.js';
import { AuthConfigController } from './auth-config.controller.js';
import { DevTokensController } from './dev-tokens.controller.js';
import { localIssuerEnabled } from './login-options.js';
import { NetworkDirectory } from './network-directory.service.js';
import { PeopleNames } from './people-names.service.js';
import { PeopleService } from './people.service.js';
import { ResourceAccess } from './resource-access.js';

/** Authentication (allow-listed issuers + the local issuer) and the access log. */
@Global()
@Module({
  controllers: [DevTokensController, AuthConfigController],
  providers: [
    {
      provide: LOCAL_ISSUER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        localIssuerEnabled(config) ? LocalIssuer.create(config.AUTH_AUDIENCE, config.LOCAL_ISSUER_KEY) : null,
    },
    {
      provide: TokenVerifier,
      inject: [APP_CONFIG, LOCAL_ISSUER],
      useFactory: (config: AppConfig, local: LocalIssuer | null) =>
        new TokenVerifier(
          [
            ...config.AUTH_ISSUERS.map((i) => remoteIssuer(i.issuer, i.jwksUri, i.organisation, i.acr)),
            ...(local?.trusts() ?? []),
          ],
          config.AUTH_AUDIENCE,
        ),
    },
    AccessLogService,
    AccessService,
    AuthGuard,
    NetworkDirectory,
    PeopleNames,
    PeopleService,
    ResourceAccess,
    SharedWindowCounter,
  ],
  exports: [
    LOCAL_ISSUER,
    TokenVerifier,
    AccessLogService,
    AccessService,
    AuthGuard,
    NetworkDirectory,
    PeopleNames,
    PeopleService,
    ResourceAccess,
    SharedWindowCounter,
  ],
})
export class AuthModule implements OnModuleInit {
  private readonly logger = new Logger('Auth');

  constructor(@Inject(LOCAL_ISSUER) private readonly local: LocalIssuer | null) {}

  onModuleInit(): void {
    if (!this.local) return;
    // The demo services and their learning network are reference data: see apps/api/reference.
    this.logger.log(
      { demoUsers: DEMO_USERS.map((u) => `${u.userId} (${u.roles.join(', ')})`) },
      'local issuer on: POST /api/dev/tokens {"userId": "<demo user>"} returns a signed bearer token',
    );
  }
}
