import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module.js';
import { CatalogsModule } from '../catalogs/catalogs.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { CommandSender } from './command-sender.js';
import { PlacementCommandsController, TaskCommandsController } from './commands.controller.js';
import { PlacementCommandsService } from './placement-commands.service.js';
import { TaskCommandsService } from './task-commands.service.js';
import { WaiverCommandsController, WaiverRequestsController } from './waivers.controller.js';
import { WaiversService } from './waivers.service.js';

@Module({
  imports: [TasksModule, CatalogsModule, ReferenceModule, CaseNumbersModule],
  controllers: [
    PlacementCommandsController,
    TaskCommandsController,
    WaiverCommandsController,
    WaiverRequestsController,
  ],
  providers: [CommandSender, PlacementCommandsService, TaskCommandsService, WaiversService],
  exports: [PlacementCommandsService, CommandSender],
})
export class CommandsModule {}
