import { addDays } from '../../domain/calendar/dates.js';
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
 * `adherence_placements`: the placement-level adherence facts, versioned over recorded time like the
 * task facts (versioned.ts): what the follow-up metrics need of a placement beyond its tasks. No
 * personal data: the caseworker is kept as a number of changes, never as a person.
 */
export const ADHERENCE_PLACEMENTS = table('adherence_placements', {
  placement_id: { type: 'uuid', primary: true },
  ...RECORDED_TIME,
  service_id: { type: 'uuid' },
  municipality_id: { type: 'uuid' },
  placement_type: { type: 'text' },
  legal_basis: { type: 'text' },
  placement_date: { type: 'date' },
  ended_on: { type: 'date', nullable: true },
  end_reason: { type: 'text', nullable: true },
  /** Changes of caseworker on days 0–182 after move-in (see ProjectedPlacement.caseworker). */
  caseworker_changes_182: { type: 'integer' },
});
export type PlacementVersion = RowOf<typeof ADHERENCE_PLACEMENTS>;
export type PlacementFact = Omit<PlacementVersion, keyof Recorded>;

const { by, facts } = versionsOf(ADHERENCE_PLACEMENTS);

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

/** The placement's facts after an event, when they differ from before it (or it is new). */
export function changedPlacementFact(
  before: ProjectedPlacement | undefined,
  after: ProjectedPlacement,
): PlacementFact | undefined {
  const fact = placementFact(after);
  if (!before) return fact;
  const old = placementFact(before);
  return facts.every((f) => old[f] === fact[f]) ? undefined : fact;
}

export const adherencePlacementsReadModel: ReadModel = {
  table: ADHERENCE_PLACEMENTS,
  batch: () => {
    const versions: PlacementVersion[] = [];
    const annulled: Annulment[] = [];
    return {
      event: (e) => {
        const fact = changedPlacementFact(e.before, e.after);
        if (fact) versions.push({ ...fact, ...recordedBy(e) });
        const annulment = annulmentBy(e);
        if (annulment) annulled.push(annulment);
      },
      write: async (m) => {
        if (versions.length > 0) await writeVersions(m, ADHERENCE_PLACEMENTS, by, link(versions, by));
        await closeAnnulled(m, ADHERENCE_PLACEMENTS, annulled);
      },
    };
  },
};
