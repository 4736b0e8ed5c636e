import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ROUTE_POLICIES } from '../../../libs/security/index.js';
import { StreamVersionConflictError } from '../../../libs/event-store/index.js';
import { CommandPending } from '../commands/command-pending.js';
import { type ReplyLike, requestPath, sendJson } from './http.js';
import { PROBLEM_TITLES, problemInstance, ProblemException, type ProblemDetails } from './problem.js';

/** Nest's answer to a request no route matched (`Cannot TRACE /x`), as opposed to a 404 of a service. */
const routeNotFound = (exception: unknown) =>
  exception instanceof NotFoundException &&
  !(exception instanceof ProblemException) &&
  exception.message.startsWith('Cannot ');

/** Seconds a client should wait before trying again after a 503 (a dependency is down or restarting). */
export const RETRY_AFTER_SECONDS = 5;

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is gone, going or full: connection exceptions (08), shutdowns, no slots. */
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
const PG_CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection is not established|connection error/i;

/**
 * Whether an error means PostgreSQL (or another dependency reached over the network) cannot be reached
 * right now: refused or lost connections, a server shutting down or out of connection slots. Looks at the
 * driver error TypeORM wraps and along `cause`.
 */
export function isUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, driverError, cause } = e as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (UNREACHABLE.has(code) || PG_UNAVAILABLE.test(code))) return true;
    if (typeof message === 'string' && PG_CONNECTION_LOST.test(message)) return true;
    if (driverError && isUnavailable(driverError)) return true;
    e = cause;
  }
  return false;
}

/** Every route, from the policy table (which has exactly one entry per route): path pattern → methods. */
const ROUTES: readonly { pattern: RegExp; methods: readonly string[] }[] = (() => {
  const byPath = new Map<string, string[]>();
  for (const key of Object.keys(ROUTE_POLICIES)) {
    const [method = '', path = ''] = key.split(' ');
    byPath.set(path, [...(byPath.get(path) ?? []), method]);
  }
  // A concrete path before a templated one that also matches it (OpenAPI's rule): /api/catalogs/dry-run
  // before /api/catalogs/{version}.
  const params = (path: string) => path.split('{').length;
  return [...byPath]
    .sort(([a], [b]) => params(a) - params(b))
    .map(([path, methods]) => ({
      pattern: new RegExp(
        `^${path
          .split(/\{\w+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+')}$`,
      ),
      methods: methods.includes('GET') ? [...methods, 'HEAD'] : methods,
    }));
})();

/** The methods of the route at `path`, when a route has this path: a request by another method is 405. */
export function allowedMethods(path: string): readonly string[] {
  return ROUTES.find((r) => r.pattern.test(path))?.methods ?? [];
}

/**
 * The one place where errors become HTTP answers: application/problem+json, never a stack trace,
 * never the internals of an unexpected error (it is logged, by request id, instead).
 */
/** What the filter reads of a request, on either HTTP server. */
type ProblemRequest = { id?: unknown; path?: unknown; url?: string; originalUrl?: string };

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ProblemRequest>();
    const response = http.getResponse<ReplyLike>();
    // Not a problem: a command whose outcome is not known yet (202 with where to look it up).
    if (exception instanceof CommandPending) {
      response.header('Location', exception.location);
      sendJson(response, 202, exception.getResponse(), 'application/json');
      return;
    }
    // No route for this method, but one for this path with other methods: 405 with Allow (RFC 9110).
    const allow = routeNotFound(exception) ? allowedMethods(requestPath(request)) : [];
    if (allow.length > 0) {
      response.header('Allow', allow.join(', '));
      sendJson(response, 405, {
        type: 'about:blank',
        title: PROBLEM_TITLES[405],
        status: 405,
        detail: `Bruk ${allow.join(', ')}.`,
        instance: problemInstance(request),
      });
      return;
    }
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'unhandled error');
    }
    // Every 503 (PostgreSQL or Temporal unavailable, not ready) says when to try again.
    if (problem.status === 503 && !response.getHeader('Retry-After'))
      response.header('Retry-After', String(RETRY_AFTER_SECONDS));
    sendJson(response, problem.status, problem);
  }

  private toProblem(exception: unknown, request: ProblemRequest): ProblemDetails {
    // The occurrence, by request id (as in the logs): never the path, which can carry what a client typed.
    const instance = problemInstance(request);
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      return {
        type: exception.problemType,
        title: PROBLEM_TITLES[status] ?? 'Feil',
        status,
        detail: exception.message,
        instance,
        ...(exception.errors ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof StreamVersionConflictError) {
      return {
        type: 'about:blank',
        title: PROBLEM_TITLES[409],
        status: 409,
        detail: 'Saken er endret av noen andre. Hent den på nytt og prøv igjen.',
        instance,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (status === 503 && typeof body === 'object' && body !== null && 'details' in body) {
        // A failed readiness check (@nestjs/terminus): keep its per-dependency report as extension members.
        const { info, error, details } = body as Record<string, unknown>;
        return {
          type: 'about:blank',
          title: PROBLEM_TITLES[503],
          status,
          detail: 'Ikke klar.',
          instance,
          info,
          error,
          details,
        } as ProblemDetails;
      }
      return {
        type: 'about:blank',
        title: PROBLEM_TITLES[status] ?? 'Feil',
        status,
        detail: PROBLEM_TITLES[status] ?? exception.message,
        instance,
      };
    }
    if (isUnavailable(exception))
      return {
        type: 'about:blank',
        title: PROBLEM_TITLES[503],
        status: 503,
        detail: 'Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.',
        instance,
      };
    // body-parser errors carry their HTTP status (413 too large, 415 unsupported charset, 400 bad JSON).
    // A body parser's error: Express's carry `status`, Fastify's `statusCode`.
    const { status: given, statusCode } = (exception ?? {}) as { status?: unknown; statusCode?: unknown };
    const status = given ?? statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = status === 400 ? 'Forespørselen er ikke gyldig JSON.' : PROBLEM_TITLES[status];
      return { type: 'about:blank', title: PROBLEM_TITLES[status] ?? 'Feil', status, detail, instance };
    }
    return {
      type: 'about:blank',
      title: PROBLEM_TITLES[500],
      status: 500,
      detail: 'Noe gikk galt.',
      instance,
    };
  }
}
