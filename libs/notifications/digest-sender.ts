import type { DataSource } from 'typeorm';
import type { IsoDate } from '../domain/vocabulary.js';
import { deterministicId } from '../event-store/ids.js';
import { renderDigest, type DigestItem } from './digest.js';
import { classifySmtpError, type Mailer, type SmtpFailure } from './mailer.js';
import { activePerson, type PersonRef } from './people.js';
import { isRecipient, type NotificationKind } from './recipients.js';

/*
 * Sends a person's daily digest: at most one mail per person per Oslo day, made of their pending
 * notifications, each notification in at most one mail.
 *
 * The digest of (person, day) has a deterministic id, uuidv5('digest', issuer, user, day), and so a
 * deterministic Message-ID. Its row in `sent_mails` goes through these states:
 *
 *   (none) ──claim──▶ queued ──attempt──▶ sending ──SMTP 250, recorded──▶ sent
 *                       ▲                   │ 4xx: recorded ─▶ queued (retry)
 *                       │                   │ 5xx: recorded ─▶ rejected
 *                       │                   │ no answer / crash: stays sending (outcome unknown)
 *   next day's claim: queued, sending or rejected of an earlier day ─▶ abandoned, notifications released
 *
 * 1. Claim (one transaction): the person's pending notifications that are not in a mail yet are re-checked
 *    (still theirs and visible to them: libs/notifications/recipients.ts; others become obsolete), the
 *    digest row is written `queued`, and the notifications are tied to it (notifications.mail_id). From
 *    then on the mail's content is fixed: a retry renders the same text.
 * 2. Attempt: under a lock on the digest (a transaction-scoped advisory lock held for the whole attempt, so
 *    two attempts of the same digest never overlap, e.g. a retry started while a timed-out attempt still
 *    runs), the row is read again. `sent`: nothing to do. Otherwise it is marked `sending` (committed)
 *    *before* SMTP, then the message goes out, then `sent` is committed together with its notifications.
 *
 * What is guaranteed:
 * - A digest recorded `sent` is never sent again, whatever retries, re-runs of the day or replays follow;
 *   a notification is in one digest only. So a retry after a transient SMTP failure (4xx: the server
 *   refused the message, which we record as `queued`) sends it once, when the server takes it.
 * - Nothing is dropped silently: a digest that is not `sent` is attempted again by the retries of the
 *   activity, and if they all fail, its notifications go into the next day's digest.
 * - The one window where a mail can go out twice is between the SMTP server's 250 and our commit of `sent`
 *   (a crash, a lost database connection), or a connection lost after the message body and before the
 *   server's reply. The state is then still `sending`, and the next attempt sends again: at-least-once at
 *   the SMTP hop, by choice, because a lost overdue warning is worse than a repeated one. The repeat has
 *   the same Message-ID, which lets mail systems and clients recognise it as the same message.
 */

export type DigestStatus =
  /** Sent by this call. */
  | 'sent'
  /** Sent earlier (a retry or a second run of the day). */
  | 'already-sent'
  /** Nothing to tell. */
  | 'nothing'
  /** The SMTP server refused the address for good (5xx); the notifications wait for the next day. */
  | 'rejected'
  /** A later day's digest took the notifications over. */
  | 'abandoned'
  /** Unknown, idle or no address or digest switched off: the notifications are dropped (obsolete). */
  | 'no-recipient';

export interface DigestResult {
  readonly status: DigestStatus;
  readonly mailId?: string;
  readonly notifications: number;
  /** The previous attempt's outcome was unknown and this one sent it again (the at-least-once window). */
  readonly resent?: boolean;
}

/** The attempt failed and should be retried (SMTP 4xx, or no answer: maybe sent, see above). */
export class RetryableSendError extends Error {
  constructor(
    readonly failure: SmtpFailure | 'in-progress',
    readonly code: string,
  ) {
    super(
      failure === 'in-progress'
        ? 'another attempt of this digest is running'
        : `SMTP ${failure === 'transient' ? 'refused the message for now' : 'gave no answer'} (${code})`,
    );
    this.name = 'RetryableSendError';
  }
}

export interface DigestSenderOptions {
  /** MAIL_FROM. */
  readonly from: string;
  /** PUBLIC_BASE_URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Test seam: runs after the SMTP server accepted a message and before `sent` is recorded. */
  readonly afterAccepted?: (mailId: string) => Promise<void> | void;
}

/** Fixed key space of the per-digest advisory lock (pg_try_advisory_xact_lock(int, int)). */
const SEND_LOCK = 7_246_311;

