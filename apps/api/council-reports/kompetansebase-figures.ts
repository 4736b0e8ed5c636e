import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  kompetansebaseFiguresFor,
  type KompetansebaseFigures as YearFigures,
} from '../../../libs/adherence/index.js';

/**
 * Kompetansebase use for a council report: the figures of a municipality's orders to its learning
 * network's kompetansebase in a year and the year before. A service that has never ordered gets no section
 * figures («Ingen kompetansebase-bruk registrert»); otherwise aggregates with small cells already hidden
 * (fewer than 5 orders in a year: every figure of that year hidden), like every other figure of the report.
 */
export interface KompetansebaseMeasure {
  /** Bokmål, e.g. «Bestillinger». */
  readonly label: string;
  /** The year's count; null when hidden (fewer than 5) or none. */
  readonly current: number | null;
  /** The year before's. */
  readonly previous: number | null;
}

export interface KompetansebaseFigures {
  /** The municipality's kompetansebase use in `year` as recorded at `asOf`; undefined: none registered. */
  forMunicipality(
    municipalityId: string,
    year: number,
    asOf: Date,
  ): Promise<readonly KompetansebaseMeasure[] | undefined>;
}

export const KOMPETANSEBASE_FIGURES = Symbol('KOMPETANSEBASE_FIGURES');

/** Bokmål label and the figure of one year (null when hidden or when there is nothing to count). */
const MEASURES: readonly (readonly [string, (f: YearFigures) => number | null | undefined])[] = [
  ['Bestillinger', (f) => f.orders],
  ['Tatt imot', (f) => f.accepted],
  ['Avslått på grunn av kapasitet', (f) => f.declinedForCapacity],
  ['Venter på svar', (f) => f.waiting],
  // Whole days: the report's figures are counts.
  [
    'Median dager til oppstart',
    (f) => (f.medianDaysToStart == null ? null : Math.round(f.medianDaysToStart)),
  ],
  ['Tilbakeringinger', (f) => f.callBacks?.of],
  ['Tilbakeringinger i tide', (f) => f.callBacks?.onTime],
  ['Evalueringer', (f) => f.evaluationsOnAgreedDate?.of],
  ['Evalueringer på avtalt dato', (f) => f.evaluationsOnAgreedDate?.onTime],
  ['Rapporter', (f) => f.reportsOnTime?.of],
  ['Rapporter i tide', (f) => f.reportsOnTime?.onTime],
];

/**
 * The figures of kompetansebaseFiguresFor (libs/adherence) for the year and the year before. They are
 * the assignments as they stand when asked (the read model keeps no history), so `asOf` is not used; a
 * signed-off report keeps the figures it was signed with.
 */
@Injectable()
export class AssignmentKompetansebaseFigures implements KompetansebaseFigures {
  constructor(private readonly dataSource: DataSource) {}

  async forMunicipality(
    municipalityId: string,
    year: number,
  ): Promise<readonly KompetansebaseMeasure[] | undefined> {
    const [current, previous] = await Promise.all([
      kompetansebaseFiguresFor(this.dataSource, municipalityId, year),
      kompetansebaseFiguresFor(this.dataSource, municipalityId, year - 1),
    ]);
    if (current.serviceId === null) return undefined;
    const [any] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM kompetansebase_assignments
        WHERE service_id = $1 AND ordered_on >= make_date($2, 1, 1) AND ordered_on < make_date($2 + 2, 1, 1)`,
      [current.serviceId, year - 1],
    );
    if (!any || any.n === 0) return undefined; // never ordered in the two years: nothing to report
    return MEASURES.map(([label, value]) => ({
      label,
      current: current.suppressed ? null : (value(current) ?? null),
      previous: previous.suppressed ? null : (value(previous) ?? null),
    }));
  }
}
