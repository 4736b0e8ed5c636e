import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module.js';
import { PlacementsModule } from '../placements/placements.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { PlacementCommandsController, TaskCommandsController } from './commands.controller.js';
import { CommandsService } from './commands.service.js';

@Module({
  imports: [TasksModule, PlacementsModule, CatalogsModule, ReferenceModule],
  controllers: [PlacementCommandsController, TaskCommandsController],
  providers: [CommandsService],
})
export class CommandsModule {}
