import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { v5 as uuidv5 } from 'uuid';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from './problem.js';

/*
 * Idempotency-Key for writes kept in PostgreSQL (task notes): required, and turned into the id of what the
 * write creates, so that a repeat (a retry after a lost answer, a double click, an API crash after the
 * commit) finds the row it made instead of making another. The id depends on who sends the key and on
 * the route and resource, so that one person's key never reaches another's data.
 */
const NAMESPACE = '0c7d6f3a-2b1e-4c5d-9e8f-7a6b5c4d3e2f';
const KEY = /^[\w-]{8,100}$/;

export function idempotentId(principal: Scoped, key: string | undefined, scope: string): string {
  return uuidv5(`${principal.issuer}|${principal.userId}|${scope}|${checkedKey(key)}`, NAMESPACE);
}

/** The Idempotency-Key header: present and well-formed, else 400 naming it. */
export function checkedKey(key: string | undefined): string {
  if (key === undefined)
    throw new ProblemException(400, 'Idempotency-Key mangler.', [
      { field: 'Idempotency-Key', reason: 'mangler' },
    ]);
  if (!KEY.test(key))
    throw new ProblemException(400, 'Ugyldig Idempotency-Key.', [
      { field: 'Idempotency-Key', reason: 'må ha 8–100 tegn: bokstaver a–z, sifre, - eller _' },
    ]);
  return key;
}

/**
 * The request's Idempotency-Key, required: checked before the handler runs, so that a request without
 * one is refused (400) before anything is looked up or decided.
 */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const key = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  return checkedKey(Array.isArray(key) ? key.join(', ') : key);
});

/** The key was used before for a request with other content (IETF draft idempotency-key-header: 422). */
export const keyReused = (what: string) =>
  new ProblemException(422, 'Idempotency-Key er brukt før for en annen forespørsel.', [
    { field: 'Idempotency-Key', reason: `er brukt for ${what}` },
  ]);
