import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_TITLES, problemInstance } from './problem.js';

/*
 * HTTP helpers that work on either of the API's HTTP servers (HTTP_ADAPTER): Express, whose request and
 * response extend Node's, and Fastify, whose middleware (@fastify/middie) gets Node's own and whose
 * guards, filters and handlers get its request and reply.
 */

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Routes that take a CSV file (text/csv) instead of JSON, and the most bytes each takes. */
export const CSV_ROUTES: Readonly<Record<string, number>> = { '/api/imports/placements': 2 * 1024 * 1024 };
type Next = (error?: unknown) => void;

/** The request's path without its query string. */
export function requestPath(req: { path?: unknown; originalUrl?: string; url?: string }): string {
  if (typeof req.path === 'string') return req.path; // Express
  return (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}

/** The matched route's pattern (`/api/tasks/:taskId`), when a route matched. */
export function routePattern(req: {
  route?: { path?: unknown };
  routeOptions?: { url?: unknown };
}): string | undefined {
  const pattern = req.route?.path ?? req.routeOptions?.url; // Express, Fastify
  return typeof pattern === 'string' ? pattern : undefined;
}

/** Whether the request's body is declared as `mediaType` (parameters such as charset aside). */
export function hasMediaType(req: IncomingMessage, mediaType: string): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return type === mediaType;
}

/** The part of a response both servers share: Express's response and Fastify's reply. */
export interface ReplyLike {
  status(code: number): ReplyLike;
  type(contentType: string): ReplyLike;
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  send(body?: string): unknown;
}

/** Answers with a JSON body of `contentType` (problem+json unless told), from a guard, filter or handler. */
export function sendJson(
  res: ReplyLike,
  status: number,
  body: unknown,
  contentType = 'application/problem+json',
): void {
  res.status(status).type(`${contentType}; charset=utf-8`).send(JSON.stringify(body));
}

/** The same from middleware, on Node's response (Express's extends it; Fastify's middleware gets it). */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/problem+json',
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', `${contentType}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** 415 for a request body that is not JSON (before any parsing). */
export function requireJson(req: IncomingMessage, res: ServerResponse, next: Next): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const csvLimit = CSV_ROUTES[requestPath(req)];
  // Any method with a CSV body on such a route goes on to routing: a method it does not take is 405 there.
  if (csvLimit !== undefined && hasMediaType(req, 'text/csv')) {
    if (Number(req.headers['content-length'] ?? 0) <= csvLimit) return next();
    writeJson(res, 413, {
      type: 'about:blank',
      title: PROBLEM_TITLES[413],
      status: 413,
      detail: `Filen er for stor: høyst ${csvLimit / 1024 / 1024} MB kan importeres om gangen.`,
      instance: problemInstance(req),
    });
    return;
  }
  if (WITH_BODY.has(req.method ?? '') && hasBody && !hasMediaType(req, 'application/json')) {
    writeJson(res, 415, {
      type: 'about:blank',
      title: PROBLEM_TITLES[415],
      status: 415,
      detail: 'Send innholdet som application/json.',
      instance: problemInstance(req),
    });
    return;
  }
  next();
}

/** Personal data must not be kept by browsers or proxies: every API answer is no-store. */
export function noStore(req: IncomingMessage, res: ServerResponse, next: Next): void {
  if (requestPath(req).startsWith('/api/')) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  next();
}
