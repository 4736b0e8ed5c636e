import { defaultCalendars, type CalendarSource } from '../libs/calendars/index.js';
import { type EventStore } from '../libs/event-store/index.js';
import { builtInCatalogs, type CatalogSource } from './catalogs.js';
import {
  createNotificationActivities,
  type NotificationActivities,
  type NotificationActivityDeps,
} from './notification.activities.js';
import { createKompetansebaseActivities } from './kompetansebase.activities.js';
import { createPackageActivities } from './package.activities.js';
import type { AfterAppend } from './package-store.js';
import { createSystemActivities } from './system.activities.js';

export interface ActivityDeps {
  readonly eventStore: EventStore;
  readonly catalogs?: CatalogSource;
  /** Each service's working days; absent: the Norwegian default for every service. */
  readonly calendars?: CalendarSource;
  /** Test mode only: run after each committed package append (the fault hook of the crash tests). */
  readonly afterAppend?: AfterAppend;
  /** E-mail notifications; absent (no SMTP_URL): their activities are not registered. */
  readonly notifications?: NotificationActivityDeps;
}

/** The one factory the worker calls: every activity, closed over its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
    ...createPackageActivities({
      eventStore: deps.eventStore,
      catalogs: deps.catalogs ?? builtInCatalogs(),
      calendars: deps.calendars ?? defaultCalendars(),
      ...(deps.afterAppend ? { afterAppend: deps.afterAppend } : {}),
    }),
    ...createKompetansebaseActivities({
      eventStore: deps.eventStore,
      calendars: deps.calendars ?? defaultCalendars(),
      ...(deps.afterAppend ? { afterAppend: deps.afterAppend } : {}),
    }),
    ...(deps.notifications
      ? createNotificationActivities(deps.notifications)
      : ({} as Partial<NotificationActivities>)),
  };
}

export type Activities = ReturnType<typeof createActivities>;
