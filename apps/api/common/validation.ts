import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { parameterProblems, safeName, textProblem } from './input-text.js';
import { type FieldError, ProblemException } from './problem.js';

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const name = safeName(error.property);
    const field = prefix ? `${prefix}.${name}` : name;
    // Unknown fields: a fixed reason (class-validator's message repeats the raw key).
    const own = Object.entries(error.constraints ?? {}).map(([constraint, reason]) => ({
      field,
      reason: constraint === 'whitelistValidation' ? 'ukjent felt' : reason,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Names that class-transformer skips to avoid prototype pollution: without this check a request naming
 * them would pass as if the field were not there, instead of being refused as an unknown field.
 */
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function prototypeNames(value: unknown, prefix = ''): FieldError[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const field = prefix ? `${prefix}.${safeName(key)}` : safeName(key);
    const here = PROTOTYPE_NAMES.has(key) ? [{ field, reason: 'ukjent felt' }] : [];
    return [...here, ...prototypeNames((value as Record<string, unknown>)[key], field)];
  });
}

/** Control characters in a path parameter or in the query (names and values): see input-text.ts. */
function parameterText(value: unknown, metadata: ArgumentMetadata): FieldError[] {
  if (metadata.type === 'param') return parameterProblems(value, safeName(metadata.data ?? ''));
  if (metadata.type !== 'query') return [];
  if (metadata.data !== undefined) return parameterProblems(value, safeName(metadata.data));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const keyReason = textProblem(key, false);
    return keyReason ? [{ field: safeName(key), reason: keyReason }] : parameterProblems(v, safeName(key));
  });
}

/** DTO validation: unknown fields are rejected; every failure names its field. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const text = parameterText(value, metadata);
    if (text.length > 0) throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', text);
    const refused = metadata.type === 'body' || metadata.type === 'query' ? prototypeNames(value) : [];
    if (refused.length === 0) return super.transform(value, metadata) as Promise<unknown>;
    // Refused either way; the other fields' problems are named too, as for any invalid request.
    const others = await (super.transform(value, metadata) as Promise<unknown>).then(
      () => [],
      (error: unknown) => (error instanceof ProblemException ? (error.errors ?? []) : []),
    );
    throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [...refused, ...others]);
  }
}

export const validationPipe = new StrictValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) =>
    new ProblemException(400, 'Ett eller flere felt er ugyldige.', flatten(errors)),
});
