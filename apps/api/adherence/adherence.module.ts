import { Module } from '@nestjs/common';
import { AdherenceController } from './adherence.controller.js';
import { AdherenceService } from './adherence.service.js';
import { Publications } from './publications.js';
import { ReportCache } from './report-cache.js';

@Module({ controllers: [AdherenceController], providers: [AdherenceService, Publications, ReportCache] })
export class AdherenceModule {}
