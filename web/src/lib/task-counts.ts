import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { Session } from './session.js';

/** How many tasks each view of the inbox holds (GET /api/tasks/counts). */
export interface TaskCounts {
  readonly mine: number;
  readonly pool: number;
  readonly done: number;
}

const CHANGED = 'omsorgspakken:tasks-changed';

/** Tells the counts (in the navigation and the inbox's views) that a task command went through. */
export function tasksChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

const TASK_ROLES = [
  'fosterhjemsressurs',
  'kontaktperson',
  'leder',
  'tilsynsforer',
  'bufetat',
  'kompetansebase-veileder',
  'kompetansebase-leder',
];

/**
 * The counts of the signed-in person's inbox views, fetched on sign-in, on each page change (`path`) and
 * after each task command (`tasksChanged`); undefined for people without an inbox or before the answer.
 */
export function useTaskCounts(session: Session | null, path: string): TaskCounts | undefined {
  const [counts, setCounts] = useState<TaskCounts>();
  const [tick, setTick] = useState(0);
  const hasInbox = Boolean(session?.me.roles.some((r) => TASK_ROLES.includes(r)));
  useEffect(() => {
    const changed = () => {
      setTick((t) => t + 1);
      // The read models follow a command a moment later.
      setTimeout(() => setTick((t) => t + 1), 1500);
    };
    window.addEventListener(CHANGED, changed);
    return () => window.removeEventListener(CHANGED, changed);
  }, []);
  useEffect(() => {
    if (!hasInbox) return setCounts(undefined);
    let live = true;
    api<TaskCounts>('/api/tasks/counts').then(
      (c) => live && setCounts(c),
      () => undefined, // the counts are a convenience: the pages say what went wrong
    );
    return () => {
      live = false;
    };
  }, [hasInbox, session?.me.userId, path, tick]);
  return counts;
}
