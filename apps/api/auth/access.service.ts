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
    await this.log.record(
      [
        {
          principal,
          childRef: resource?.childRef ?? null,
          placementId: ctx.placementId,
          action: ctx.route,
          outcome: decision === 'allow' ? 'allowed' : decision,
          requestId: ctx.requestId,
        },
      ],
      manager,
    );
    if (decision === 'hidden') throw new ProblemException(404, NOT_FOUND_DETAIL);
    if (decision === 'forbidden') throw new ProblemException(403, 'Du har ikke tilgang til å gjøre dette.');
  }
}
