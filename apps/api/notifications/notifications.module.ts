import { Module } from '@nestjs/common';
import { TasksModule } from '../tasks/tasks.module.js';
import { CalendarController, CalendarFeedController } from './calendar.controller.js';
import { CalendarFeedService } from './calendar.service.js';
import { NotificationSettingsController, NotificationSettingsService } from './notification-settings.js';

/**
 * A person's notifications in the API (libs/notifications): their e-mail settings, and their iCalendar
 * feed (create/rotate and revoke, authenticated; read by secret URL, public).
 */
@Module({
  imports: [TasksModule],
  controllers: [CalendarFeedController, CalendarController, NotificationSettingsController],
  providers: [CalendarFeedService, NotificationSettingsService],
})
export class NotificationsModule {}
