/**
 * Kompetansebase use for a council report: the figures of a municipality's orders to its learning
 * network's kompetansebase in a year. The kompetansebase package is being built separately; until it
 * exists, the provider says there is no data and the report says «Ingen kompetansebase-bruk registrert»
 * rather than invent figures. A real provider must return aggregates with small cells already hidden
 * (libs/adherence/suppression.ts), like every other figure of the report.
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

/** No kompetansebase assignments exist yet: no data for any municipality. */
export class NoKompetansebaseFigures implements KompetansebaseFigures {
  forMunicipality(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}
