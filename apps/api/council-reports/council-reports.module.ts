import { Module } from '@nestjs/common';
import { AdherenceModule } from '../adherence/adherence.module.js';
import { CouncilReportsController } from './council-reports.controller.js';
import { CouncilReports } from './council-reports.service.js';
import { KOMPETANSEBASE_FIGURES, NoKompetansebaseFigures } from './kompetansebase-figures.js';

/** The yearly report to each municipal council (tilstandsrapport), over the adherence reports. */
@Module({
  imports: [AdherenceModule],
  controllers: [CouncilReportsController],
  providers: [
    CouncilReports,
    // Until kompetansebase assignments exist: no figures («Ingen kompetansebase-bruk registrert»).
    { provide: KOMPETANSEBASE_FIGURES, useClass: NoKompetansebaseFigures },
  ],
})
export class CouncilReportsModule {}
