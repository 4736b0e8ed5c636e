import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { ImportsController } from './imports.controller.js';
import { PlacementImportService } from './placement-import.service.js';

/** Bulk import of existing placements: each row a registration through PlacementCommandsService. */
@Module({
  imports: [CommandsModule, CatalogsModule, ReferenceModule],
  controllers: [ImportsController],
  providers: [PlacementImportService],
})
export class ImportsModule {}
