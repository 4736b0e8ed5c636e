import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { CalendarController, CalendarFeedController } from './calendar.controller.js';
import { CalendarFeedService } from './calendar.service.js';

/** Personal iCalendar feeds: create/rotate and revoke (authenticated), read by secret URL (public). */
@Module({
  imports: [TasksModule],
  controllers: [CalendarFeedController, CalendarController],
  providers: [CalendarFeedService],
})
export class CalendarModule {}
