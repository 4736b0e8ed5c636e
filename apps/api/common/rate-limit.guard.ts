import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { RequestAllowance } from './fixed-window.js';
import type { ReplyLike } from './http.js';
import { ProblemException } from './problem.js';

/**
 * Fixed-window rate limit per user (per address before authentication): API_RATE_LIMIT requests a
 * minute, then 429 with Retry-After. Counted in PostgreSQL in leases (RequestAllowance), so the limit
 * holds across all API processes without a database write per request.
 * (@nestjs/throttler is CommonJS and cannot be loaded under Jest's ESM runtime next to the ESM-only
 * Nest 12, and its storage is per process unless backed by Redis, which this system does not run.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly requests: RequestAllowance,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = request.principal
      ? `requests:user:${request.principal.issuer}:${request.principal.userId}`
      : `requests:ip:${request.ip}`;
    const { allowed, retryAfterSeconds } = await this.requests.admit(key, this.config.API_RATE_LIMIT);
    if (!allowed) throw tooManyRequests(http.getResponse<ReplyLike>(), retryAfterSeconds);
    return true;
  }
}

/** 429 with Retry-After. */
export function tooManyRequests(response: ReplyLike, retryAfterSeconds: number): ProblemException {
  response.header('Retry-After', String(retryAfterSeconds));
  return new ProblemException(429, `For mange forespørsler. Prøv igjen om ${retryAfterSeconds} sekunder.`);
}
