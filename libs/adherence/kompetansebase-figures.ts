import type { DataSource } from 'typeorm';
import type { AssignmentState } from '../domain/kompetansebase/state.js';
import { SUPPRESSION_K } from './suppression.js';

/** A share: how many of `of` were on time (or held on the agreed date). */
export interface Share {
  readonly of: number;
  readonly onTime: number;
}

/**
 * Kompetansebase use by one municipality's child-welfare service in one year (orders by the day they were
 * ordered): what the yearly council report shows. An inter-municipal service's figures are the same for
 * every member municipality (the service orders, not the municipality). Fewer than SUPPRESSION_K orders:
 * every figure hidden (`suppressed`), as the adherence reports hide small cells.
 */
export interface KompetansebaseFigures {
  readonly municipalityId: string;
  readonly year: number;
  /** The service that covers the municipality (null: none). */
  readonly serviceId: string | null;
  readonly suppressed: boolean;
  readonly orders?: number;
  readonly accepted?: number;
  readonly declinedForCapacity?: number;
  /** Still in the queue at the time of asking. */
  readonly waiting?: number;
  /** Median days from order to start talk, over assignments that had one (null: none). */
  readonly medianDaysToStart?: number | null;
  readonly callBacks?: Share;
  readonly evaluationsOnAgreedDate?: Share;
  readonly reportsOnTime?: Share;
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The provider the council report uses: one municipality, one year (see KompetansebaseFigures). */
export async function kompetansebaseFiguresFor(
  db: DataSource,
  municipalityId: string,
  year: number,
): Promise<KompetansebaseFigures> {
  const [service] = await db.query<{ service_id: string }[]>(
    `SELECT service_id FROM service_municipalities WHERE municipality_id = $1`,
    [municipalityId],
  );
  if (!service) return { municipalityId, year, serviceId: null, suppressed: true };
  const rows = await db.query<{ state: AssignmentState }[]>(
    `SELECT state FROM kompetansebase_assignments
      WHERE service_id = $1 AND ordered_on >= make_date($2, 1, 1) AND ordered_on < make_date($2 + 1, 1, 1)`,
    [service.service_id, year],
  );
  const base = { municipalityId, year, serviceId: service.service_id };
  if (rows.length < SUPPRESSION_K) return { ...base, suppressed: true };
  const states = rows.map((r) => r.state);
  const done = (s: AssignmentState, stepId: string) =>
    Object.values(s.tasks).filter((t) => t.stepId === stepId && t.status === 'completed');
  const share = (stepId: string): Share => {
    const tasks = states.flatMap((s) => done(s, stepId));
    return { of: tasks.length, onTime: tasks.filter((t) => t.late === false).length };
  };
  return {
    ...base,
    suppressed: false,
    orders: states.length,
    accepted: states.filter((s) => s.acceptedOn !== undefined).length,
    declinedForCapacity: states.filter((s) => s.status === 'avslatt' && s.declineReason === 'kapasitet')
      .length,
    waiting: states.filter((s) => s.status === 'bestilt' || s.status === 'venter').length,
    medianDaysToStart: median(
      states.flatMap((s) => done(s, 'oppstartssamtale').map((t) => days(s.orderedOn, t.completedOn!))),
    ),
    callBacks: share('tilbakeringing'),
    evaluationsOnAgreedDate: share('evaluering'),
    reportsOnTime: share('rapport'),
  };
}
