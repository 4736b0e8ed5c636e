import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '../../libs/config/index.js';
import { DatabaseModule } from '../../libs/database/index.js';
import { loggerOptions } from '../../libs/logging/index.js';
import { TemporalClientModule } from '../../libs/temporal/index.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { HealthModule } from './health/health.module.js';
import { SystemModule } from './system/system.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: loggerOptions(config, 'api') }),
    }),
    DatabaseModule,
    TemporalClientModule,
    HealthModule,
    SystemModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
})
export class AppModule {}
