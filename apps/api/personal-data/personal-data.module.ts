import { Module } from '@nestjs/common';
import { PlacementsModule } from '../placements/placements.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { PersonalDataController, TaskNotesController } from './personal-data.controller.js';
import { PersonalDataService } from './personal-data.service.js';

@Module({
  imports: [PlacementsModule, TasksModule],
  controllers: [PersonalDataController, TaskNotesController],
  providers: [PersonalDataService],
})
export class PersonalDataModule {}
