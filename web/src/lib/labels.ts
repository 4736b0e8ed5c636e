import {
  legalBasisOf as dictatedBasis,
  PLACEMENT_TYPES,
  type LegalBasis,
  type PlacementType,
} from '../../../libs/domain/vocabulary.js';

/*
 * Norwegian words for the API's codes. The domain's words are declared once, in libs/domain/labels.ts,
 * for the screens and the API's reports alike; the rest are the web app's own.
 */
export {
  END_REASON_LABEL,
  LEDGER_KIND_LABEL,
  LEGAL_BASIS_LABEL,
  OUTCOME_LABEL,
  PAUSE_REASON_LABEL,
  PLACEMENT_STATUS_LABEL,
  PLACEMENT_TYPE_LABEL,
  RISK_LEVEL_LABEL,
  ROLE_LABEL,
  STATUS_LABEL,
  TRACK_LABEL,
  WAIVE_REASON_LABEL,
} from '../../../libs/domain/labels.js';
export { LEGAL_BASES, PLACEMENT_TYPES, TRACKS } from '../../../libs/domain/vocabulary.js';

/** The legal basis a placement type (as a form holds it) dictates, or null when it may be either. */
export const legalBasisOf = (type: string): LegalBasis | null =>
  (PLACEMENT_TYPES as readonly string[]).includes(type) ? dictatedBasis(type as PlacementType) : null;

export const ACCESS_OUTCOME_LABEL: Record<string, string> = {
  allowed: 'Tillatt',
  forbidden: 'Avvist',
  hidden: 'Skjult (ikke tilgang)',
  unauthenticated: 'Ikke innlogget',
};

/** Who a task is with: the role's pool, you, or the assignee by name (by id when no name is known). */
export const assigneeLabel = (
  task: { assigneeId: string | null; assigneeName?: string },
  me: { userId: string },
) =>
  task.assigneeId === null
    ? 'Felles kø'
    : task.assigneeId === me.userId
      ? 'Deg'
      : (task.assigneeName ?? task.assigneeId);

/** A short, non-identifying name for a placement (its id's first characters). */
export const placementName = (placementId: string) => `Plassering ${placementId.slice(0, 8)}`;

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat('nb-NO', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso));
}

export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  return `${(rate * 100).toLocaleString('nb-NO', { maximumFractionDigits: 1 })} %`;
}
