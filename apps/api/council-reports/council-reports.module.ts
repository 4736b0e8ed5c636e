import { Module } from '@nestjs/common';
import { AdherenceModule } from '../adherence/adherence.module.js';
import { CouncilReportsController } from './council-reports.controller.js';
import { CouncilReports } from './council-reports.service.js';
import { AssignmentKompetansebaseFigures, KOMPETANSEBASE_FIGURES } from './kompetansebase-figures.js';

/** The yearly report to each municipal council (tilstandsrapport), over the adherence reports. */
@Module({
  imports: [AdherenceModule],
  controllers: [CouncilReportsController],
  providers: [CouncilReports, { provide: KOMPETANSEBASE_FIGURES, useClass: AssignmentKompetansebaseFigures }],
})
export class CouncilReportsModule {}
