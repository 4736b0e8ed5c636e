import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '../../libs/config/index.js';
import { DatabaseModule } from '../../libs/database/index.js';
import { loggerOptions } from '../../libs/logging/index.js';
import { TemporalClientModule } from '../../libs/temporal/index.js';
import { AdherenceModule } from './adherence/adherence.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { CatalogsModule } from './catalogs/catalogs.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { CouncilReportsModule } from './council-reports/council-reports.module.js';
import { HttpDrain } from './common/http-drain.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { RequestAllowance } from './common/fixed-window.js';
import { RateLimitGuard } from './common/rate-limit.guard.js';
import { HealthModule } from './health/health.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { KompetansebaseModule } from './kompetansebase/kompetansebase.module.js';
import { MeController } from './me/me.controller.js';
import { PeopleModule } from './people/people.module.js';
import { PersonalDataModule } from './personal-data/personal-data.module.js';
import { PlacementsModule } from './placements/placements.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { SystemModule } from './system/system.module.js';
import { TasksModule } from './tasks/tasks.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: loggerOptions(config, 'api') }),
    }),
    DatabaseModule,
    TemporalClientModule,
    AuthModule,
    HealthModule,
    SystemModule,
    TasksModule,
    PlacementsModule,
    CatalogsModule,
    CommandsModule,
    PersonalDataModule,
    AdherenceModule,
    ReferenceModule,
    NotificationsModule,
    PeopleModule,
    CouncilReportsModule,
    ImportsModule,
    KompetansebaseModule,
  ],
  controllers: [MeController],
  providers: [
    HttpDrain,
    RequestAllowance,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // Order matters: authentication first, so the rate limiter can count per user.
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {}
