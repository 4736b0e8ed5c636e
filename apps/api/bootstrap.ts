import type { IncomingMessage } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, parseConfig, type AppConfig } from '../../libs/config/index.js';
import { requestIdOf } from '../../libs/logging/index.js';
import { AppModule } from './app.module.js';
import { AccessLogService } from './auth/access-log.service.js';
import { HttpDrain } from './common/http-drain.js';
import { noStore, requireJson, sendJson } from './common/http.js';
import { bodyTextProblem, checkBodyText } from './common/input-text.js';
import { completeOpenApi } from './common/openapi.js';
import { PathParamsInterceptor } from './common/params.js';
import { validationPipe } from './common/validation.js';
import { scimMiddleware } from './scim/scim.middleware.js';
import { contentSecurityDirectives, serveWebApp } from './web/web-app.js';

/** The API on either HTTP server (HTTP_ADAPTER). */
export type ApiApp = NestExpressApplication | NestFastifyApplication;

/** Largest JSON body the API takes. */
const BODY_LIMIT_BYTES = 100 * 1024;

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Omsorgspakken API')
    .setDescription('Oppfølging av barn i fosterhjem: plasseringer, oppgaver og etterlevelse.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return completeOpenApi(SwaggerModule.createDocument(app, config));
}

/** `API_TRUST_PROXY` as Express's `trust proxy` and Fastify's `trustProxy` take it: hops or addresses. */
const trustedProxies = (value: string) => (/^\d+$/.test(value) ? Number(value) : value);

/** The same for Fastify, whose types take hops as a function (as Express compiles a number of hops). */
function fastifyTrustProxy(
  value: string | undefined,
): string | boolean | ((_: string, hop: number) => boolean) {
  if (value === undefined) return false;
  const trusted = trustedProxies(value);
  return typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted;
}

/**
 * Builds the API application (used by main.ts and by in-process tests) on the HTTP server HTTP_ADAPTER
 * names; call `ready(app)` after `app.init()` when not listening.
 */
export async function createApiApp(): Promise<ApiApp> {
  // A bad configuration is reported by the app's config module, in the usual way (on Express).
  const adapter = (() => {
    try {
      return parseConfig(process.env).HTTP_ADAPTER;
    } catch {
      return 'express';
    }
  })();
  const app = adapter === 'fastify' ? await createFastifyApp() : await createExpressApp();
  app.useGlobalPipes(validationPipe);
  app.useGlobalInterceptors(new PathParamsInterceptor());
  app.enableShutdownHooks();
  return app;
}

/** Once initialised: the Fastify server's plugins and hooks loaded (`listen` does it too). */
export async function ready(app: ApiApp): Promise<void> {
  if (app.getHttpAdapter().getType() === 'fastify')
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}

/** Middleware of both servers, in this order: security headers, no-store, drain, JSON only. */
function useCommonMiddleware(app: ApiApp, config: AppConfig): void {
  app.use(helmet({ contentSecurityPolicy: { directives: contentSecurityDirectives(config) } }));
  app.use(noStore);
  // Once the API stops: writes refused (503), no connection kept alive.
  app.use(app.get(HttpDrain).middleware);
}

async function createExpressApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Responses are personal data marked no-store: an ETag (a hash of every body) would serve no cache.
  app.set('etag', false);
  const config = app.get<AppConfig>(APP_CONFIG);
  // The client's address (rate limits, the refused-login limit) through the proxies configured as trusted.
  if (config.API_TRUST_PROXY !== undefined) app.set('trust proxy', trustedProxies(config.API_TRUST_PROXY));
  useCommonMiddleware(app, config);
  // SCIM provisioning: its own token, media type and error format, so before the API's JSON handling.
  app.use(scimMiddleware({ dataSource: app.get(DataSource), config, accessLog: app.get(AccessLogService) }));
  app.use(requireJson);
  app.useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  // The CSV import (requireJson lets text/csv through on its route only, within its size).
  app.useBodyParser('text', { type: 'text/csv', limit: '2mb' });
  app.use(checkBodyText);
  serveWebApp(app);
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/**
 * The API on Fastify (HTTP_ADAPTER=fastify), for comparison in `npm run bench:api`: the API's routes,
 * guards, validation, problem+json, security headers, drain and request ids as on Express, and the
 * OpenAPI document as JSON. Not served on it (they are Express middleware): SCIM, the web app and the
 * Swagger UI page (it would need @fastify/static).
 */
async function createFastifyApp(): Promise<NestFastifyApplication> {
  const config = parseConfig(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // As Express's JSON.parse: `__proto__` and `constructor` stay plain keys (own properties, no
    // prototype touched), which validation then names as unknown fields, instead of a bare 400.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    trustProxy: fastifyTrustProxy(config.API_TRUST_PROXY),
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    requestIdHeader: false,
  });
  const fastify = adapter.getInstance();
  // The request's id on Node's request too, where pino-http (the request log) takes it from.
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request.raw as IncomingMessage & { id?: string }).id = request.id;
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  useCommonMiddleware(app, config);
  app.use(requireJson);
  // A parsed body too deep or with refused text: 400 before validation (Express: checkBodyText).
  fastify.addHook('preValidation', async (request, reply) => {
    const problem = bodyTextProblem(request);
    if (!problem) return;
    sendJson(reply, 400, problem);
    return reply;
  });
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    ui: false,
  });
  return app;
}
