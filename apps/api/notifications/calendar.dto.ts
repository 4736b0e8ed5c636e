import { ApiProperty } from '@nestjs/swagger';

export class CalendarFeedDto {
  @ApiProperty({
    description:
      'The secret address of your calendar feed (iCalendar). Shown only now: keep it like a password. ' +
      'Creating a new one revokes the old one.',
    example: 'https://omsorgspakken.example/calendar/0f1e…Q.ics',
  })
  url!: string;

  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
