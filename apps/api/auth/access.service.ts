import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { can, type Action, type Resource, type Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import { AccessLogService } from './access-log.service.js';

export interface AccessContext {
  readonly route: string;
  readonly placementId: string;
  readonly requestId?: string;
}

export const NOT_FOUND_DETAIL = 'Fant ikke det du spurte etter.';

/**
 * Checks the access function on a loaded resource and logs the outcome. A missing resource and a hidden
 * one answer the same 404.
 */
@Injectable()
export class AccessService {
  constructor(private readonly log: AccessLogService) {}

  async authorize(
    principal: Scoped,
    action: Action,
    resource: (Resource & { childRef: string }) | undefined,
    ctx: AccessContext,
    manager?: EntityManager,
  ): Promise<void> {
    const decision = resource ? can(principal, action, resource) : 'hidden';
    const entry = {
      principal,
      childRef: resource?.childRef ?? null,
      placementId: ctx.placementId,
      action: ctx.route,
      outcome: decision === 'allow' ? ('allowed' as const) : decision,
      requestId: ctx.requestId,
    };
    // An allowed access is logged in the caller's transaction (a write and its log row commit together);
    // a denial is logged on its own, so the caller's rollback cannot lose it.
    await this.log.record([entry], decision === 'allow' ? manager : undefined);
    if (decision === 'hidden') throw new ProblemException(404, NOT_FOUND_DETAIL);
    if (decision === 'forbidden') throw new ProblemException(403, 'Du har ikke tilgang til å gjøre dette.');
  }
}
