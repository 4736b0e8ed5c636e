import { addDays } from '../domain/calendar/dates.js';
import type { TaskState } from '../domain/package/state.js';
import { ledgerRows, type ProjectedPlacement } from './read-models.js';

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
  /** gjennomfort | delvis-gjennomfort | forsokt-ikke-oppnadd, for completed tasks. */
  readonly outcome: string | null;
  readonly waiver_reason: string | null;
  /** A follow-up's visit (the private talk's or the report's). Null before `follows` was recorded. */
  readonly follows_task_id: string | null;
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
    outcome: t.outcome ?? null,
    waiver_reason: t.waiverReason ?? null,
    follows_task_id: t.follows ?? null,
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
  'outcome',
  'waiver_reason',
  'follows_task_id',
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

interface Version {
  readonly placement_id: string;
  readonly stream_version: number;
  readonly recorded_from: string;
  recorded_to: string | null;
}

/** Orders versions per key by stream version and links each to the next (recorded_to). */
function link<V extends Version>(versions: readonly V[], key: (v: V) => string): { rows: V[]; firsts: V[] } {
  const byKey = new Map<string, V[]>();
  for (const v of versions) {
    const list = byKey.get(key(v)) ?? [];
    list.push({ ...v, recorded_to: null });
    byKey.set(key(v), list);
  }
  const rows: V[] = [];
  const firsts: V[] = [];
  for (const list of byKey.values()) {
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

/** Orders a batch's versions per task and links each to the next (recorded_to). */
export function linkVersions(versions: readonly AdherenceVersion[]): {
  rows: AdherenceVersion[];
  /** The first new version of each task: it closes the task's current row in the table. */
  firsts: AdherenceVersion[];
} {
  return link(versions, (v) => `${v.placement_id}/${v.task_id}`);
}

/*
 * The placement-level adherence facts (table adherence_placements), versioned the same way: what the
 * follow-up metrics need of a placement beyond its tasks. No personal data: the caseworker is kept as a
 * number of changes, never as a person.
 */
export interface PlacementFact {
  readonly placement_id: string;
  readonly service_id: string;
  readonly municipality_id: string;
  readonly placement_type: string;
  readonly legal_basis: string;
  readonly placement_date: string;
  readonly ended_on: string | null;
  readonly end_reason: string | null;
  /** Changes of caseworker on days 0–182 after move-in (see ProjectedPlacement.caseworker). */
  readonly caseworker_changes_182: number;
}

export interface PlacementVersion extends PlacementFact {
  readonly stream_version: number;
  readonly recorded_from: string;
  recorded_to: string | null;
}

/** Days 0–182 after move-in: the first six months (§7.13). */
export const FIRST_SIX_MONTHS_DAYS = 182;

export function placementFact(p: ProjectedPlacement): PlacementFact {
  const s = p.package;
  const start = s.facts.placementDate;
  const end = addDays(start, FIRST_SIX_MONTHS_DAYS);
  return {
    placement_id: s.placementId,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    placement_type: s.facts.placementType,
    legal_basis: s.facts.legalBasis,
    placement_date: start,
    ended_on: p.endedOn,
    end_reason: p.endReason,
    caseworker_changes_182: (p.caseworkerChangedOn ?? []).filter((d) => d >= start && d <= end).length,
  };
}

const PLACEMENT_FIELDS = [
  'service_id',
  'municipality_id',
  'placement_type',
  'legal_basis',
  'placement_date',
  'ended_on',
  'end_reason',
  'caseworker_changes_182',
] as const satisfies readonly (keyof PlacementFact)[];

/** The placement's facts after an event, when they differ from before it (or it is new). */
export function changedPlacementFact(
  before: ProjectedPlacement | undefined,
  after: ProjectedPlacement,
): PlacementFact | undefined {
  const fact = placementFact(after);
  if (!before) return fact;
  const old = placementFact(before);
  return PLACEMENT_FIELDS.every((f) => old[f] === fact[f]) ? undefined : fact;
}

/** Orders a batch's placement versions per placement and links each to the next (recorded_to). */
export function linkPlacementVersions(versions: readonly PlacementVersion[]): {
  rows: PlacementVersion[];
  firsts: PlacementVersion[];
} {
  return link(versions, (v) => v.placement_id);
}

/*
 * The statutory ledger over recorded time (table statutory_ledger_versions): the ledger of
 * read-models.ts (`ledgerRows`) per placement × year × kind, with what the risk list needs of the
 * placement (its status and end date), versioned like the task facts. A key the ledger no longer has
 * (a moved placement date leaves a year without active days or tasks) gets a tombstone: it closes the
 * key's current row and writes none. No personal data: no child_ref.
 */
export interface LedgerKey {
  readonly placement_id: string;
  readonly year: number;
  readonly kind: string;
}

export interface LedgerFact extends LedgerKey {
  readonly service_id: string;
  readonly municipality_id: string;
  readonly active_days: number;
  readonly required: number;
  readonly planned: number;
  readonly completed: number;
  readonly waived: number;
  /** The placement's status: active | paused | ended | completed. */
  readonly status: string;
  readonly ended_on: string | null;
}

/** A key the ledger had before an event and no longer has after it. */
export interface LedgerTombstone extends LedgerKey {
  readonly removed: true;
}

export type LedgerChange = LedgerFact | LedgerTombstone;

interface Recorded {
  readonly stream_version: number;
  readonly recorded_from: string;
  recorded_to: string | null;
}
export type LedgerVersion = LedgerChange & Recorded;
export type LedgerFactVersion = LedgerFact & Recorded;

const isTombstone = (c: LedgerChange): c is LedgerTombstone => 'removed' in c;

/** The ledger facts of a placement's state (none before it exists). */
export function ledgerFacts(p: ProjectedPlacement | undefined): LedgerFact[] {
  if (!p) return [];
  const status = p.package.status;
  return ledgerRows(p).map((r) => ({
    placement_id: r.placement_id,
    year: r.year,
    kind: r.kind,
    service_id: r.service_id,
    municipality_id: r.municipality_id,
    active_days: r.active_days,
    required: r.required,
    planned: r.planned,
    completed: r.completed,
    waived: r.waived,
    status,
    ended_on: p.endedOn,
  }));
}

const LEDGER_FIELDS = [
  'service_id',
  'municipality_id',
  'active_days',
  'required',
  'planned',
  'completed',
  'waived',
  'status',
  'ended_on',
] as const satisfies readonly (keyof LedgerFact)[];

const ledgerKey = (k: LedgerKey) => `${k.placement_id}/${k.year}/${k.kind}`;

/** A task's status as the ledger counts it (`ledgerRows`): a planned task and an open one alike. */
const countedStatus = (status: string) => (status === 'open' ? 'planned' : status);

/**
 * False when an event cannot have changed the placement's ledger facts, judged from what `ledgerRows`
 * reads: the organisation, the placement date, the end date, the reductions, the placement's status, and
 * the kind, counted status, due date and completion date of statutory tasks. Most events (reminders,
 * reassignments, non-statutory tasks) change none of them, and then the ledger is not recomputed.
 * Errs towards true: a true only costs a comparison that finds nothing.
 */
export function ledgerMayChange(before: ProjectedPlacement | undefined, after: ProjectedPlacement): boolean {
  if (!before) return true;
  const b = before.package;
  const a = after.package;
  if (
    b.organisation.serviceId !== a.organisation.serviceId ||
    b.organisation.municipalityId !== a.organisation.municipalityId ||
    b.facts.placementDate !== a.facts.placementDate ||
    b.reductions !== a.reductions ||
    b.status !== a.status ||
    before.endedOn !== after.endedOn
  )
    return true;
  if (b.tasks === a.tasks) return false;
  for (const task of Object.values(a.tasks)) {
    const old = b.tasks[task.taskId];
    if (old === task) continue;
    if (!old) {
      if (task.statutory) return true;
      continue;
    }
    if (!old.statutory && !task.statutory) continue;
    if (
      old.statutory !== task.statutory ||
      countedStatus(old.status) !== countedStatus(task.status) ||
      old.dueOn !== task.dueOn ||
      old.completedOn !== task.completedOn
    )
      return true;
  }
  return false;
}

/** The ledger facts that differ from before (or are new), and a tombstone for each key gone. */
export function changedLedger(before: readonly LedgerFact[], after: readonly LedgerFact[]): LedgerChange[] {
  const old = new Map(before.map((f) => [ledgerKey(f), f]));
  const changed: LedgerChange[] = [];
  for (const fact of after) {
    const key = ledgerKey(fact);
    const previous = old.get(key);
    old.delete(key);
    if (!previous || !LEDGER_FIELDS.every((f) => previous[f] === fact[f])) changed.push(fact);
  }
  for (const gone of old.values())
    changed.push({ placement_id: gone.placement_id, year: gone.year, kind: gone.kind, removed: true });
  return changed;
}

/**
 * Orders a batch's ledger versions per key and links each to the next (recorded_to); a tombstone ends
 * the version before it and is not a row itself.
 */
export function linkLedgerVersions(versions: readonly LedgerVersion[]): {
  rows: LedgerFactVersion[];
  /** The first change of each key, tombstones included: it closes the key's current row in the table. */
  firsts: LedgerVersion[];
} {
  const { rows, firsts } = link(versions, ledgerKey);
  return { rows: rows.filter((r): r is LedgerFactVersion => !isTombstone(r)), firsts };
}
