import { STATUTORY_KINDS } from '../../domain/vocabulary.js';
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
import { ledgerRows } from './statutory-ledger.js';

/*
 * `statutory_ledger_versions`: the statutory ledger over recorded time (versioned.ts): the ledger of
 * statutory-ledger.ts per placement × year × kind, with what the risk list needs of the placement (its
 * status and end date). A key the ledger no longer has (a moved placement date leaves a year without
 * active days or tasks) gets a tombstone: it closes the key's current row and writes none. No personal
 * data: no child_ref.
 */
export const STATUTORY_LEDGER_VERSIONS = table('statutory_ledger_versions', {
  placement_id: { type: 'uuid', primary: true },
  year: { type: 'integer', primary: true },
  kind: { type: 'text', primary: true, values: STATUTORY_KINDS },
  ...RECORDED_TIME,
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  active_days: { type: 'integer' },
  required: { type: 'integer' },
  planned: { type: 'integer' },
  completed: { type: 'integer' },
  waived: { type: 'integer' },
  /** The placement's status: active | paused | ended | completed. */
  status: { type: 'text' },
  ended_on: { type: 'date', nullable: true },
});
export type LedgerFactVersion = RowOf<typeof STATUTORY_LEDGER_VERSIONS>;
export type LedgerFact = Omit<LedgerFactVersion, keyof Recorded>;
export type LedgerKey = Pick<LedgerFact, 'placement_id' | 'year' | 'kind'>;

/** A key the ledger had before an event and no longer has after it. */
export interface LedgerTombstone extends LedgerKey {
  readonly removed: true;
}

export type LedgerChange = LedgerFact | LedgerTombstone;
export type LedgerVersion = LedgerChange & Recorded;

const { by, facts } = versionsOf(STATUTORY_LEDGER_VERSIONS);

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
    if (!previous || !facts.every((f) => previous[f] === fact[f])) changed.push(fact);
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
  const { rows, firsts } = link(versions, by);
  return { rows: rows.filter((r): r is LedgerFactVersion => !isTombstone(r)), firsts };
}

export const statutoryLedgerVersionsReadModel: ReadModel = {
  table: STATUTORY_LEDGER_VERSIONS,
  batch: () => {
    const versions: LedgerVersion[] = [];
    /** Each placement's ledger facts after its last event so far in this batch. */
    const ledgers = new Map<string, readonly LedgerFact[]>();
    const annulled: Annulment[] = [];
    return {
      event: (e) => {
        const annulment = annulmentBy(e);
        if (annulment) annulled.push(annulment);
        if (!ledgerMayChange(e.before, e.after)) return;
        const current = ledgerFacts(e.after);
        const previous = ledgers.get(e.placementId) ?? ledgerFacts(e.before);
        for (const change of changedLedger(previous, current)) versions.push({ ...change, ...recordedBy(e) });
        ledgers.set(e.placementId, current);
      },
      write: async (m) => {
        if (versions.length > 0)
          await writeVersions(m, STATUTORY_LEDGER_VERSIONS, by, linkLedgerVersions(versions));
        await closeAnnulled(m, STATUTORY_LEDGER_VERSIONS, annulled);
      },
    };
  },
};
