import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestPath, writeJson } from './http.js';
import { PROBLEM_TITLES, problemInstance } from './problem.js';

/** How long answers in progress may take once the API stops (a command waits up to 10 s for Temporal). */
export const DRAIN_MS = 10_000;
/** What a refused write's Retry-After says: a restarted API listens again within seconds. */
const RETRY_AFTER_SECONDS = 5;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Stopping without waiting for the clients (SIGTERM/SIGINT, through Nest's shutdown hooks). Node's
 * `server.close()` stops accepting connections but goes on serving kept-alive ones as long as their
 * clients keep sending requests. So from the first shutdown hook on:
 * - every answer says `Connection: close`, so a busy connection ends after its current answer;
 * - idle kept-alive connections are closed at once, and again as answers in progress finish;
 * - writes that arrive are refused with 503 problem+json and Retry-After (not half done while the
 *   database and Temporal connections close), and readiness answers 503;
 * - after DRAIN_MS whatever is still open is closed.
 * Only then do the database and Temporal connections close (their hooks run after this one).
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private stopping = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Middleware, first of all: what a request that arrives while the API stops gets. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!this.stopping) return next();
    res.setHeader('Connection', 'close');
    if (READS.has(req.method ?? '') && requestPath(req) !== '/health/ready') return next();
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    writeJson(res, 503, {
      type: 'about:blank',
      title: PROBLEM_TITLES[503],
      status: 503,
      detail: 'Tjenesten stopper. Prøv igjen om litt.',
      instance: problemInstance(req),
    });
  };

  private server(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }

  onModuleDestroy(): void {
    this.stopping = true;
    this.server()?.closeIdleConnections();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server();
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    let done = false;
    void closed.then(() => (done = true));
    const deadline = Date.now() + DRAIN_MS;
    while (!done && Date.now() < deadline) {
      server.closeIdleConnections(); // connections whose answer in progress has just finished
      await Promise.race([closed, sleep(100)]);
    }
    if (!done) {
      this.logger.warn(`answers still in progress after ${DRAIN_MS} ms: closing their connections`);
      server.closeAllConnections();
      await closed;
    }
  }
}
