import { assertIsoDate } from '../calendar/dates.js';
import type { IsoDate, PlacementFacts } from '../vocabulary.js';

/*
 * The child's age on a day after the placement. The placement records only the age at move-in
 * (`childAgeYears`; the birth month stays in the personal-data store), so the age on a later day is that
 * age plus the whole years elapsed since the placement date: at most a year too low (a birthday between
 * move-in and the anniversary comes at the anniversary), never too high.
 */

/** Whole years from `from` to `on` (an anniversary on 29 February falls on 1 March in other years). */
export function wholeYearsBetween(from: IsoDate, on: IsoDate): number {
  assertIsoDate(from, 'from');
  assertIsoDate(on, 'on');
  if (on < from) return 0;
  let years = Number(on.slice(0, 4)) - Number(from.slice(0, 4));
  const fromDay = from.slice(5) === '02-29' ? '03-01' : from.slice(5);
  const onDay = on.slice(5);
  if (onDay < fromDay && !(from.slice(5) === '02-29' && onDay === '02-29')) years -= 1;
  return years;
}

/** The child's age (whole years) on `on`: the age at placement plus the whole years since the placement date. */
export function childAgeOn(
  facts: Pick<PlacementFacts, 'childAgeYears' | 'placementDate'>,
  on: IsoDate,
): number {
  return facts.childAgeYears + wholeYearsBetween(facts.placementDate, on);
}
