import { TASK_ROLES, type IsoInstant } from '../../vocabulary.js';
import { isIsoDate, osloDateOf } from '../clock.js';
import { reject } from '../rejection.js';
import { isFinal, type PackageState, type TaskState } from '../state.js';

/*
 * The checks every decider makes, refusing with a CommandRejected (code, bokmål message, field).
 */

/** Work can be recorded as done up to this many days before move-in (pre-move-in steps). */
export const EARLIEST_BEFORE_PLACEMENT_DAYS = 60;

export const oneOf = <T extends string>(
  values: readonly T[],
  value: unknown,
  field: string,
  what: string,
): T =>
  (values as readonly unknown[]).includes(value) ? (value as T) : reject('invalid', `Ukjent ${what}.`, field);

export function requireActive(state: PackageState): void {
  if (state.status === 'ended' || state.status === 'completed') {
    reject('conflict', 'Plasseringen er avsluttet.');
  }
}

export function requireOpenTask(state: PackageState, taskId: unknown): TaskState {
  const task = typeof taskId === 'string' ? state.tasks[taskId] : undefined;
  if (!task) return reject('not-found', 'Fant ingen slik oppgave.', 'taskId');
  if (isFinal(task)) reject('conflict', 'Oppgaven er allerede lukket.', 'taskId');
  return task;
}

export function requireDate(value: unknown, field: string): string {
  if (!isIsoDate(value)) reject('invalid', 'Må være en gyldig dato (ÅÅÅÅ-MM-DD).', field);
  return value;
}

export function requireNotFuture(date: string, now: IsoInstant, field: string): void {
  if (date > osloDateOf(now)) reject('invalid', 'Datoen kan ikke være i fremtiden.', field);
}

export const requireRole = (value: unknown) => oneOf(TASK_ROLES, value, 'role', 'rolle');
