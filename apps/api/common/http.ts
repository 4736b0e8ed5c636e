import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_TITLES, problemInstance } from './problem.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** 415 for a request body that is not JSON (before any parsing). */
export function requireJson(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
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
