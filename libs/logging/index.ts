import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/index.js';

/**
 * Paths that may hold secrets or personal data. pino replaces them before a line is written; the
 * list grows with every DTO that carries a person's details.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
];

export function loggerOptions(config: AppConfig, app: string): Options {
  return {
    level: config.LOG_LEVEL,
    base: { app },
    redact: { paths: REDACT_PATHS, censor: '[skjult]' },
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    // Query strings can carry filters; log the path only.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
  };
}
