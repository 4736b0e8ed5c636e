import { isISO8601, ValidateBy } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 and 2025-02-29 are not; validator.js decides). */
export const isIsoDate = (value: unknown): value is string =>
  typeof value === 'string' && DATE.test(value) && isISO8601(value, { strict: true, strictSeparator: true });

export const REASON_DATE = 'må være en gyldig dato (ÅÅÅÅ-MM-DD)';

/** A date field (body or query): YYYY-MM-DD and a day that exists. */
export const IsIsoDate = () =>
  ValidateBy({
    name: 'isIsoDate',
    validator: { validate: (value) => isIsoDate(value), defaultMessage: () => REASON_DATE },
  });
