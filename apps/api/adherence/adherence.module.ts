import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module.js';
import { AdherenceController } from './adherence.controller.js';
import { AdherenceService } from './adherence.service.js';
import { Publications } from './publications.js';
import { ReportCache } from './report-cache.js';

@Module({
  imports: [CatalogsModule],
  controllers: [AdherenceController],
  providers: [AdherenceService, Publications, ReportCache],
})
export class AdherenceModule {}
