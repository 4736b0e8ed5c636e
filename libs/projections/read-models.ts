import { osloWallClock } from '../domain/calendar/oslo-time.js';
import type { PackageEvent } from '../domain/events.js';
import { evolve, type PackageState, type TaskState } from '../domain/package/state.js';
import { statutoryLedger } from '../domain/statutory/ledger.js';
import { type EndReason, type IsoDate, type IsoInstant, type StatutoryKind } from '../domain/vocabulary.js';

/*
 * Pure mapping from a placement's folded state to read-model rows. The projector (projector.ts) folds
 * events with the domain's `evolve` and writes what these functions return; no clock, no I/O here.
 * Row objects use the tables' column names, so they go to SQL as they are (jsonb_to_recordset).
 */

/** What the projector keeps per placement: the domain's state plus what `evolve` does not keep. */
export interface ProjectedPlacement {
  readonly package: PackageState;
  /** From PlacementEnded (PackageState records only the status). */
  readonly endedOn: IsoDate | null;
  readonly endReason: EndReason | null;
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

export const INBOX_STATUSES = [
  'planned',
  'open',
  'due-soon',
  'overdue',
  'completed',
  'waived',
  'cancelled',
] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** An open task shows its most urgent flag: overdue, else due soon (reminder sent), else open. */
export function inboxStatus(task: Pick<TaskState, 'status' | 'overdue' | 'dueSoon'>): InboxStatus {
  if (task.status !== 'open') return task.status;
  if (task.overdue) return 'overdue';
  return task.dueSoon ? 'due-soon' : 'open';
}

export interface PlacementRow {
  readonly placement_id: string;
  readonly child_ref: string;
  readonly service_id: string;
  readonly municipality_id: string;
  readonly placement_type: string;
  readonly placement_date: IsoDate;
  readonly catalog_version: string;
  readonly status: string;
  readonly paused_from: IsoDate | null;
  readonly version: number;
  readonly registered_at: IsoInstant;
  readonly ended_on: IsoDate | null;
  readonly end_reason: string | null;
  readonly updated_at: string;
}

export function placementRow(p: ProjectedPlacement, updatedAt: string): PlacementRow {
  const s = p.package;
  return {
    placement_id: s.placementId,
    child_ref: s.childRef,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    placement_type: s.facts.placementType,
    placement_date: s.facts.placementDate,
    catalog_version: s.catalogVersion,
    status: s.status,
    paused_from: s.pausedFrom ?? null,
    version: s.version,
    registered_at: s.registeredAt,
    ended_on: p.endedOn,
    end_reason: p.endReason,
    updated_at: updatedAt,
  };
}

export interface TaskRow {
  readonly placement_id: string;
  readonly task_id: string;
  readonly step_id: string;
  readonly occurrence: number;
  readonly title: string;
  readonly track: string;
  readonly role: string;
  readonly origin: string;
  readonly assignee_id: string | null;
  readonly opens_on: IsoDate;
  readonly due_on: IsoDate;
  readonly nominal_due_on: IsoDate;
  readonly status: InboxStatus;
  readonly escalated: boolean;
  readonly completed_on: IsoDate | null;
  readonly outcome: string | null;
  readonly waiver_reason: string | null;
  readonly statutory: StatutoryKind | null;
  readonly catalog_version: string;
  readonly service_id: string;
  readonly municipality_id: string;
  readonly child_ref: string;
  readonly updated_at: string;
}

export function taskRow(s: PackageState, t: TaskState, updatedAt: string): TaskRow {
  return {
    placement_id: s.placementId,
    task_id: t.taskId,
    step_id: t.stepId,
    occurrence: t.occurrence,
    title: t.title,
    track: t.track,
    role: t.role,
    origin: t.origin,
    assignee_id: t.assigneeId,
    opens_on: t.opensOn,
    due_on: t.dueOn,
    nominal_due_on: t.nominalDueOn,
    status: inboxStatus(t),
    escalated: t.escalated,
    completed_on: t.completedOn ?? null,
    outcome: t.outcome ?? null,
    waiver_reason: t.waiverReason ?? null,
    statutory: t.statutory ?? null,
    catalog_version: t.catalogVersion,
    service_id: s.organisation.serviceId,
    municipality_id: s.organisation.municipalityId,
    child_ref: s.childRef,
    updated_at: updatedAt,
  };
}

/** The tasks an event changes (their inbox rows are rewritten). */
export function touchedTaskIds(event: PackageEvent): readonly string[] {
  if (event.type === 'TasksPlanned') return event.data.tasks.map((t) => t.taskId);
  return 'taskId' in event.data ? [event.data.taskId] : [];
}

export interface TimelineRow {
  readonly placement_id: string;
  readonly stream_version: number;
  readonly global_position: string;
  readonly type: string;
  readonly at: IsoInstant;
  readonly task_id: string | null;
  readonly details: Record<string, unknown>;
}

/**
 * A timeline entry names the fields it keeps, one by one, so nothing new in an event reaches the
 * timeline unseen: codes, dates and opaque ids only. A completion's note is shown as present or not.
 */
function timelineDetails(event: PackageEvent): Record<string, unknown> {
  switch (event.type) {
    case 'PlacementRegistered': {
      const { facts, catalogVersion, by } = event.data;
      return {
        placementType: facts.placementType,
        placementDate: facts.placementDate,
        catalogVersion,
        by,
      };
    }
    case 'TasksPlanned':
      return { reason: event.data.reason, taskIds: event.data.tasks.map((t) => t.taskId) };
    case 'TaskOpened':
    case 'TaskDueSoon':
    case 'TaskOverdue':
      return {};
    case 'TaskEscalated':
      return { toRole: event.data.toRole };
    case 'TaskCompleted': {
      const { completedOn, outcome, noteRef, by } = event.data;
      return { completedOn, outcome, hasNote: noteRef !== undefined, by };
    }
    case 'TaskWaived': {
      const { reason, by, coSignedBy } = event.data;
      return coSignedBy ? { reason, by, coSignedBy } : { reason, by };
    }
    case 'TaskReassigned': {
      const { assigneeId, role, by } = event.data;
      return { assigneeId, role, by };
    }
    case 'TaskRescheduled': {
      const { opensOn, dueOn, nominalDueOn, reason } = event.data;
      return { opensOn, dueOn, nominalDueOn, reason };
    }
    case 'TaskCancelled':
      return { reason: event.data.reason };
    case 'PlacementDateChanged': {
      const { from, to, by } = event.data;
      return { from, to, by };
    }
    case 'PlacementTypeChanged': {
      const { from, to, legalBasis, by } = event.data;
      return { from, to, ...(legalBasis ? { legalBasis } : {}), by };
    }
    case 'ReductionRecorded': {
      const { decision, by } = event.data;
      return {
        kind: decision.kind,
        minimumPerYear: decision.minimumPerYear,
        effectiveFrom: decision.effectiveFrom,
        by,
      };
    }
    case 'PlacementPaused': {
      const { reason, from, by } = event.data;
      return { reason, from, by };
    }
    case 'PlacementResumed': {
      const { on, pausedDays, by } = event.data;
      return { on, pausedDays, by };
    }
    case 'PlacementEnded': {
      const { endedOn, reason, by } = event.data;
      return { endedOn, reason, by };
    }
    case 'PackageCompleted':
      return {};
  }
}

export function timelineRow(
  placementId: string,
  streamVersion: number,
  globalPosition: string,
  event: PackageEvent,
): TimelineRow {
  return {
    placement_id: placementId,
    stream_version: streamVersion,
    global_position: globalPosition,
    type: event.type,
    at: event.data.at,
    task_id: 'taskId' in event.data ? event.data.taskId : null,
    details: timelineDetails(event),
  };
}

export interface LedgerRow {
  readonly placement_id: string;
  readonly child_ref: string;
  readonly service_id: string;
  readonly municipality_id: string;
  readonly year: number;
  readonly kind: StatutoryKind;
  readonly active_days: number;
  readonly required: number;
  readonly planned: number;
  readonly completed: number;
  readonly waived: number;
}

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
