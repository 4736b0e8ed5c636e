import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../../libs/config/config.js';

/*
 * The web app (web/, built by Vite into dist/web) is served by the API itself, at the API's origin: `/`
 * and every page path get index.html, `/assets/*` the built files. The API keeps its paths; nothing here
 * answers under them.
 */

/** Paths that belong to the server, never to the web app's pages. */
const SERVER_PATHS = /^\/(api|docs|health|calendar|scim|\.well-known)(\/|$)/;

/** dist/web, whether this file runs compiled (dist/apps/api/web) or from source (in-process tests). */
export function webAppDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = resolve(here, '../../../');
  return root.endsWith('/dist') || root.includes('/dist/') ? join(root, 'web') : join(root, 'dist', 'web');
}

/** Serves the built web app when there is one (a build without it serves the API only). */
export function serveWebApp(app: NestExpressApplication, dir = webAppDir()): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res: Response, path: string) => {
      // Vite names assets by content hash: they never change under one name.
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}

/**
 * Changes to helmet's default Content-Security-Policy (scripts and styles from this origin only, no
 * inline script): the web app may also talk to the OIDC issuer (discovery and token requests).
 */
export function contentSecurityDirectives(
  config: Pick<AppConfig, 'WEB_OIDC_ISSUER'>,
): Record<string, string[]> {
  const issuer = config.WEB_OIDC_ISSUER;
  return { connectSrc: ["'self'", ...(issuer ? [new URL(issuer).origin] : [])] };
}
