import { maxDate, yearOf } from '../calendar/dates.js';
import type { PackageState } from '../package/state.js';
import { DEFAULT_PLANNING_POLICY } from '../plan.js';
import { STATUTORY_KINDS, type IsoDate, type StatutoryKind } from '../vocabulary.js';
import {
  activeDays,
  dutySegment,
  statutoryDutyApplies,
  statutoryPeriod,
  statutoryRequirement,
  type YearSegment,
} from './rule.js';

/** One calendar year of one statutory duty for one placement: what the law asks and what was done. */
export interface LedgerYear {
  readonly year: number;
  readonly kind: StatutoryKind;
  /** Days the placement counted in that year: in the statutory period, not in a finished pause, not after its end. */
  readonly activeDays: number;
  /** `statutoryRequirement` for that year's segment (0 when the duty does not apply: `statutoryDutyApplies`). */
  readonly required: number;
  /** Statutory tasks due that year that are not cancelled (completed and waived ones included). */
  readonly planned: number;
  /** Completed statutory tasks whose completedOn lies in that year. */
  readonly completed: number;
  /** Waived statutory tasks due that year. */
  readonly waived: number;
}

/**
 * The days a placement counts for statutory minimums, inclusive: the statutory period of its package
 * (`statutoryPeriod`, longer by its finished pauses), or once ordinary follow-up has begun, to 31
 * December of its last planned year; from move-in, or for a placement registered straight into ordinary
 * follow-up from 1 January of its registration year (no package backlog); cut short by an end (`endedOn`
 * is the last active day). Null when the placement ended before it started.
 */
export function activePeriod(
  state: PackageState,
  endedOn: IsoDate | null,
  packageDays = DEFAULT_PLANNING_POLICY.packageDays,
): { start: IsoDate; end: IsoDate } | null {
  const period = statutoryPeriod(state.facts.placementDate, packageDays, state.pauses ?? []);
  const start = state.countedFrom && state.countedFrom > period.start ? state.countedFrom : period.start;
  const planned =
    state.phase === 'ordinary' && state.ordinaryYear !== undefined
      ? maxDate(period.end, `${state.ordinaryYear}-12-31`)
      : period.end;
  const end = endedOn !== null && endedOn < planned ? endedOn : planned;
  return end < start ? null : { start, end };
}

/**
 * The statutory ledger of one placement, per calendar year and kind, from its folded state: the one
 * statutory rule (`statutoryRequirement`) over each year's `dutySegment` of the active period (the
 * package's part of a year and ordinary follow-up's together; supervision cut at the month it ends), and
 * the visits planned, completed and waived. A duty that does not apply (supervision from 18,
 * `statutoryDutyApplies`) requires nothing. A year gets a row when it has active days or any counted task
 * (then activeDays = required = 0).
 */
export function statutoryLedger(
  state: PackageState,
  endedOn: IsoDate | null,
  packageDays = DEFAULT_PLANNING_POLICY.packageDays,
): LedgerYear[] {
  const period = activePeriod(state, endedOn, packageDays);
  // Only finished pauses count: while paused, nobody knows yet how long the pause will be, and a
  // requirement lowered in advance would hide a duty that comes back at the resume.
  const pauses = state.pauses ?? [];
  const tasks = Object.values(state.tasks);
  const rows: LedgerYear[] = [];
  for (const kind of STATUTORY_KINDS) {
    const segments: YearSegment[] = [];
    if (period)
      for (let year = yearOf(period.start); year <= yearOf(period.end); year += 1) {
        const segment = dutySegment(kind, year, {
          placementDate: period.start,
          periodEnd: period.end,
          supervisionEndsMonth: state.supervisionEndsMonth,
        });
        if (segment) segments.push(segment);
      }
    const ofKind = tasks.filter((task) => task.statutory === kind);
    const applies = statutoryDutyApplies(kind, state.facts);
    const counts = new Map<number, { planned: number; completed: number; waived: number }>();
    const count = (year: number) => {
      let c = counts.get(year);
      if (!c) counts.set(year, (c = { planned: 0, completed: 0, waived: 0 }));
      return c;
    };
    for (const segment of segments) count(segment.year);
    for (const task of ofKind) {
      if (task.status === 'cancelled') continue;
      count(yearOf(task.dueOn)).planned += 1;
      if (task.status === 'waived') count(yearOf(task.dueOn)).waived += 1;
      if (task.status === 'completed' && task.completedOn) count(yearOf(task.completedOn)).completed += 1;
    }
    for (const [year, c] of [...counts].sort(([a], [b]) => a - b)) {
      const segment = segments.find((seg) => seg.year === year);
      rows.push({
        year,
        kind,
        activeDays: segment ? activeDays({ from: segment.start, to: segment.end }, pauses) : 0,
        required: segment && applies ? statutoryRequirement(kind, segment, state.reductions, pauses) : 0,
        ...c,
      });
    }
  }
  return rows;
}
