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
  // Personal data, should a body or an error carrying one ever be logged (the personal-data store never logs).
  ...[
    'nationalId',
    'name',
    'birthDate',
    'phone',
    'email',
    'text',
    'child',
    'parents',
    'fosterFamily',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  'req.body',
  'err.body',
];

/** A request's id: the client's X-Request-Id when it looks like one, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
}

export function loggerOptions(config: AppConfig, app: string): Options {
  return {
    level: config.LOG_LEVEL,
    base: { app },
    redact: { paths: REDACT_PATHS, censor: '[skjult]' },
    genReqId: requestIdOf,
    // Log the shape of the path (`/api/placements/:id/timeline`), never the URL: ids, and whatever a
    // client typed into a path or query string, stay out of the logs.
    serializers: {
      req: (req: { id: string; method: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        route: routeShape(req.url ?? ''),
      }),
      // The status only: the response's headers are the same on every line (helmet's, ~1 KB).
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
  };
}

/** `/api/tasks/8f0e…/oppfolgingsbesok#2?x=1` → `/api/tasks/:id/:id`: plain lowercase words stay, values go. */
export function routeShape(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path
    .split('/')
    .map((segment) => (segment === '' || /^[a-z][a-z-]{0,30}$/.test(segment) ? segment : ':id'))
    .join('/');
}
