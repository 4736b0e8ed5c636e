import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import {
  FosterFamilyController,
  PersonalDataController,
  TaskNotesController,
} from './personal-data.controller.js';
import { PersonalDataService } from './personal-data.service.js';

@Module({
  imports: [CaseNumbersModule, CommandsModule],
  controllers: [PersonalDataController, TaskNotesController, FosterFamilyController],
  providers: [PersonalDataService],
})
export class PersonalDataModule {}
