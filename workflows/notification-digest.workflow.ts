import {
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { NotificationActivities, SendDigestsResult } from '../activities/notification.activities.js';
import { nextDailyRun } from '../libs/domain/calendar/daily.js';
import type { IsoDate } from '../libs/domain/vocabulary.js';
import { configureDigestsSignal, type DigestWorkflowInput } from './notification-contracts.js';

/** Folding the outbox and sending a page of digests; a page heartbeats after each person. */
const acts = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** People whose digest failed for now (SMTP 4xx, no answer) are tried again after these pauses (~2 h). */
const RETRY_PAUSES = ['1 minute', '2 minutes', '5 minutes', '10 minutes', '30 minutes', '1 hour'] as const;

type Counts = Record<string, number>;
const add = (total: Counts, counts: SendDigestsResult['counts']) => {
  for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + (v ?? 0);
};

/** One day's digests: fold the outbox, send page by page, then retry the transient failures on timers. */
async function runDigest(date: IsoDate): Promise<Counts> {
  const total: Counts = {};
  await acts.collectNotifications();
  let retry: SendDigestsResult['retry'] = [];
  let after: SendDigestsResult['next'] = null;
  do {
    const page: SendDigestsResult = await acts.sendDigests({ date, after });
    add(total, page.counts);
    retry = [...retry, ...page.retry];
    after = page.next;
  } while (after);
  for (const pause of RETRY_PAUSES) {
    if (retry.length === 0) break;
    await sleep(pause);
    const again = await acts.sendDigests({ date, only: retry });
    add(total, again.counts);
    retry = again.retry;
  }
  // Still failing: those digests stay unsent, and tomorrow's digest takes their notifications over.
  total.gaveUp = retry.length;
  return total;
}

/**
 * The daily digest, forever: a durable timer to the next DIGEST_HOUR:DIGEST_MINUTE in Oslo (no cron: the
 * wall-clock time holds across daylight saving), that day's digests, then continue-as-new with a fresh
 * history. A worker that is down at that time runs it when it is back (the timer has fired). Each day runs
 * once (`doneOn`); running a day twice would send nothing new anyway (digest-sender.ts).
 */
export async function notificationDigests(input: DigestWorkflowInput): Promise<void> {
  let schedule = { hour: input.hour, minute: input.minute };
  let changed = false;
  setHandler(configureDigestsSignal, (next) => {
    if (next.hour === schedule.hour && next.minute === schedule.minute) return;
    schedule = { hour: next.hour, minute: next.minute };
    changed = true;
  });

  for (;;) {
    changed = false;
    const next = nextDailyRun(new Date().toISOString(), schedule.hour, schedule.minute, input.doneOn);
    const wait = Date.parse(next.at) - Date.now();
    if (wait > 0 && (await condition(() => changed, wait))) continue; // a new time: compute the timer again
    try {
      const counts = await runDigest(next.date);
      log.info('digest done', { date: next.date, ...counts });
    } catch (error) {
      // The database or the worker was away for longer than the retries: the notifications wait for tomorrow.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('digest failed', { date: next.date, error: error.message });
    }
    return continueAsNew<typeof notificationDigests>({ ...schedule, doneOn: next.date });
  }
}
