import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '../../libs/config/index.js';
import { DatabaseModule } from '../../libs/database/index.js';
import { loggerOptions } from '../../libs/logging/index.js';
import { DigestScheduleService } from './digest-schedule.service.js';
import { ProjectorService } from './projector.service.js';
import { TemporalWorkerService } from './worker.service.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: loggerOptions(config, 'worker') }),
    }),
    DatabaseModule,
  ],
  providers: [TemporalWorkerService, ProjectorService, DigestScheduleService],
})
export class WorkerModule {}
