import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module.js';
import { CatalogsModule } from '../catalogs/catalogs.module.js';
import { AdherenceReport } from './adherence-report.js';
import { AdherenceController } from './adherence.controller.js';
import { FollowupReport } from './followup-report.js';
import { MilestonesReport } from './milestones-report.js';
import { Publications } from './publications.js';
import { ReportCache } from './report-cache.js';
import { ReportReader } from './report-reader.js';
import { ReportWindows } from './report-window.js';
import { StatutoryComplianceReport } from './statutory-compliance-report.js';
import { StatutoryRiskReport } from './statutory-risk-report.js';
import { StatutoryStatusController } from './statutory-status.controller.js';
import { StatutoryStatusReport } from './statutory-status.js';

/** The adherence reports: one provider each, over the windows, the cache and the reader they share. */
@Module({
  imports: [CatalogsModule, CaseNumbersModule],
  controllers: [AdherenceController, StatutoryStatusController],
  providers: [
    AdherenceReport,
    MilestonesReport,
    FollowupReport,
    StatutoryComplianceReport,
    StatutoryRiskReport,
    StatutoryStatusReport,
    ReportWindows,
    ReportReader,
    ReportCache,
    Publications,
  ],
  // The council report (apps/api/council-reports) reads the same reports.
  exports: [StatutoryComplianceReport, ReportReader],
})
export class AdherenceModule {}
