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
  REQUEST_TYPE_LABEL,
  RISK_LEVEL_LABEL,
  ROLE_LABEL,
  STATUS_LABEL,
  TRACK_LABEL,
  WAIVE_REASON_LABEL,
} from '../../../libs/domain/labels.js';
export { ANNULLED, LEGAL_BASES, PLACEMENT_TYPES, TRACKS } from '../../../libs/domain/vocabulary.js';

/** The legal basis a placement type (as a form holds it) dictates, or null when it may be either. */
export const legalBasisOf = (type: string): LegalBasis | null =>
  (PLACEMENT_TYPES as readonly string[]).includes(type) ? dictatedBasis(type as PlacementType) : null;

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

/**
 * A placement's name: the service's own case number where the reader may see it (staff of the owning
 * service), otherwise a short, non-identifying one (its id's first characters).
 */
export const placementName = (placementId: string, caseNumber?: string | null) =>
  caseNumber ? `Sak ${caseNumber}` : `Plassering ${placementId.slice(0, 8)}`;

/** What a kompetansebase assignment's task belongs to: the request type and the ordering service. */
export const assignmentName = (a: { requestTypeLabel: string; orderingServiceName?: string }) =>
  `Kompetansebase: ${a.requestTypeLabel}${a.orderingServiceName ? ` (${a.orderingServiceName})` : ''}`;

/** Where an assignment's steps are done. */
export const assignmentHref = (assignmentId: string) =>
  `/kompetansebase/oppdrag/${encodeURIComponent(assignmentId)}`;

/** What a case number may look like (the API's rule, checked in the page first). */
export const CASE_NUMBER_PATTERN = /^[A-Za-z0-9ÆØÅæøå](?:[A-Za-z0-9ÆØÅæøå/. -]{0,28}[A-Za-z0-9ÆØÅæøå])?$/;
export const CASE_NUMBER_HINT = 'Saksnummeret i fagsystemet, f.eks. 2026/1234 (bokstaver, sifre, /, - og .).';

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
