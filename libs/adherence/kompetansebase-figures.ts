import type { DataSource } from 'typeorm';
import type { AssignmentState } from '../domain/kompetansebase/state.js';
import { SUPPRESSION_K } from './suppression.js';

/** A share: how many of `of` were on time (or held on the agreed date). */
export interface Share {
  readonly of: number;
  readonly onTime: number;
}

/**
 * The adherence figures of a set of kompetansebase orders (issue 17): what a base and its learning
 * network need to argue for the base's staffing. Counted from the assignments' folds
 * (`kompetansebase_assignments.state`), so every figure follows the deciders' own rules (a step is late
 * when completed after its due date; the evaluation's due date is the date agreed at the start talk).
 */
export interface AssignmentFigures {
  readonly orders: number;
  /** Accepted by the base (whatever happened since). */
  readonly accepted: number;
  readonly declinedForCapacity: number;
  /** Declined for another reason (outside the mandate, an incomplete order, other). */
  readonly declinedOther: number;
  /** Still in the queue (ordered or waiting) at the time of asking. */
  readonly waiting: number;
  /** Days from order to start talk, over assignments that had one (null: none). */
  readonly medianDaysToStart: number | null;
  readonly p80DaysToStart: number | null;
  readonly callBacks: Share;
  readonly evaluationsOnAgreedDate: Share;
  readonly reportsOnTime: Share;
}

/** The p-quantile with linear interpolation (PostgreSQL's percentile_cont); null for no values. */
function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  // To a tenth of a day: interpolation in floating point leaves noise in the last digits.
  return Math.round((sorted[low] + (sorted[high] - sorted[low]) * (at - low)) * 10) / 10;
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The figures of these assignments (see AssignmentFigures). */
export function assignmentFigures(states: readonly AssignmentState[]): AssignmentFigures {
  const done = (s: AssignmentState, stepId: string) =>
    Object.values(s.tasks).filter((t) => t.stepId === stepId && t.status === 'completed');
  const share = (stepId: string): Share => {
    const tasks = states.flatMap((s) => done(s, stepId));
    return { of: tasks.length, onTime: tasks.filter((t) => t.late === false).length };
  };
  const declined = states.filter((s) => s.status === 'avslatt');
  const toStart = states.flatMap((s) =>
    done(s, 'oppstartssamtale').map((t) => days(s.orderedOn, t.completedOn!)),
  );
  return {
    orders: states.length,
    accepted: states.filter((s) => s.acceptedOn !== undefined).length,
    declinedForCapacity: declined.filter((s) => s.declineReason === 'kapasitet').length,
    declinedOther: declined.filter((s) => s.declineReason !== 'kapasitet').length,
    waiting: states.filter((s) => s.status === 'bestilt' || s.status === 'venter').length,
    medianDaysToStart: percentile(toStart, 0.5),
    p80DaysToStart: percentile(toStart, 0.8),
    callBacks: share('tilbakeringing'),
    evaluationsOnAgreedDate: share('evaluering'),
    reportsOnTime: share('rapport'),
  };
}

/** Which orders: ordered from `from` to `to` (inclusive), of these services or to these bases. */
export interface AssignmentSelection {
  readonly from: string;
  readonly to: string;
  readonly services?: readonly string[];
  readonly bases?: readonly string[];
}

/** The folds of the selected orders (read model kompetansebase_assignments), with their service. */
export async function assignmentStates(
  db: Pick<DataSource, 'query'>,
  selection: AssignmentSelection,
): Promise<AssignmentState[]> {
  const params: unknown[] = [selection.from, selection.to];
  const where = [`ordered_on BETWEEN $1::date AND $2::date`];
  if (selection.services) where.push(`service_id = ANY($${params.push(selection.services)}::uuid[])`);
  if (selection.bases) where.push(`base_id = ANY($${params.push(selection.bases)}::uuid[])`);
  const rows = await db.query<{ state: AssignmentState }[]>(
    `SELECT state FROM kompetansebase_assignments WHERE ${where.join(' AND ')} ORDER BY assignment_id`,
    params,
  );
  return rows.map((r) => r.state);
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
  const states = await assignmentStates(db, {
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    services: [service.service_id],
  });
  const base = { municipalityId, year, serviceId: service.service_id };
  if (states.length < SUPPRESSION_K) return { ...base, suppressed: true };
  const f = assignmentFigures(states);
  return {
    ...base,
    suppressed: false,
    orders: f.orders,
    accepted: f.accepted,
    declinedForCapacity: f.declinedForCapacity,
    waiting: f.waiting,
    medianDaysToStart: f.medianDaysToStart,
    callBacks: f.callBacks,
    evaluationsOnAgreedDate: f.evaluationsOnAgreedDate,
    reportsOnTime: f.reportsOnTime,
  };
}
