import type { TaskState } from '../../domain/package/state.js';
import type { ProjectedPlacement } from '../projected-placement.js';
import type { ReadModel } from '../read-model.js';
import { table, type RowOf } from '../table.js';
import {
  annulmentBy,
  closeAnnulled,
  link,
  RECORDED_TIME,
  recordedBy,
  versionsOf,
  writeVersions,
  type Annulment,
  type Recorded,
} from '../versioned.js';

/*
 * `adherence_facts`: every version of each task's adherence facts, valid over an interval of recorded
 * time (versioned.ts), for the adherence reports now and as of any past instant. No personal data:
 * opaque ids, catalog codes, dates and the owning service and municipality only.
 *
 * With each batch it also bumps `adherence_changes` (migration 1764430000000: not a read model of its
 * own) for every service and month of due dates whose facts it wrote or closed.
 */
export const ADHERENCE_FACTS = table('adherence_facts', {
  placement_id: { type: 'uuid', primary: true },
  task_id: { type: 'text', primary: true },
  ...RECORDED_TIME,
  step_id: { type: 'text' },
  track: { type: 'text' },
  statutory: { type: 'text', nullable: true },
  origin: { type: 'text' },
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  placement_type: { type: 'text' },
  placement_date: { type: 'date' },
  due_on: { type: 'date' },
  /** planned | open | completed | waived | cancelled */
  status: { type: 'text' },
  completed_on: { type: 'date', nullable: true },
  waiver_reason: { type: 'text', nullable: true },
  /** gjennomfort | delvis-gjennomfort | forsokt-ikke-oppnadd, for completed tasks. */
  outcome: { type: 'text', nullable: true },
  /** A follow-up's visit (the private talk's or the report's). Null before `follows` was recorded. */
  follows_task_id: { type: 'text', nullable: true },
});
export type AdherenceVersion = RowOf<typeof ADHERENCE_FACTS>;
export type AdherenceFact = Omit<AdherenceVersion, keyof Recorded>;

const { by, facts } = versionsOf(ADHERENCE_FACTS);

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
    outcome: t.outcome ?? null,
    waiver_reason: t.waiverReason ?? null,
    follows_task_id: t.follows ?? null,
  };
}

const sameFact = (a: AdherenceFact, b: AdherenceFact) => facts.every((f) => a[f] === b[f]);

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

export const adherenceFactsReadModel: ReadModel = {
  table: ADHERENCE_FACTS,
  batch: () => {
    const versions: AdherenceVersion[] = [];
    const annulled: Annulment[] = [];
    return {
      event: (e) => {
        for (const fact of changedFacts(e.before, e.after)) versions.push({ ...fact, ...recordedBy(e) });
        const annulment = annulmentBy(e);
        if (annulment) annulled.push(annulment);
      },
      write: async (m) => {
        if (versions.length === 0 && annulled.length === 0) return;
        const returning = 'v.service_id::text AS service_id, v.due_on::text AS due_on';
        const closed = (
          versions.length > 0
            ? await writeVersions(m, ADHERENCE_FACTS, by, link(versions, by), returning)
            : []
        ) as { service_id: string; due_on: string }[];
        const gone = (await closeAnnulled(m, ADHERENCE_FACTS, annulled, returning)) as typeof closed;
        // The months whose figures may have moved, old and new due dates alike.
        const touched = [
          ...closed,
          ...gone,
          ...versions.map((v) => ({ service_id: v.service_id, due_on: v.due_on })),
        ];
        await m.query(
          `INSERT INTO adherence_changes (service_id, month, version)
           SELECT service_id, month, nextval('adherence_change_seq')
             FROM (SELECT DISTINCT service_id, date_trunc('month', due_on)::date AS month
                     FROM jsonb_to_recordset($1::jsonb) AS t(service_id uuid, due_on date)) d
           ON CONFLICT (service_id, month) DO UPDATE SET version = excluded.version`,
          [JSON.stringify(touched)],
        );
      },
    };
  },
};
