import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import {
  AuthenticationError,
  ROUTE_POLICIES,
  routeKey,
  TokenVerifier,
  type Principal,
  type Scoped,
} from '../../../libs/security/index.js';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { SharedWindowCounter } from '../common/fixed-window.js';
import { type ReplyLike, requestPath, routePattern } from '../common/http.js';
import { ProblemException } from '../common/problem.js';
import { tooManyRequests } from '../common/rate-limit.guard.js';
import { AccessLogService } from './access-log.service.js';
import { NetworkDirectory } from './network-directory.service.js';
import { PeopleService } from './people.service.js';
import { requestId, type AuthenticatedRequest } from './principal.decorator.js';

/** `Bearer <JWT>`; the scheme is case-insensitive (RFC 7235 §2.1, RFC 6750 §2.1). */
const BEARER = /^bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Global guard: finds the route's policy (none: refused, default deny), verifies the bearer token
 * (401 otherwise), checks the route's role gate (403, logged) and records the route's key on the request.
 * The policy's resource action is checked by ResourceAccess.placementOf/taskOf from the same policy, once
 * the request's input is valid (guards run before Nest's validation pipes, and a request refused as bad
 * input must change nothing, its access log included). A route declares both once, in
 * libs/security/policy.ts; no service repeats a route or an action.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accessLog: AccessLogService,
    private readonly networks: NetworkDirectory,
    private readonly people: PeopleService,
    private readonly refusals: SharedWindowCounter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = routeKey(request.method, routePattern(request) ?? requestPath(request));
    const policy = ROUTE_POLICIES[key];
    if (!policy) {
      this.logger.error({ route: key }, 'route without an access policy: refused');
      throw new ProblemException(403, 'Du har ikke tilgang til å gjøre dette.');
    }
    if (policy.public) return true;

    const principal = await this.authenticate(request, http.getResponse<ReplyLike>(), key);
    const region = await this.networks.regionOf(principal.organisation, principal.network);
    const scoped: Scoped = {
      ...principal,
      networkServices: principal.network ? await this.networks.servicesOf(principal.network) : [],
      ...(region ? { region } : {}),
      ...(principal.roles.includes('bufetat')
        ? { bufetatServices: await this.networks.bufetatServicesOf(principal.organisation) }
        : {}),
    };
    request.principal = scoped;
    if (!policy.roles.some((role) => principal.roles.includes(role))) {
      await this.accessLog.record([
        {
          principal,
          action: key,
          outcome: 'forbidden',
          placementId: uuidParam(request.params?.placementId),
          requestId: requestId(request),
        },
      ]);
      throw new ProblemException(403, 'Du har ikke tilgang til å gjøre dette.');
    }
    request.routeKey = key;
    return true;
  }

  private async authenticate(
    request: AuthenticatedRequest,
    response: ReplyLike,
    key: string,
  ): Promise<Principal> {
    const match = BEARER.exec(request.headers.authorization ?? '');
    try {
      if (!match?.[1]) throw new AuthenticationError('no bearer token');
      const verified = await this.verifier.verify(match[1]);
      // A person the directory has deactivated is refused whatever their token says, issued before the
      // deactivation or after; checked before anything is recorded about the request.
      const before = await this.people.status(verified.issuer, verified.userId);
      if (before === 'inactive') throw new AuthenticationError('person deactivated');
      // Who can be notified (libs/notifications), and a first login matched to the person the directory
      // holds for it: cheap, remembered per process, never fails the request.
      const principal = await this.people.seen(verified);
      // A first login may just have been matched to a person of the directory who is deactivated.
      if (before === 'unknown' && (await this.people.status(verified.issuer, verified.userId)) === 'inactive')
        throw new AuthenticationError('person deactivated');
      return principal;
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      const { count, retryAfterSeconds } = await this.refusals.hit(`refused-logins:ip:${request.ip}`);
      const limit = this.config.API_LOGIN_FAILURE_LIMIT;
      if (count <= limit + 1) {
        this.logger.warn({ reason: error.reason, requestId: request.id }, 'token refused');
        // A failed login is an access attempt too: logged with its reason code, never with the token.
        // Past the limit one row stands for the rest of the address's minute.
        await this.accessLog.record([
          {
            action: key,
            outcome: 'unauthenticated',
            placementId: uuidParam(request.params?.placementId),
            requestId: requestId(request),
            detail:
              count > limit
                ? 'too many refused logins'
                : /^[A-Za-z0-9_ -]{1,80}$/.test(error.reason)
                  ? error.reason
                  : 'token refused',
          },
        ]);
      }
      if (count > limit) throw tooManyRequests(response, retryAfterSeconds);
      response.header('WWW-Authenticate', 'Bearer realm="omsorgspakken", error="invalid_token"');
      throw new ProblemException(401, 'Logg inn på nytt: mangler eller ugyldig tilgangsnøkkel.');
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidParam = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : null);
