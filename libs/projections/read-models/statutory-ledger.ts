import { statutoryLedger } from '../../domain/statutory/ledger.js';
import { STATUTORY_KINDS } from '../../domain/vocabulary.js';
import type { ProjectedPlacement } from '../projected-placement.js';
import type { ReadModel } from '../read-model.js';
import { table, upsert, type RowOf } from '../table.js';

/*
 * `statutory_ledger`: the statutory visits per placement × calendar year × kind, as they stand now (the
 * placement page reads it; the reports read its history, statutory-ledger-versions.ts). Recomputed whole
 * for each placement a batch moves: a changed placement date or a reduction can move every year.
 */
export const STATUTORY_LEDGER = table('statutory_ledger', {
  placement_id: { type: 'uuid', primary: true },
  child_ref: { type: 'uuid' },
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  year: { type: 'integer', primary: true },
  kind: { type: 'text', primary: true, values: STATUTORY_KINDS },
  active_days: { type: 'integer' },
  required: { type: 'integer' },
  planned: { type: 'integer' },
  completed: { type: 'integer' },
  waived: { type: 'integer' },
});
export type LedgerRow = RowOf<typeof STATUTORY_LEDGER>;

/**
 * The statutory ledger's rows: the domain's `statutoryLedger` (the one statutory rule over the active
 * period, with the visits planned, completed and waived per calendar year and kind) for the placement.
 */
export function ledgerRows(p: ProjectedPlacement): LedgerRow[] {
  const s = p.package;
  return statutoryLedger(s, p.endedOn).map((year) => ({
    placement_id: s.placementId,
    child_ref: s.childRef,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    year: year.year,
    kind: year.kind,
    active_days: year.activeDays,
    required: year.required,
    planned: year.planned,
    completed: year.completed,
    waived: year.waived,
  }));
}

export const statutoryLedgerReadModel: ReadModel = {
  table: STATUTORY_LEDGER,
  batch: () => ({
    write: async (m, moved) => {
      await m.query(`DELETE FROM ${STATUTORY_LEDGER.name} WHERE placement_id = ANY($1::uuid[])`, [
        moved.map((p) => p.state.package.placementId),
      ]);
      await upsert(
        m,
        STATUTORY_LEDGER,
        moved.flatMap((p) => ledgerRows(p.state)),
      );
    },
  }),
};
