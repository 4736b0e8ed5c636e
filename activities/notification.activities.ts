import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { IsoDate } from '../libs/domain/vocabulary.js';
import {
  collectNotifications,
  DigestSender,
  RetryableSendError,
  type DigestStatus,
  type Mailer,
  type PersonRef,
} from '../libs/notifications/index.js';

export interface NotificationActivityDeps {
  readonly dataSource: DataSource;
  readonly mailer: Mailer;
  /** MAIL_FROM. */
  readonly from: string;
  /** PUBLIC_BASE_URL. */
  readonly baseUrl: string;
  /** Test seam (see DigestSender): after SMTP accepted, before `sent` is recorded. */
  readonly afterAccepted?: (mailId: string) => Promise<void> | void;
}

export interface SendDigestsInput {
  /** The Oslo day of the digest. */
  readonly date: IsoDate;
  /** Page through everyone with pending notifications, after this person (keyset)… */
  readonly after?: PersonRef | null;
  readonly limit?: number;
  /** …or send to exactly these people (the workflow's retry of transient failures). */
  readonly only?: readonly PersonRef[];
}

export interface SendDigestsResult {
  /** The last person of a full page: pass as `after` for the next page; null when done. */
  readonly next: PersonRef | null;
  readonly counts: Readonly<Partial<Record<DigestStatus | 'resent', number>>>;
  /** People whose digest failed for now (SMTP 4xx, no answer, another attempt running): try again later. */
  readonly retry: readonly PersonRef[];
}

/**
 * The daily digest's side effects. Each is idempotent: collecting is a checkpointed consumer, and a
 * digest has one row per person and day whose state says whether it went out (libs/notifications/
 * digest-sender.ts has the exact guarantees). Inputs and results carry opaque user ids and counts only:
 * no e-mail address, no task, nothing about a child reaches workflow history.
 */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  const sender = new DigestSender(deps.dataSource, deps.mailer, {
    from: deps.from,
    baseUrl: deps.baseUrl,
    afterAccepted: deps.afterAccepted,
  });

  return {
    /** Folds the events committed so far into the notification outbox. */
    async collectNotifications(): Promise<{ events: number; notifications: number }> {
      return collectNotifications(deps.dataSource);
    },

    async sendDigests(input: SendDigestsInput): Promise<SendDigestsResult> {
      const limit = input.limit ?? 20;
      let people: readonly PersonRef[];
      if (input.only) people = input.only;
      else {
        const after = input.after;
        const rows = await deps.dataSource.query<{ recipient_issuer: string; recipient_id: string }[]>(
          `SELECT DISTINCT recipient_issuer, recipient_id FROM notifications
            WHERE state = 'pending' AND ($1::text IS NULL OR (recipient_issuer, recipient_id) > ($1, $2))
            ORDER BY 1, 2 LIMIT $3`,
          [after?.issuer ?? null, after?.userId ?? null, limit],
        );
        people = rows.map((r) => ({ issuer: r.recipient_issuer, userId: r.recipient_id }));
      }
      const counts: Partial<Record<DigestStatus | 'resent', number>> = {};
      const retry: PersonRef[] = [];
      for (const person of people) {
        try {
          const result = await sender.send(person, input.date);
          counts[result.status] = (counts[result.status] ?? 0) + 1;
          if (result.resent) counts.resent = (counts.resent ?? 0) + 1;
        } catch (error) {
          if (!(error instanceof RetryableSendError)) throw error;
          retry.push(person);
        }
        heartbeat();
      }
      return {
        next: !input.only && people.length === limit ? (people[people.length - 1] ?? null) : null,
        counts,
        retry,
      };
    },
  };
}

/** Heartbeats when running as an activity (and is a no-op when called directly, as tests do). */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // not inside an activity
  }
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
