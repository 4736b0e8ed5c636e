import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Text lengths counted as the OpenAPI document (JSON Schema's minLength/maxLength) counts them: in Unicode
 * code points. class-validator's own Length/MinLength/MaxLength count a character followed by a variation
 * selector (U+FE0E/U+FE0F) as one, so a name of 120 letters each with a selector passed the API's check
 * while the document said it is too long (Schemathesis found it). Same constraint names and arguments as
 * class-validator's, so the bokmål reasons (validation.ts) and the documents read them unchanged.
 * ESLint refuses class-validator's own three in the API.
 */
const codePoints = (value: unknown): number | undefined =>
  typeof value === 'string' ? [...value].length : undefined;

export function Length(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          const n = codePoints(value);
          return n !== undefined && n >= min && n <= max;
        },
        defaultMessage: () => `$property must be ${String(min)} to ${String(max)} characters`,
      },
    },
    options,
  );
}

export function MinLength(min: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'minLength',
      constraints: [min],
      validator: {
        validate: (value: unknown) => (codePoints(value) ?? -1) >= min,
        defaultMessage: () => `$property must be at least ${String(min)} characters`,
      },
    },
    options,
  );
}

export function MaxLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxLength',
      constraints: [max],
      validator: {
        validate: (value: unknown) => {
          const n = codePoints(value);
          return n !== undefined && n <= max;
        },
        defaultMessage: () => `$property must be at most ${String(max)} characters`,
      },
    },
    options,
  );
}