const mailDomain = (from: string) => /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'omsorgspakken.invalid';

export const digestMailId = (person: PersonRef, date: IsoDate): string =>
  deterministicId('digest', person.issuer, person.userId, date);

export class DigestSender {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly options: DigestSenderOptions,
  ) {}

  /** Everyone with a pending notification, in a stable order. */
  async recipients(): Promise<PersonRef[]> {
    const rows = await this.dataSource.query<{ recipient_issuer: string; recipient_id: string }[]>(
      `SELECT DISTINCT recipient_issuer, recipient_id FROM notifications WHERE state = 'pending' ORDER BY 1, 2`,
    );
    return rows.map((r) => ({ issuer: r.recipient_issuer, userId: r.recipient_id }));
  }

  /** The person's digest of `date` (an Oslo day): claims it if need be, then sends it unless it was sent. */
  async send(person: PersonRef, date: IsoDate): Promise<DigestResult> {
    const mailId = digestMailId(person, date);
    const claimed = await this.claim(person, date, mailId);
    if (claimed) return claimed;
    return this.attempt(mailId);
  }

  /** Step 1. Returns a result when there is nothing to attempt. */
  private async claim(person: PersonRef, date: IsoDate, mailId: string): Promise<DigestResult | undefined> {
    return this.dataSource.transaction(async (m) => {
      // Serialises claims for one person (two runs of the day at once claim once).
      const [row] = await m.query<{ email: string | null; digest: string }[]>(
        `SELECT email, digest FROM people WHERE issuer = $1 AND user_id = $2 FOR UPDATE`,
        [person.issuer, person.userId],
      );
      const [existing] = await m.query<{ state: string }[]>(
        `SELECT state FROM sent_mails WHERE mail_id = $1`,
        [mailId],
      );
      if (existing) {
        if (existing.state === 'queued' || existing.state === 'sending') return undefined;
        return {
          status: existing.state === 'sent' ? 'already-sent' : (existing.state as 'rejected' | 'abandoned'),
          mailId,
          notifications: 0,
        };
      }
      // An earlier day's digest that never got out: its notifications come along today.
      // (In a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].)
      const released = await m.query<{ mail_id: string }[]>(
        `WITH a AS (
           UPDATE sent_mails SET state = 'abandoned', updated_at = now()
            WHERE recipient_issuer = $1 AND recipient_id = $2 AND digest_date < $3::date
              AND state IN ('queued', 'sending', 'rejected')
           RETURNING mail_id)
         SELECT mail_id FROM a`,
        [person.issuer, person.userId, date],
      );
      if (released.length > 0)
        await m.query(
          `UPDATE notifications SET mail_id = NULL WHERE mail_id = ANY($1::uuid[]) AND state = 'pending'`,
          [released.map((r) => r.mail_id)],
        );

      const candidates = await m.query<
        {
          notification_id: string;
          kind: NotificationKind;
          service_id: string | null;
          task_role: string;
          assignee_id: string | null;
          bufetat_help: boolean;
          base_network_id: string | null;
        }[]
      >(
        `SELECT notification_id, kind, service_id::text AS service_id, task_role, assignee_id, bufetat_help,
                base_network_id::text AS base_network_id
           FROM notifications
          WHERE recipient_issuer = $1 AND recipient_id = $2 AND state = 'pending' AND mail_id IS NULL
          ORDER BY notification_id
          FOR UPDATE`,
        [person.issuer, person.userId],
      );
      if (candidates.length === 0) return { status: 'nothing', notifications: 0 };

      const principal = row?.email && row.digest !== 'off' ? await activePerson(m, person) : undefined;
      const keep = principal
        ? candidates.filter((c) =>
            isRecipient(
              c.kind,
              {
                serviceId: c.service_id,
                role: c.task_role,
                assigneeId: c.assignee_id,
                bufetatHelp: c.bufetat_help,
                ...(c.base_network_id ? { baseNetwork: c.base_network_id } : {}),
              },
              principal,
            ),
          )
        : [];
      const keepIds = new Set(keep.map((c) => c.notification_id));
      const drop = candidates.filter((c) => !keepIds.has(c.notification_id)).map((c) => c.notification_id);
      if (drop.length > 0)
        await m.query(`UPDATE notifications SET state = 'obsolete' WHERE notification_id = ANY($1::uuid[])`, [
          drop,
        ]);
      if (!principal || !row?.email) return { status: 'no-recipient', notifications: 0 };
      if (keep.length === 0) return { status: 'nothing', notifications: 0 };

      await m.query(
        `INSERT INTO sent_mails (mail_id, message_id, recipient_issuer, recipient_id, digest_date, address, state)
         VALUES ($1, $2, $3, $4, $5::date, $6, 'queued')`,
        [
          mailId,
          `<digest-${mailId}@${mailDomain(this.options.from)}>`,
          person.issuer,
          person.userId,
          date,
          row.email,
        ],
      );
      await m.query(`UPDATE notifications SET mail_id = $1 WHERE notification_id = ANY($2::uuid[])`, [
        mailId,
        [...keepIds],
      ]);
      return undefined;
    });
  }

  /**
   * Step 2: one attempt under the digest's lock. It holds two pooled connections (the lock's transaction,
   * and the short transactions that record the state, which must commit on their own): fine for the
   * digest workflow, which sends one page of digests at a time, one digest after the other.
   */
  private async attempt(mailId: string): Promise<DigestResult> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      const [got] = (await lock.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [
        SEND_LOCK,
        mailId,
      ])) as { locked: boolean }[];
      if (!got?.locked) throw new RetryableSendError('in-progress', 'LOCKED');
      return await this.attemptLocked(mailId);
    } finally {
      // Ending the transaction releases the lock (so does a lost connection).
      await lock.rollbackTransaction().catch(() => undefined);
      await lock.release();
    }
  }

  private async attemptLocked(mailId: string): Promise<DigestResult> {
    const db = this.dataSource;
    const [mail] = await db.query<
      { state: string; address: string; digest_date: string; message_id: string }[]
    >(
      `SELECT state, address, digest_date::text AS digest_date, message_id FROM sent_mails WHERE mail_id = $1`,
      [mailId],
    );
    if (!mail) throw new Error(`digest ${mailId} vanished`);
    const items = await db.query<
      {
        kind: NotificationKind;
        placement_id: string | null;
        assignment_id: string | null;
        request_type: string | null;
        task_id: string;
        title: string;
        due_on: string;
      }[]
    >(
      `SELECT kind, placement_id::text AS placement_id, assignment_id::text AS assignment_id, request_type,
              task_id, title, due_on::text AS due_on
         FROM notifications WHERE mail_id = $1 ORDER BY notification_id`,
      [mailId],
    );
    if (mail.state === 'sent') return { status: 'already-sent', mailId, notifications: 0 };
    if (mail.state !== 'queued' && mail.state !== 'sending')
      return { status: mail.state as 'rejected' | 'abandoned', mailId, notifications: 0 };
    const resent = mail.state === 'sending';

    const content = renderDigest(
      items.map((i): DigestItem => ({
        kind: i.kind,
        ...(i.placement_id ? { placementId: i.placement_id } : {}),
        ...(i.assignment_id
          ? { assignment: { assignmentId: i.assignment_id, requestType: i.request_type ?? '' } }
          : {}),
        taskId: i.task_id,
        title: i.title,
        dueOn: i.due_on,
      })),
      { baseUrl: this.options.baseUrl, date: mail.digest_date },
    );
    await db.query(
      `UPDATE sent_mails SET state = 'sending', attempts = attempts + 1, updated_at = now() WHERE mail_id = $1`,
      [mailId],
    );
    try {
      await this.mailer.send({
        from: this.options.from,
        to: mail.address,
        messageId: mail.message_id,
        ...content,
      });
    } catch (error) {
      const { failure, code } = classifySmtpError(error);
      // What the server said is recorded as its code only (its text may quote the address).
      if (failure === 'permanent') {
        await db.query(
          `UPDATE sent_mails SET state = 'rejected', last_error = $2, updated_at = now() WHERE mail_id = $1`,
          [mailId, code],
        );
        return { status: 'rejected', mailId, notifications: items.length };
      }
      await db.query(
        `UPDATE sent_mails SET state = $2, last_error = $3, updated_at = now() WHERE mail_id = $1`,
        [mailId, failure === 'transient' ? 'queued' : 'sending', code],
      );
      throw new RetryableSendError(failure, code);
    }
    await this.options.afterAccepted?.(mailId);
    await db.transaction(async (m) => {
      await m.query(
        `UPDATE sent_mails SET state = 'sent', sent_at = now(), last_error = NULL, updated_at = now() WHERE mail_id = $1`,
        [mailId],
      );
      await m.query(`UPDATE notifications SET state = 'sent' WHERE mail_id = $1`, [mailId]);
    });
    return { status: 'sent', mailId, notifications: items.length, ...(resent ? { resent } : {}) };
  }
}
