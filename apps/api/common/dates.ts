import { ValidateBy } from 'class-validator';
import { addDays, isIsoDate } from '../../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';

/*
 * Date fields of bodies and queries: YYYY-MM-DD and a day that exists (2026-02-30 is not), checked by the
 * same function the domain and the workflow use; and, where a date cannot lie ahead, against today in Oslo.
 */

export { isIsoDate };

export const REASON_DATE = 'må være en gyldig dato (ÅÅÅÅ-MM-DD)';

/** A placement is registered, or moved, at most this many days before it happens. */
export const PLACEMENT_DATE_MAX_DAYS_AHEAD = 180;

const today = () => osloDateOf(Date.now());

export const IsIsoDate = () =>
  ValidateBy({
    name: 'isIsoDate',
    validator: { validate: (value) => isIsoDate(value), defaultMessage: () => REASON_DATE },
  });

/** Today or earlier (Oslo): a birth date. Another value is IsIsoDate's to refuse. */
export const NotInFuture = () =>
  ValidateBy({
    name: 'notInFuture',
    validator: {
      validate: (value) => !isIsoDate(value) || value <= today(),
      defaultMessage: () => 'kan ikke være fram i tid',
    },
  });

/** At most `days` days after today (Oslo). */
export const AtMostDaysAhead = (days: number) =>
  ValidateBy({
    name: 'atMostDaysAhead',
    constraints: [days],
    validator: {
      validate: (value) => !isIsoDate(value) || value <= addDays(today(), days),
      defaultMessage: () => `kan være høyst ${days} dager fram i tid`,
    },
  });

/** A placement is of a child (0–17): its date lies at most this many years back. */
export const PLACEMENT_DATE_MAX_YEARS_BACK = 18;

/** At most `years` years before today (Oslo), counted as 365.25 days a year. */
export const AtMostYearsBack = (years: number) =>
  ValidateBy({
    name: 'atMostYearsBack',
    constraints: [years],
    validator: {
      validate: (value) => !isIsoDate(value) || value >= addDays(today(), -Math.round(years * 365.25)),
      defaultMessage: () => `kan være høyst ${years} år tilbake i tid`,
    },
  });

/** A birth month (`YYYY-MM`) lies at most this many years back: a child (0–17), and a margin. */
export const BIRTH_MONTH_MAX_YEARS_BACK = 20;

/**
 * A birth month: `YYYY-MM`, not after this month (Oslo) and at most BIRTH_MONTH_MAX_YEARS_BACK years back.
 */
export const IsBirthYearMonth = () =>
  ValidateBy({
    name: 'isBirthYearMonth',
    validator: {
      validate: (value) => {
        if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return false;
        const thisMonth = today().slice(0, 7);
        const earliest = `${Number(thisMonth.slice(0, 4)) - BIRTH_MONTH_MAX_YEARS_BACK}${thisMonth.slice(4)}`;
        return value <= thisMonth && value >= earliest;
      },
      defaultMessage: () =>
        `må være en måned (ÅÅÅÅ-MM), ikke etter denne måneden og høyst ${BIRTH_MONTH_MAX_YEARS_BACK} år tilbake`,
    },
  });
