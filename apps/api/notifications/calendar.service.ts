import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../libs/config/index.js';
import { activePerson, recordPerson, renderCalendar } from '../../../libs/notifications/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { assignmentLabel, placementRows, TasksService } from '../tasks/tasks.service.js';
import type { CalendarFeedDto } from './calendar.dto.js';

/*
 * Personal calendar feeds. The URL is the credential (calendar clients cannot send a bearer token), so:
 * - the token is 128 bits of feed id (hex) + 256 bits of secret (base64url); only SHA-256(secret) is
 *   stored, and it is compared in constant time after the feed is found by its id;
 * - one feed per person: creating a new one replaces (revokes) the old; DELETE revokes;
 * - an unknown, malformed or revoked token, and the feed of a person not seen for PEOPLE_MAX_IDLE_DAYS,
 *   answer 404 alike; the route is rate-limited per address like every other;
 * - the feed shows what the owner's inbox would show now (the same query and visibility rule, from the
 *   roles of their latest token), open tasks only, without any child identifier; each fetch is in the
 *   access log, one line per child whose tasks were shown, as the inbox is.
 */

export const FEED_ROUTE = 'GET /calendar/{token}.ics';
const TOKEN = /^([0-9a-f]{32})([A-Za-z0-9_-]{43})$/;
const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const uuidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tasks: TasksService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** Creates the person's feed, replacing any earlier one; the URL is returned this once. */
  async create(p: Scoped): Promise<CalendarFeedDto> {
    const id = randomBytes(16).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const [row] = await this.dataSource.transaction(async (m) => {
      // The auth guard records people too, but fail-soft; the feed's row needs its person.
      await recordPerson(m, p);
      await m.query(`DELETE FROM calendar_feeds WHERE issuer = $1 AND user_id = $2`, [p.issuer, p.userId]);
      return m.query<{ created_at: Date }[]>(
        `INSERT INTO calendar_feeds (feed_id, issuer, user_id, secret_hash) VALUES ($1, $2, $3, $4)
         RETURNING created_at`,
        [uuidOf(id), p.issuer, p.userId, sha256(secret)],
      );
    });
    return {
      url: `${this.config.PUBLIC_BASE_URL}/calendar/${id}${secret}.ics`,
      createdAt: (row?.created_at ?? new Date()).toISOString(),
    };
  }

  async revoke(p: Scoped): Promise<void> {
    await this.dataSource.query(`DELETE FROM calendar_feeds WHERE issuer = $1 AND user_id = $2`, [
      p.issuer,
      p.userId,
    ]);
  }

  /** The feed as iCalendar text, or undefined (answered 404) when the token opens nothing. */
  async feed(token: string, requestId?: string): Promise<string | undefined> {
    const match = TOKEN.exec(token);
    if (!match?.[1] || !match[2]) return undefined;
    const presented = sha256(match[2]);
    const [row] = await this.dataSource.query<
      { issuer: string; user_id: string; secret_hash: Buffer; stale: boolean }[]
    >(
      `SELECT issuer, user_id, secret_hash, last_used_at IS NULL OR last_used_at < now() - interval '5 minutes' AS stale
         FROM calendar_feeds WHERE feed_id = $1`,
      [uuidOf(match[1])],
    );
    // Compared whether or not the feed exists, so both paths take the same time.
    const stored = row?.secret_hash.length === presented.length ? row.secret_hash : Buffer.alloc(32);
    if (!timingSafeEqual(stored, presented) || !row) return undefined;

    const owner = await activePerson(this.dataSource, { issuer: row.issuer, userId: row.user_id });
    if (!owner) return undefined;
    const tasks = await this.tasks.openTasks(owner);
    // One line per child whose tasks were shown; an assignment's task names no child.
    await this.accessLog.recordListing(owner, FEED_ROUTE, placementRows(tasks), requestId);
    const services = await this.tasks.serviceNames(tasks);
    if (row.stale)
      await this.dataSource.query(`UPDATE calendar_feeds SET last_used_at = now() WHERE feed_id = $1`, [
        uuidOf(match[1]),
      ]);
    return renderCalendar(
      tasks.map((t) => ({
        caseId: t.case_id,
        ...(t.case_kind === 'kompetansebase' ? { assignment: { label: assignmentLabel(t, services) } } : {}),
        taskId: t.task_id,
        title: t.title,
        dueOn: t.due_on,
        status: t.status,
      })),
      { baseUrl: this.config.PUBLIC_BASE_URL, domain: new URL(this.config.PUBLIC_BASE_URL).hostname },
    );
  }
}
