import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/*
 * A real SMTP server on loopback for the notification tests (smtp-server), keeping what it accepted and
 * able to refuse the next attempts the way real servers do under load: 421 at RCPT TO (service not
 * available, closing) or 451 after the message body (local error, try again later).
 */

export interface ReceivedMail {
  readonly to: string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
}

export type Refusal = { readonly code: 421 | 451 | 550; readonly at: 'rcpt' | 'data' };

export interface TestSmtp {
  readonly url: string;
  /** Accepted messages, in order. */
  readonly received: ReceivedMail[];
  /** SMTP transactions refused so far. */
  readonly refused: { to: string[]; code: number }[];
  /** The next transactions (whoever they are for) are refused like this, one each. */
  refuseNext(...refusals: Refusal[]): void;
  close(): Promise<void>;
}

const smtpError = (code: number) =>
  Object.assign(new Error(code === 550 ? 'No such mailbox' : 'Try again later'), { responseCode: code });

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refused: { to: string[]; code: number }[] = [];
  const queue: Refusal[] = [];
  // One refusal per SMTP transaction, taken when the transaction reaches its first recipient.
  const pending = new WeakMap<object, Refusal | null>();
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, session, callback) {
      const envelope = session.envelope;
      if (!pending.has(envelope)) pending.set(envelope, queue.shift() ?? null);
      const refusal = pending.get(envelope);
      if (refusal?.at === 'rcpt') {
        refused.push({ to: [address.address], code: refusal.code });
        return callback(smtpError(refusal.code));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refusal = pending.get(session.envelope);
        if (refusal?.at === 'data') {
          refused.push({ to, code: refusal.code });
          return callback(smtpError(refusal.code));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({ to, raw, parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address !== 'object') throw new Error('SMTP test server has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    refused,
    refuseNext: (...refusals) => queue.push(...refusals),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
