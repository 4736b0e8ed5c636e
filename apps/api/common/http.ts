import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_TITLES, problemInstance } from './problem.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Routes that take a CSV file (text/csv) instead of JSON, and the most bytes each takes. */
export const CSV_ROUTES: Readonly<Record<string, number>> = { '/api/imports/placements': 2 * 1024 * 1024 };

/** 415 for a request body that is not JSON (before any parsing). */
export function requireJson(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const csvLimit = CSV_ROUTES[req.path];
  // Any method with a CSV body on such a route goes on to routing: a method it does not take is 405 there.
  if (csvLimit !== undefined && req.is('text/csv')) {
    if (Number(req.headers['content-length'] ?? 0) <= csvLimit) return next();
    res
      .status(413)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: PROBLEM_TITLES[413],
        status: 413,
        detail: `Filen er for stor: høyst ${csvLimit / 1024 / 1024} MB kan importeres om gangen.`,
        instance: problemInstance(req),
      });
    return;
  }
  if (WITH_BODY.has(req.method) && hasBody && !req.is('application/json')) {
    res
      .status(415)
      .type('application/problem+json')
      .json({
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
export function noStore(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api/')) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
  next();
}
