import { Body, Controller, Get, Injectable, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DataSource } from 'typeorm';
import { recordPerson } from '../../../libs/notifications/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';

export const DIGEST_PREFERENCES = ['daily', 'off'] as const;

export class NotificationSettingsBodyDto {
  @ApiProperty({ enum: DIGEST_PREFERENCES, description: '`daily`: one e-mail a morning; `off`: none.' })
  @IsIn(DIGEST_PREFERENCES)
  digest!: (typeof DIGEST_PREFERENCES)[number];
}

export class NotificationSettingsDto extends NotificationSettingsBodyDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Where the digest goes: the `email` claim of your latest login (null: none known, nothing is sent).',
  })
  email!: string | null;
}

@Injectable()
export class NotificationSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  async get(p: Scoped): Promise<NotificationSettingsDto> {
    const [row] = await this.dataSource.query<{ email: string | null; digest: 'daily' | 'off' }[]>(
      `SELECT email, digest FROM people WHERE issuer = $1 AND user_id = $2`,
      [p.issuer, p.userId],
    );
    return { digest: row?.digest ?? 'daily', email: row?.email ?? p.email ?? null };
  }

  async put(p: Scoped, body: NotificationSettingsBodyDto): Promise<NotificationSettingsDto> {
    await this.dataSource.transaction(async (m) => {
      await recordPerson(m, p);
      await m.query(`UPDATE people SET digest = $3 WHERE issuer = $1 AND user_id = $2`, [
        p.issuer,
        p.userId,
        body.digest,
      ]);
    });
    return this.get(p);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('api/me/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  @ApiOperation({
    summary: 'My e-mail notifications: the daily digest on or off, and the address it goes to.',
  })
  @ApiOkResponse({ type: NotificationSettingsDto })
  get(@CurrentPrincipal() p: Scoped): Promise<NotificationSettingsDto> {
    return this.settings.get(p);
  }

  @Put()
  @ApiOperation({ summary: 'Turn my daily digest on or off.' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  put(
    @CurrentPrincipal() p: Scoped,
    @Body() body: NotificationSettingsBodyDto,
  ): Promise<NotificationSettingsDto> {
    return this.settings.put(p, body);
  }
}
