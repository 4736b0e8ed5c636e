import { osloWallClock } from '../domain/calendar/oslo-time.js';
import type { PackageEvent } from '../domain/events.js';
import { evolve, type PackageState } from '../domain/package/state.js';
import { type EndedReason, type IsoDate } from '../domain/vocabulary.js';

/*
 * What the projector folds per placement, event by event, with the domain's `evolve`: the state every
 * read model's rows are computed from (libs/projections/read-models/). Its snapshot is the table
 * projection_placement_state (read-models/placement-state.ts). No clock, no I/O here.
 */

/** What the projector keeps per placement: the domain's state plus what `evolve` does not keep. */
export interface ProjectedPlacement {
  readonly package: PackageState;
  /** From PlacementEnded (PackageState records only the status). */
  readonly endedOn: IsoDate | null;
  readonly endReason: EndedReason | null;
  /**
   * The placement's caseworker: the last person a caseworker (kontaktperson) task was assigned to, and
   * the days (Oslo) it changed from one person to another. Absent in snapshots taken before it was kept.
   */
  readonly caseworker?: string | null;
  readonly caseworkerChangedOn?: readonly IsoDate[];
}

export function project(previous: ProjectedPlacement | undefined, event: PackageEvent): ProjectedPlacement {
  const pkg = evolve(previous?.package, event);
  if (event.type === 'PlacementRegistered' || !previous)
    return { package: pkg, endedOn: null, endReason: null, caseworker: null, caseworkerChangedOn: [] };
  if (event.type === 'PlacementEnded') {
    return { ...previous, package: pkg, endedOn: event.data.endedOn, endReason: event.data.reason };
  }
  if (event.type === 'TaskReassigned') {
    const assignee = event.data.assigneeId;
    if (pkg.tasks[event.data.taskId]?.role !== 'kontaktperson' || assignee === null)
      return { ...previous, package: pkg };
    const current = previous.caseworker ?? null;
    const changed = current !== null && current !== assignee;
    return {
      ...previous,
      package: pkg,
      caseworker: assignee,
      caseworkerChangedOn: changed
        ? [...(previous.caseworkerChangedOn ?? []), osloWallClock(event.data.at).date]
        : (previous.caseworkerChangedOn ?? []),
    };
  }
  return { ...previous, package: pkg };
}
