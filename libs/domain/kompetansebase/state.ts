import type { AssignmentEvent } from './events.js';
import type { PlannedAssignmentTask } from './plan.js';
import type {
  AssignmentStatus,
  DeclineReason,
  FamilyRef,
  IsoDate,
  OrderOrigin,
  RequestType,
  Urgency,
  WaitReason,
} from './vocabulary.js';

export interface AssignmentTaskState extends PlannedAssignmentTask {
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly overdue: boolean;
  readonly escalated: boolean;
  readonly completedOn?: IsoDate;
  readonly late?: boolean;
  readonly twoCounsellors?: boolean;
  readonly attendance?: Readonly<Record<FamilyRef, boolean>>;
}

/** One assignment: the fold of its stream. */
export interface AssignmentState {
  readonly assignmentId: string;
  readonly origin: OrderOrigin;
  readonly requestType: RequestType;
  readonly urgency: Urgency;
  readonly families: readonly FamilyRef[];
  readonly catalogVersion: string;
  readonly status: AssignmentStatus;
  readonly orderedOn: IsoDate;
  readonly acceptedOn?: IsoDate;
  readonly waitReason?: WaitReason;
  readonly declineReason?: DeclineReason;
  readonly evaluationOn?: IsoDate;
  readonly closedOn?: IsoDate;
  readonly familyGroupConference?: boolean;
  readonly tasks: Readonly<Record<string, AssignmentTaskState>>;
  /** Events folded so far: the stream version. */
  readonly version: number;
}

const withTask = (
  s: AssignmentState,
  taskId: string,
  change: (t: AssignmentTaskState) => AssignmentTaskState,
): AssignmentState => {
  const task = s.tasks[taskId];
  if (!task) throw new Error(`Event on unknown task ${taskId}`);
  return { ...s, tasks: { ...s.tasks, [taskId]: change(task) } };
};

/** Folds one event into the state (the first must be AssignmentOrdered). */
export function evolveAssignment(s: AssignmentState | undefined, event: AssignmentEvent): AssignmentState {
  if (event.type === 'AssignmentOrdered') {
    if (s) throw new Error('AssignmentOrdered on an existing assignment');
    const d = event.data;
    return {
      assignmentId: d.assignmentId,
      origin: d.origin,
      requestType: d.requestType,
      urgency: d.urgency,
      families: d.families ?? [],
      catalogVersion: d.catalogVersion,
      status: 'bestilt',
      orderedOn: d.orderedOn,
      tasks: {},
      version: 1,
    };
  }
  if (!s) throw new Error(`${event.type} before AssignmentOrdered`);
  const next = ((): AssignmentState => {
    switch (event.type) {
      case 'AssignmentTaskOpened': {
        const t = event.data.task;
        return {
          ...s,
          tasks: { ...s.tasks, [t.taskId]: { ...t, status: 'open', overdue: false, escalated: false } },
        };
      }
      case 'AssignmentTaskCompleted': {
        const d = event.data;
        return withTask(s, d.taskId, (t) => ({
          ...t,
          status: 'completed',
          completedOn: d.completedOn,
          late: d.late,
          ...(d.twoCounsellors !== undefined ? { twoCounsellors: d.twoCounsellors } : {}),
          ...(d.attendance ? { attendance: d.attendance } : {}),
        }));
      }
      case 'AssignmentTaskCancelled':
        return withTask(s, event.data.taskId, (t) => ({ ...t, status: 'cancelled' }));
      case 'AssignmentTaskOverdue':
        return withTask(s, event.data.taskId, (t) => ({ ...t, overdue: true }));
      case 'AssignmentTaskEscalated':
        return withTask(s, event.data.taskId, (t) => ({ ...t, escalated: true }));
      case 'AssignmentAccepted':
        return { ...s, status: 'aktiv', acceptedOn: event.data.acceptedOn };
      case 'AssignmentDeclined':
        return { ...s, status: 'avslatt', declineReason: event.data.reason };
      case 'AssignmentWaiting':
        return { ...s, status: 'venter', waitReason: event.data.reason };
      case 'EvaluationDateAgreed':
        return { ...s, evaluationOn: event.data.evaluationOn };
      case 'AssignmentClosed':
        return {
          ...s,
          status: 'avsluttet',
          closedOn: event.data.closedOn,
          familyGroupConference: event.data.familyGroupConference,
        };
    }
  })();
  return { ...next, version: s.version + 1 };
}

export const foldAssignment = (events: readonly AssignmentEvent[]): AssignmentState | undefined =>
  events.reduce<AssignmentState | undefined>(evolveAssignment, undefined);

export const openAssignmentTasks = (s: AssignmentState): AssignmentTaskState[] =>
  Object.values(s.tasks).filter((t) => t.status === 'open');

/** In the base's queue: ordered and not yet accepted or declined. */
export const isQueued = (s: AssignmentState): boolean => s.status === 'bestilt' || s.status === 'venter';

/** Finished: nothing more happens to it. */
export const isFinished = (s: AssignmentState): boolean => s.status === 'avsluttet' || s.status === 'avslatt';
