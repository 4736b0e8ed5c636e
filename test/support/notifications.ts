import { randomUUID } from 'node:crypto';
import { createNotificationActivities } from '../../activities/notification.activities.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import { SmtpMailer } from '../../libs/notifications/index.js';
import { startTestApi, type TestApi } from './api.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

/*
 * E-mail notifications below Temporal (test/integration/notification*.spec.ts): the API in process on a
 * real PostgreSQL, a real SMTP server on loopback, and the notification activities between them, run
 * the way the workflow runs them.
 */

export const BASE = 'https://omsorg.example';
export const FROM = 'Omsorgspakken <varsel@omsorg.example>';

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;

export interface NotificationsWorld {
  readonly api: TestApi;
  readonly smtp: TestSmtp;
  readonly acts: NotificationActivities;
}

/** The API (links to BASE), the SMTP server, and the activities sending through it from FROM. */
export async function startNotifications(): Promise<NotificationsWorld> {
  const api = await startTestApi({ PUBLIC_BASE_URL: BASE });
  const smtp = await startTestSmtp();
  const acts = createNotificationActivities({
    dataSource: api.db.dataSource,
    mailer: new SmtpMailer(smtp.url),
    from: FROM,
    baseUrl: BASE,
  });
  return { api, smtp, acts };
}

/** Events appended at a clock that moves a minute each, and a day's digests sent, in `world()`. */
export function notificationHelpers(world: () => NotificationsWorld) {
  let clock = Date.parse('2026-07-01T05:00:00.000Z');

  const append = async (placementId: string, ...events: PackageEvent[]) => {
    await new EventStore(world().api.db.dataSource).append(
      { streamType: 'placement', streamId: placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
  };
  const at = () => new Date((clock += 60_000)).toISOString();
  const ev = (type: 'TaskOpened' | 'TaskDueSoon' | 'TaskOverdue', taskId: string): PackageEvent => ({
    type,
    data: { taskId, at: at() },
  });
  /** Sends the digests of `date` the way the workflow does: pages, then the transient failures again. */
  const sendDay = async (date: string, rounds = 5) => {
    const { acts } = world();
    let page = await acts.sendDigests({ date });
    const counts: Record<string, number> = {};
    const add = (c: Record<string, number | undefined>) => {
      for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + (v ?? 0);
    };
    add(page.counts);
    let retry = [...page.retry];
    while (page.next) {
      page = await acts.sendDigests({ date, after: page.next });
      add(page.counts);
      retry = [...retry, ...page.retry];
    }
    for (let round = 0; round < rounds && retry.length > 0; round++) {
      const again = await acts.sendDigests({ date, only: retry });
      add(again.counts);
      retry = [...again.retry];
    }
    return { counts, retry };
  };
  const auth = async (userId: string) => `Bearer ${await world().api.token(userId)}`;

  return { append, at, ev, sendDay, auth };
}
