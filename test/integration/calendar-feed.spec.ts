import { randomBytes, randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import request from 'supertest';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import type { InboxPageDto } from '../../apps/api/tasks/tasks.dto.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  startTestApi,
  type FixturePlacement,
  type TestApi,
} from '../support/api.js';

/*
 * The personal iCalendar feed over the API on a real PostgreSQL, read back with an independent parser
 * (ical.js): its events are exactly the person's open tasks as the inbox shows them, on their due dates,
 * with a link and nothing about the child; a rotated or revoked address answers 404.
 */

const BASE = 'https://omsorg.example';
const CHILD_NAME = 'Planta Kalendersen';

interface FeedEvent {
  uid: string;
  summary: string;
  start: string;
  allDay: boolean;
  url: string;
  description: string;
}

function parseFeed(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toString(),
      allDay: event.startDate.isDate,
      url: String(vevent.getFirstPropertyValue('url')),
      description: event.description,
    };
  });
}

describe('calendar feed (real PostgreSQL, parsed by ical.js)', () => {
  let api: TestApi;
  let nordby: FixturePlacement;
  let sorvik: FixturePlacement;
  const auth = async (userId: string) => `Bearer ${await api.token(userId)}`;
  const createFeed = async (userId: string) => {
    const res = await request(api.server)
      .post('/api/me/calendar-feed')
      .set('Authorization', await auth(userId));
    expect(res.status).toBe(201);
    const { url } = bodyOf<{ url: string }>(res);
    expect(url.startsWith(`${BASE}/calendar/`)).toBe(true);
    return url.slice(BASE.length);
  };
  const fetchFeed = (path: string) => request(api.server).get(path).buffer(true);
  const append = async (placementId: string, ...events: PackageEvent[]) =>
    new EventStore(api.db.dataSource).append(
      { streamType: 'placement', streamId: placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
  const ev = (type: 'TaskOpened' | 'TaskDueSoon' | 'TaskOverdue', taskId: string): PackageEvent => ({
    type,
    data: { taskId, at: '2026-07-01T05:00:00.000Z' },
  });

  /** What the person's inbox shows as open, as (link, due date). */
  async function openInInbox(userId: string): Promise<string[]> {
    const res = await request(api.server)
      .get('/api/tasks?limit=200')
      .set('Authorization', await auth(userId));
    return bodyOf<InboxPageDto>(res)
      .items.filter((t) => ['open', 'due-soon', 'overdue'].includes(t.status))
      .map((t) => `${BASE}/oppgaver/${t.placementId}/${encodeURIComponent(t.taskId)} ${t.dueOn}`)
      .sort();
  }

  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_BASE_URL: BASE });
    nordby = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [
        { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-03', assigneeId: 'demo-kontaktperson' },
        { taskId: 'samtale#2', role: 'kontaktperson', dueOn: '2026-07-06' },
        { taskId: 'samtale#3', role: 'kontaktperson', dueOn: '2026-07-07' },
        { taskId: 'samtale#4', role: 'kontaktperson', dueOn: '2026-08-01' },
        { taskId: 'tilsyn#1', role: 'tilsynsforer', dueOn: '2026-07-08', assigneeId: 'demo-tilsynsforer' },
      ],
    });
    sorvik = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.sorvik,
      bufetatHelp: false,
      tasks: [{ taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-10' }],
    });
    await append(
      nordby.placementId,
      ev('TaskOpened', 'samtale#1'),
      ev('TaskOpened', 'samtale#2'),
      ev('TaskOpened', 'samtale#3'),
      ev('TaskOpened', 'tilsyn#1'),
      ev('TaskDueSoon', 'samtale#1'),
      ev('TaskOverdue', 'samtale#2'),
      {
        type: 'TaskCompleted',
        data: {
          taskId: 'samtale#3',
          at: '2026-07-01T06:00:00.000Z',
          completedOn: '2026-07-01',
          outcome: 'gjennomfort',
          by: { userId: 'demo-kontaktperson', role: 'kontaktperson' },
        },
      },
      // samtale#4 stays planned: not open yet, not in the feed.
    );
    await append(sorvik.placementId, ev('TaskOpened', 'samtale#1'));
    await projectAll(api.db);
    const put = await request(api.server)
      .put(`/api/placements/${nordby.placementId}/personal-data`)
      .set('Authorization', await auth('demo-leder'))
      .send({ child: { name: CHILD_NAME, nationalId: '15076500565' }, parents: [], fosterFamily: [] });
    expect(put.status).toBe(204);
  });
  afterAll(() => api?.close());

  it('holds exactly the open tasks of the inbox, all day on the due date, with a link and no child data', async () => {
    const path = await createFeed('demo-kontaktperson');
    const res = await fetchFeed(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.text;
    const events = parseFeed(text);
    expect(events.map((e) => `${e.url} ${e.start}`).sort()).toEqual(await openInInbox('demo-kontaktperson'));
    expect(events.map((e) => `${e.url.slice(BASE.length)} ${e.start}`).sort()).toEqual([
      `/oppgaver/${nordby.placementId}/samtale%231 2026-07-03`,
      `/oppgaver/${nordby.placementId}/samtale%232 2026-07-06`,
      // A caseworker sees every task of the service (libs/security/access.ts), as in the inbox.
      `/oppgaver/${nordby.placementId}/tilsyn%231 2026-07-08`,
    ]);
    // RFC 5545 §3.1: every content line, the last one too, ends with CRLF; no bare LF anywhere.
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(events.every((e) => e.allDay)).toBe(true);
    const overdue = events.find((e) => e.url.endsWith('samtale%232'));
    expect(overdue?.summary).toBe('Samtale med barnet (forfalt)');
    expect(overdue?.description).toContain('Fristen er passert. Frist 06.07.2026.');
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    for (const secret of [CHILD_NAME, '15076500565', nordby.childRef, sorvik.childRef])
      expect(text).not.toContain(secret);

    // The secret is not stored: only its SHA-256.
    const [row] = await api.db.dataSource.query<{ secret_hash: Buffer }[]>(
      `SELECT secret_hash FROM calendar_feeds WHERE user_id = 'demo-kontaktperson'`,
    );
    expect(row?.secret_hash).toHaveLength(32);
    expect(path).not.toContain(row?.secret_hash.toString('base64url'));
    // Each fetch is in the access log, as the inbox is.
    const [logged] = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM access_log WHERE action = 'GET /calendar/{token}.ics' AND child_refs @> ARRAY[$1::uuid]`,
      [nordby.childRef],
    );
    expect(logged?.n).toBe(1);
  });

  it("shows another person's feed only that person's tasks", async () => {
    const mine = parseFeed((await fetchFeed(await createFeed('demo-sorvik-kontaktperson'))).text);
    expect(mine.map((e) => `${e.url} ${e.start}`)).toEqual(await openInInbox('demo-sorvik-kontaktperson'));
    expect(mine.map((e) => e.url)).toEqual([`${BASE}/oppgaver/${sorvik.placementId}/samtale%231`]);
    const supervisor = parseFeed((await fetchFeed(await createFeed('demo-tilsynsforer'))).text);
    expect(supervisor.map((e) => e.url)).toEqual([`${BASE}/oppgaver/${nordby.placementId}/tilsyn%231`]);
    // A role with no tasks gets an empty, valid calendar.
    expect(parseFeed((await fetchFeed(await createFeed('demo-admin'))).text)).toEqual([]);
  });

  it('answers 404 for a rotated, revoked, unknown or malformed address', async () => {
    const first = await createFeed('demo-kontaktperson-2');
    expect((await fetchFeed(first)).status).toBe(200);
    const second = await createFeed('demo-kontaktperson-2');
    expect(second).not.toBe(first);
    const rotated = await fetchFeed(first);
    expect(rotated.status).toBe(404);
    expect(rotated.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect((await fetchFeed(second)).status).toBe(200);

    const revoke = await request(api.server)
      .delete('/api/me/calendar-feed')
      .set('Authorization', await auth('demo-kontaktperson-2'));
    expect(revoke.status).toBe(204);
    expect((await fetchFeed(second)).status).toBe(404);

    // The right feed id with a wrong secret, a made-up one, and garbage.
    const feedId = second.slice('/calendar/'.length, '/calendar/'.length + 32);
    const own = await createFeed('demo-kontaktperson-2');
    const ownId = own.slice('/calendar/'.length, '/calendar/'.length + 32);
    expect((await fetchFeed(`/calendar/${ownId}${randomBytes(32).toString('base64url')}.ics`)).status).toBe(
      404,
    );
    expect((await fetchFeed(`/calendar/${feedId}${randomBytes(32).toString('base64url')}.ics`)).status).toBe(
      404,
    );
    expect((await fetchFeed('/calendar/not-a-token.ics')).status).toBe(404);
    expect((await fetchFeed(own)).status).toBe(200);
  });

  it('needs a login to create or revoke a feed', async () => {
    expect((await request(api.server).post('/api/me/calendar-feed')).status).toBe(401);
    expect((await request(api.server).delete('/api/me/calendar-feed')).status).toBe(401);
  });
});
