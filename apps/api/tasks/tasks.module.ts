import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [CaseNumbersModule],
  controllers: [TasksController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
