import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { CatalogsController } from './catalogs.controller.js';
import { CatalogsService } from './catalogs.service.js';

/** Catalog versions, and the service calendars plans are made on: what the API plans with. */
@Module({
  controllers: [CatalogsController],
  providers: [
    CatalogsService,
    {
      provide: ServiceCalendars,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new ServiceCalendars(dataSource),
    },
  ],
  exports: [CatalogsService, ServiceCalendars],
})
export class CatalogsModule {}
