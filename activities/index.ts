import { type EventStore } from '../libs/event-store/index.js';
import { createSystemActivities } from './system.activities.js';

export interface ActivityDeps {
  readonly eventStore: EventStore;
}

/** The one factory the worker calls: every activity, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
