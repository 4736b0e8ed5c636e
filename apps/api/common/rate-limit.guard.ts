import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ProblemException } from './problem.js';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

/**
 * Fixed-window rate limit per user (per address before authentication): API_RATE_LIMIT requests a
 * minute, then 429 with Retry-After. In memory, so per instance. (@nestjs/throttler is CommonJS and
 * cannot be loaded under Jest's ESM runtime next to the ESM-only Nest 12, so this is hand-written.)
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = request.principal
      ? `user:${request.principal.issuer}:${request.principal.userId}`
      : `ip:${request.ip}`;
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.config.API_RATE_LIMIT) {
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
      throw new ProblemException(429, `For mange forespørsler. Prøv igjen om ${retryAfter} sekunder.`);
    }
    return true;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
