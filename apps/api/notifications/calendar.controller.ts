import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Scoped } from '../../../libs/security/index.js';
import { NOT_FOUND_DETAIL } from '../auth/access.service.js';
import { CurrentPrincipal, requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ProblemException } from '../common/problem.js';
import { CalendarFeedDto } from './calendar.dto.js';
import { CalendarFeedService } from './calendar.service.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('api/me/calendar-feed')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Post()
  @ApiOperation({
    summary:
      'Create my calendar feed, or replace it (the old address stops working). Returns its secret URL once.',
  })
  @ApiCreatedResponse({ type: CalendarFeedDto })
  create(@CurrentPrincipal() p: Scoped): Promise<CalendarFeedDto> {
    return this.feeds.create(p);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke my calendar feed.' })
  @ApiNoContentResponse()
  revoke(@CurrentPrincipal() p: Scoped): Promise<void> {
    return this.feeds.revoke(p);
  }
}

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':token.ics')
  @ApiOperation({
    summary:
      'A personal iCalendar feed: my open tasks as all-day events on their due dates (step, status, link; nothing about the child). The secret in the URL is the credential.',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'iCalendar (RFC 5545)', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Unknown, revoked or malformed address.' })
  async feed(
    @Param('token') token: string,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    // Not cached anywhere, not indexed, whatever the answer.
    res.header('Cache-Control', 'no-store');
    res.header('Pragma', 'no-cache');
    res.header('X-Robots-Tag', 'noindex');
    const ics = await this.feeds.feed(token, requestId(req));
    if (ics === undefined) throw new ProblemException(404, NOT_FOUND_DETAIL);
    res.type('text/calendar; charset=utf-8');
    return ics;
  }
}
