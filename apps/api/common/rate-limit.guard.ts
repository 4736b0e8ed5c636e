import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { FixedWindowCounter } from './fixed-window.js';
import { ProblemException } from './problem.js';

/**
 * Fixed-window rate limit per user (per address before authentication): API_RATE_LIMIT requests a
 * minute, then 429 with Retry-After. In memory, so per instance. (@nestjs/throttler is CommonJS and
 * cannot be loaded under Jest's ESM runtime next to the ESM-only Nest 12, so this is hand-written.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly requests = new FixedWindowCounter();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = request.principal
      ? `user:${request.principal.issuer}:${request.principal.userId}`
      : `ip:${request.ip}`;
    const { count, retryAfterSeconds } = this.requests.hit(key);
    if (count > this.config.API_RATE_LIMIT)
      throw tooManyRequests(http.getResponse<Response>(), retryAfterSeconds);
    return true;
  }
}

/** 429 with Retry-After. */
export function tooManyRequests(response: Response, retryAfterSeconds: number): ProblemException {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  return new ProblemException(429, `For mange forespørsler. Prøv igjen om ${retryAfterSeconds} sekunder.`);
}
