import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** DTO validation: unknown fields are rejected; every failure names its field. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) =>
    new ProblemException(400, 'Ett eller flere felt er ugyldige.', flatten(errors)),
});
