import type { TaskState } from '../domain/package/state.js';
import type { ProjectedPlacement } from './read-models.js';

/*
 * The adherence read model: one row per version of each task's adherence facts, valid over
 * [recorded_from, recorded_to) in the event store's recorded time. The current facts are the rows with
 * recorded_to NULL; the facts as they stood at any instant T are the rows valid at T, which is what
 * replaying the events recorded up to T gives. Built event by event, so a projector that catches up
 * after downtime writes the same versions as one that kept up.
 *
 * No personal data: opaque ids, catalog codes, dates and the owning service and municipality only.
 */

export interface AdherenceFact {
  readonly placement_id: string;
  readonly task_id: string;
  readonly step_id: string;
  readonly track: string;
  readonly statutory: string | null;
  readonly origin: string;
  readonly service_id: string;
  readonly municipality_id: string;
  readonly placement_type: string;
  readonly placement_date: string;
  readonly due_on: string;
  /** planned | open | completed | waived | cancelled */
  readonly status: string;
  readonly completed_on: string | null;
  readonly waiver_reason: string | null;
}

export interface AdherenceVersion extends AdherenceFact {
  readonly stream_version: number;
  readonly recorded_from: string;
  recorded_to: string | null;
}

export function adherenceFact(p: ProjectedPlacement, t: TaskState): AdherenceFact {
  const s = p.package;
  return {
    placement_id: s.placementId,
    task_id: t.taskId,
    step_id: t.stepId,
    track: t.track,
    statutory: t.statutory ?? null,
    origin: t.origin,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    placement_type: s.facts.placementType,
    placement_date: s.facts.placementDate,
    due_on: t.dueOn,
    status: t.status,
    completed_on: t.completedOn ?? null,
    waiver_reason: t.waiverReason ?? null,
  };
}

const FIELDS = [
  'step_id',
  'track',
  'statutory',
  'origin',
  'service_id',
  'municipality_id',
  'placement_type',
  'placement_date',
  'due_on',
  'status',
  'completed_on',
  'waiver_reason',
] as const satisfies readonly (keyof AdherenceFact)[];

const sameFact = (a: AdherenceFact, b: AdherenceFact) => FIELDS.every((f) => a[f] === b[f]);

/**
 * The task facts one event changed: folded state before and after, compared task by task. The fold
 * keeps unchanged tasks as the same objects, so only tasks it replaced are compared field by field.
 */
export function changedFacts(
  before: ProjectedPlacement | undefined,
  after: ProjectedPlacement,
): AdherenceFact[] {
  const placementChanged =
    before?.package.facts.placementType !== after.package.facts.placementType ||
    before.package.facts.placementDate !== after.package.facts.placementDate ||
    before.package.organisation !== after.package.organisation;
  const changed: AdherenceFact[] = [];
  for (const task of Object.values(after.package.tasks)) {
    const old = before?.package.tasks[task.taskId];
    if (old === task && !placementChanged) continue;
    const fact = adherenceFact(after, task);
    if (before && old && sameFact(adherenceFact(before, old), fact)) continue;
    changed.push(fact);
  }
  return changed;
}

/** Orders a batch's versions per task and links each to the next (recorded_to). */
export function linkVersions(versions: readonly AdherenceVersion[]): {
  rows: AdherenceVersion[];
  /** The first new version of each task: it closes the task's current row in the table. */
  firsts: AdherenceVersion[];
} {
  const byTask = new Map<string, AdherenceVersion[]>();
  for (const v of versions) {
    const key = `${v.placement_id}/${v.task_id}`;
    const list = byTask.get(key) ?? [];
    list.push({ ...v, recorded_to: null });
    byTask.set(key, list);
  }
  const rows: AdherenceVersion[] = [];
  const firsts: AdherenceVersion[] = [];
  for (const list of byTask.values()) {
    list.sort((a, b) => a.stream_version - b.stream_version);
    list.forEach((v, i) => {
      const next = list[i + 1];
      if (next) v.recorded_to = next.recorded_from;
    });
    const [first] = list;
    if (first) firsts.push(first);
    rows.push(...list);
  }
  return { rows, firsts };
}
