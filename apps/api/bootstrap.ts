import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import { AppModule } from './app.module.js';
import { AccessLogService } from './auth/access-log.service.js';
import { HttpDrain } from './common/http-drain.js';
import { noStore, requireJson } from './common/http.js';
import { checkBodyText } from './common/input-text.js';
import { completeOpenApi } from './common/openapi.js';
import { validationPipe } from './common/validation.js';
import { scimMiddleware } from './scim/scim.middleware.js';
import { contentSecurityDirectives, serveWebApp } from './web/web-app.js';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Omsorgspakken API')
    .setDescription('Oppfølging av barn i fosterhjem: plasseringer, oppgaver og etterlevelse.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return completeOpenApi(SwaggerModule.createDocument(app, config));
}

/** Builds the API application (used by main.ts and by in-process tests). */
export async function createApiApp(): Promise<NestExpressApplication> {
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
  if (config.API_TRUST_PROXY !== undefined)
    app.set(
      'trust proxy',
      /^\d+$/.test(config.API_TRUST_PROXY) ? Number(config.API_TRUST_PROXY) : config.API_TRUST_PROXY,
    );
  const csp = contentSecurityDirectives(config);
  app.use(helmet({ contentSecurityPolicy: { directives: csp } }));
  app.use(noStore);
  // Once the API stops: writes refused (503), no connection kept alive.
  app.use(app.get(HttpDrain).middleware);
  // SCIM provisioning: its own token, media type and error format, so before the API's JSON handling.
  app.use(scimMiddleware({ dataSource: app.get(DataSource), config, accessLog: app.get(AccessLogService) }));
  app.use(requireJson);
  app.useBodyParser('json', { limit: '100kb' });
  // The CSV import (requireJson lets text/csv through on its route only, within its size).
  app.useBodyParser('text', { type: 'text/csv', limit: '2mb' });
  app.use(checkBodyText);
  serveWebApp(app);
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
