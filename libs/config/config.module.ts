import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { type AppConfig, parseConfig } from './config.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Validates the environment through @nestjs/config's validate hook and exposes the typed result as
 * APP_CONFIG. Import once at the root of each app.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: parseConfig, cache: true })],
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => parseConfig(process.env) }],
  exports: [APP_CONFIG],
})
export class AppConfigModule {}
