import { Module } from '@nestjs/common';
import { PersonalDataController, TaskNotesController } from './personal-data.controller.js';
import { PersonalDataService } from './personal-data.service.js';

@Module({
  controllers: [PersonalDataController, TaskNotesController],
  providers: [PersonalDataService],
})
export class PersonalDataModule {}
