import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { parameterProblems, safeName, textProblem } from './input-text.js';
import { type FieldError, ProblemException } from './problem.js';

const list = (values: unknown) => (Array.isArray(values) ? values.map(String).join(', ') : '');

/**
 * class-validator's messages are English; the reasons a user sees are bokmål. By constraint, with the
 * constraint's arguments from the DTO's metadata. A DTO that gives its own message (in bokmål) keeps it.
 */
export const BOKMAL_REASONS: Readonly<Record<string, (c: readonly unknown[]) => string>> = {
  whitelistValidation: () => 'ukjent felt',
  nestedValidation: () => 'må være et objekt (eller en liste av objekter)',
  isDefined: () => 'mangler',
  isIn: ([values]) => `må være en av: ${list(values)}`,
  isInt: () => 'må være et heltall',
  isNumber: () => 'må være et tall',
  min: ([n]) => `må være minst ${String(n)}`,
  max: ([n]) => `kan være høyst ${String(n)}`,
  isString: () => 'må være tekst',
  isBoolean: () => 'må være true eller false',
  isUuid: () => 'må være en UUID',
  isObject: () => 'må være et objekt',
  isArray: () => 'må være en liste',
  isEmail: () => 'må være en e-postadresse',
  isIso8601: () => 'må være et tidspunkt i ISO 8601-format (for eksempel 2026-03-01T12:00:00Z)',
  isLength: ([min, max]) => `må ha mellom ${String(min)} og ${String(max)} tegn`,
  minLength: ([n]) => `må ha minst ${String(n)} tegn`,
  maxLength: ([n]) => `kan ha høyst ${String(n)} tegn`,
  arrayMinSize: ([n]) => `må ha minst ${String(n)} elementer`,
  arrayMaxSize: ([n]) => `kan ha høyst ${String(n)} elementer`,
  arrayUnique: () => 'kan ikke ha samme verdi to ganger',
  matches: () => 'har ugyldig format',
};

function reasonOf(error: ValidationError, constraint: string, message: string): string {
  const key = constraint;
  if (key === 'whitelistValidation') return BOKMAL_REASONS.whitelistValidation([]);
  const target = error.target as object | undefined;
  const metadata = target
    ? getMetadataStorage()
        .getTargetValidationMetadatas(target.constructor, '', false, false)
        .find((m) => m.propertyName === error.property && m.name === constraint)
    : undefined;
  // The DTO's own message, or one of the API's own validators (common/dates.ts, the national id number):
  // written in bokmål. validation.spec.ts checks that every constraint of a DTO is one or the other.
  const translate = BOKMAL_REASONS[key];
  if (metadata?.message !== undefined || !translate) return message;
  return translate(metadata?.constraints ?? []);
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const name = safeName(error.property);
    const field = prefix ? `${prefix}.${name}` : name;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      reason: reasonOf(error, constraint, message),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Names that class-transformer skips to avoid prototype pollution, and the names every object inherits
 * (`valueOf`, `toString`, …), which class-validator's whitelist finds on its own metadata object and so
 * lets through: without this check a request naming them would pass as if the field were not there,
 * instead of being refused as an unknown field.
 */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

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
  // The target's class finds a constraint's arguments (reasonOf); errors never go out with it.
  validationError: { target: true, value: false },
  exceptionFactory: (errors) =>
    new ProblemException(400, 'Ett eller flere felt er ugyldige.', flatten(errors)),
});
