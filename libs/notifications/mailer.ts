import { createTransport, type Mail } from 'nodemailer';

/** One message as handed to SMTP. */
export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<…@…>`: fixed for a digest, so every attempt of it carries the same Message-ID. */
  readonly messageId: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Resolves when the SMTP server accepted the message (250 after DATA); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * How an SMTP attempt failed, which decides what a retry may do:
 * - `transient`: the server answered 4xx (421, 450, 451, 452…): it did not take the message; try again;
 * - `permanent`: the server answered 5xx (550 no such mailbox…): it did not take it, and will not;
 * - `unknown`: no answer (connection refused, reset, timed out). Before DATA that is a plain failure, but
 *   a connection lost after the message body was sent and before the server's final reply may hide an
 *   accepted message: we cannot tell, so the caller treats it as "maybe sent" (see digest-sender.ts).
 */
export type SmtpFailure = 'transient' | 'permanent' | 'unknown';

export function classifySmtpError(error: unknown): { failure: SmtpFailure; code: string } {
  const e = error as { responseCode?: unknown; code?: unknown };
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 400 && e.responseCode < 500)
      return { failure: 'transient', code: String(e.responseCode) };
    if (e.responseCode >= 500) return { failure: 'permanent', code: String(e.responseCode) };
  }
  // nodemailer's codes (ECONNECTION, ETIMEDOUT, ESOCKET…) are fixed words, safe to record.
  const code = typeof e.code === 'string' && /^[A-Z_]{2,30}$/.test(e.code) ? e.code : 'ERROR';
  return { failure: 'unknown', code };
}

/** SMTP through nodemailer: one connection per message (a digest run sends a few hundred at most). */
export class SmtpMailer implements Mailer {
  private readonly transport: Mail;

  constructor(url: string) {
    this.transport = createTransport({
      url,
      // Bounded waits: an SMTP server that hangs fails the attempt, and the activity is retried.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: {
        // RFC 3834: no out-of-office replies to a machine.
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        ...mail.headers,
      },
    });
  }

  close(): void {
    this.transport.close();
  }
}
