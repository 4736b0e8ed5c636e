import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LocalIssuer } from '../../../libs/security/index.js';
import { LOCAL_ISSUER } from '../auth/auth.tokens.js';
import { seedDemoReferenceData } from './demo-reference-data.js';
import { ReferenceController } from './reference.controller.js';
import { ReferenceService } from './reference.service.js';
import { RegionsService } from './regions.service.js';
import { CatalogsModule } from '../catalogs/catalogs.module.js';

/**
 * Reference data: regions, municipalities, services, learning networks (read by all within their region,
 * written by administrators).
 */
@Module({
  imports: [CatalogsModule],
  controllers: [ReferenceController],
  providers: [ReferenceService, RegionsService],
  exports: [ReferenceService, RegionsService],
})
export class ReferenceModule implements OnModuleInit {
  private readonly logger = new Logger('Reference');

  constructor(
    @Inject(LOCAL_ISSUER) private readonly local: LocalIssuer | null,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    // The local issuer's demo organisations need their services and network (never in production).
    if (!this.local) return;
    try {
      await seedDemoReferenceData(this.dataSource);
    } catch (error) {
      // E.g. an administrator gave a demo municipality to another service: the demo data stays as edited.
      this.logger.warn({ err: error }, 'demo reference data not (fully) written');
    }
  }
}
