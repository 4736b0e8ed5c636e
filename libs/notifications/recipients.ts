import { can, type Scoped, type TaskResource } from '../security/access.js';

/*
 * Who is told about a task. Pure: the people come in as principals (libs/notifications/people.ts builds
 * them from the `people` table), the decision is the access function's (libs/security/access.ts) plus
 * "is it theirs": nobody is told about a task they may not see, and seeing a task is not enough either
 * (a caseworker sees every task of the service but is told only about their own and their pool's).
 */

/**
 * What a notification says about a task. The reminder before the due date *is* TaskDueSoon (see
 * libs/domain/events.ts), so there are three kinds, one per deadline event of the engine.
 */
export const NOTIFICATION_KINDS = ['due-soon', 'overdue', 'escalated'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The facts about a task that decide who hears about it (kept on each outbox row, updated as it changes). */
export interface TaskFacts {
  /** The owning service of a placement's task; null for a kompetansebase assignment's. */
  readonly serviceId: string | null;
  /** The role whose pool the task is in. */
  readonly role: string;
  /** null: in the role's shared pool. */
  readonly assigneeId: string | null;
  readonly bufetatHelp: boolean;
  /** A kompetansebase assignment's task: the network of the base that works it. */
  readonly baseNetwork?: string;
}

const resourceOf = (task: TaskFacts): TaskResource => ({
  kind: 'task',
  serviceId: task.serviceId,
  // The access function decides on service, role, assignment and Bufetat help; the child reference only
  // labels access-log lines. The outbox keeps no child reference, so none is passed here.
  childRef: '',
  bufetatHelp: task.bufetatHelp,
  role: task.role,
  assigneeId: task.assigneeId,
  ...(task.baseNetwork !== undefined ? { baseNetwork: task.baseNetwork } : {}),
});

/**
 * Whether `person` is told about `task` for a notification of `kind`:
 * - due-soon and overdue: the assignee; a task in a role's pool: everyone with that role who may see it
 *   (its owning service; fosterhjemsressurs also the services of their learning network; bufetat when the
 *   service asked Bufetat for help), exactly as the access function decides;
 * - escalated: the leaders (`leder`) of the owning service; for a kompetansebase assignment's task, the
 *   leader (`kompetansebase-leder`) of the base that works it.
 */
export function isRecipient(kind: NotificationKind, task: TaskFacts, person: Scoped): boolean {
  if (can(person, 'task:read', resourceOf(task)) !== 'allow') return false;
  if (kind === 'escalated' && task.baseNetwork !== undefined)
    return person.roles.includes('kompetansebase-leder') && person.network === task.baseNetwork;
  if (kind === 'escalated') return person.roles.includes('leder') && person.organisation === task.serviceId;
  if (task.assigneeId !== null) return task.assigneeId === person.userId;
  return (person.roles as readonly string[]).includes(task.role);
}

/** The recipients among `people`, in their given order. */
export function recipientsOf(kind: NotificationKind, task: TaskFacts, people: readonly Scoped[]): Scoped[] {
  return people.filter((person) => isRecipient(kind, task, person));
}
