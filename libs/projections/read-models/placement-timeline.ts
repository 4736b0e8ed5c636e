import type { PackageEvent } from '../../domain/events.js';
import type { ReadModel } from '../read-model.js';
import { table, upsert, type RowOf } from '../table.js';

/*
 * `placement_timeline`: one row per event of a placement, codes and dates only. Written once: a row
 * already there is kept (an event applied again writes nothing new).
 */
export const PLACEMENT_TIMELINE = table('placement_timeline', {
  placement_id: { type: 'uuid', primary: true },
  stream_version: { type: 'integer', primary: true },
  global_position: { type: 'bigint' },
  type: { type: 'text' },
  /** When it happened (the event's `at`). */
  at: { type: 'timestamptz' },
  task_id: { type: 'text', nullable: true },
  details: { type: 'jsonb' },
});
export type TimelineRow = RowOf<typeof PLACEMENT_TIMELINE>;

/**
 * A timeline entry names the fields it keeps, one by one, so nothing new in an event reaches the
 * timeline unseen: codes, dates and opaque ids only. A completion's note is shown as present or not.
 */
function timelineDetails(event: PackageEvent): Record<string, unknown> {
  switch (event.type) {
    case 'PlacementRegistered': {
      const { facts, catalogVersion, followUp, by } = event.data;
      return {
        placementType: facts.placementType,
        placementDate: facts.placementDate,
        catalogVersion,
        ...(followUp ? { followUp } : {}),
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
      const { reason, by, coSignedBy, requestId, requestedAt } = event.data;
      return {
        reason,
        by,
        ...(coSignedBy ? { coSignedBy } : {}),
        ...(requestId ? { requestId } : {}),
        ...(requestedAt ? { requestedAt } : {}),
      };
    }
    case 'WaiverRequested': {
      // The justification stays in the personal-data store: only that there is one, by its id.
      const { requestId, reason, by } = event.data;
      return { requestId, reason, by };
    }
    case 'WaiverDeclined': {
      const { requestId, by, requestedBy } = event.data;
      return { requestId, by, requestedBy, hasReason: true };
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
    case 'OrdinaryYearPlanned': {
      const { year, from, required } = event.data;
      return { year, from, required };
    }
    case 'SupervisionEndSet':
      return { month: event.data.month, by: event.data.by };
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

export const placementTimelineReadModel: ReadModel = {
  table: PLACEMENT_TIMELINE,
  batch: () => {
    const rows: TimelineRow[] = [];
    return {
      event: (e) => rows.push(timelineRow(e.placementId, e.streamVersion, e.globalPosition, e.event)),
      write: (m) => upsert(m, PLACEMENT_TIMELINE, rows, 'nothing'),
    };
  },
};
