import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A development SMTP server on loopback that delivers nowhere: every message it accepts is written to
 * `<dir>/<time>-<n>.eml` (open it in any mail program, or read it as text). Started by `npm start` so the
 * daily digest can be seen without a real mail server. Never for production.
 */
export interface RunningMailSink {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startMailSink(options: { port: number; dir: string }): Promise<RunningMailSink> {
  mkdirSync(options.dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        try {
          writeFileSync(join(options.dir, `${stamp}-${++count}.eml`), Buffer.concat(chunks));
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${options.port}`,
    dir: options.dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
