import { Module } from '@nestjs/common';
import { AdherenceController } from './adherence.controller.js';
import { AdherenceService } from './adherence.service.js';
import { ReportCache } from './report-cache.js';

@Module({ controllers: [AdherenceController], providers: [AdherenceService, ReportCache] })
export class AdherenceModule {}
