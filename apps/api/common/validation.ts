import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { type FieldError, ProblemException } from './problem.js';

/** A field name (or list index) as a client may have typed it: echoed only when it looks like one. */
const safeName = (property: string) =>
  /^(?:[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,4})$/.test(property) ? property : '(ukjent felt)';

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

/** DTO validation: unknown fields are rejected; every failure names its field. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
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
