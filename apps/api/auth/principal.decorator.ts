import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Scoped } from '../../../libs/security/index.js';

export type AuthenticatedRequest = Request & {
  principal?: Scoped;
  /** The route's key in the policy table (`METHOD /path`), set by AuthGuard. */
  routeKey?: string;
};

/** The verified principal of the request (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Scoped => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('no principal: route is public or AuthGuard did not run');
  return principal;
});

/** The request id pino-http assigned (also the problem's `instance`). */
export const requestId = (req: { id?: unknown }): string | undefined =>
  typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : undefined;
