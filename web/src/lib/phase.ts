import type { TimelineEntry } from './types.js';

/*
 * A placement's phase, from its timeline: the package, or ordinary follow-up in the last year begun
 * (`OrdinaryYearPlanned`). The summary and the plan's heading say it the same way.
 */

/** The last year of ordinary follow-up begun, or null while the placement is in the package. */
export function ordinaryYearOf(timeline: readonly TimelineEntry[]): number | null {
  const years = timeline
    .filter((e) => e.type === 'OrdinaryYearPlanned')
    .map((e) => Number(e.details.year))
    .filter((y) => Number.isInteger(y));
  return years.length ? Math.max(...years) : null;
}

/** The phase as the summary shows it: «Omsorgspakken» or «Ordinær oppfølging (2027)». */
export const phaseLabel = (year: number | null) =>
  year === null ? 'Omsorgspakken' : `Ordinær oppfølging (${year})`;

/** The plan's heading: «Omsorgspakken», or «Ordinær oppfølging 2027» once the package is over. */
export const planHeading = (year: number | null) =>
  year === null ? 'Omsorgspakken' : `Ordinær oppfølging ${year}`;
