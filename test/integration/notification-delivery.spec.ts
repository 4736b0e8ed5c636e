import request from 'supertest';
import { createNotificationActivities } from '../../activities/notification.activities.js';
import { SmtpMailer } from '../../libs/notifications/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { seedPlacement, type TestApi } from '../support/api.js';
import {
  BASE,
  FROM,
  notificationHelpers,
  startNotifications,
  type NotificationActivities,
} from '../support/notifications.js';
import type { TestSmtp } from '../support/smtp.js';

/*
 * Delivery of the daily digests (test/support/notifications.ts): exactly one mail through transient SMTP
 * failures, at least once where acceptance was not recorded, none for a person who turned the digest
 * off, and a permanently refused digest kept for the next day. Each test plans its own tasks.
 */

describe('e-mail notifications (real PostgreSQL, SMTP on loopback)', () => {
  let api: TestApi;
  let smtp: TestSmtp;
  let acts: NotificationActivities;
  const { append, ev, sendDay, auth } = notificationHelpers(() => ({ api, smtp, acts }));

  beforeAll(async () => {
    ({ api, smtp, acts } = await startNotifications());
  });
  afterAll(async () => {
    await smtp?.close();
    await api?.close();
  });

  it('sends exactly one mail per digest through transient SMTP failures (421, 451)', async () => {
    const before = smtp.received.length;
    const p = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [
        { taskId: 'samtale#20', role: 'kontaktperson', dueOn: '2026-07-21' },
        { taskId: 'tilsyn#20', role: 'tilsynsforer', dueOn: '2026-07-22' },
        { taskId: 'leder#20', role: 'leder', dueOn: '2026-07-23' },
      ],
    });
    await append(
      p.placementId,
      ...['samtale#20', 'tilsyn#20', 'leder#20'].flatMap((id) => [
        ev('TaskOpened', id),
        ev('TaskDueSoon', id),
      ]),
    );
    await acts.collectNotifications();
    // Four recipients; the first three SMTP transactions are refused, whoever they are for.
    smtp.refuseNext({ code: 421, at: 'rcpt' }, { code: 451, at: 'data' }, { code: 451, at: 'data' });
    const { counts, retry } = await sendDay('2026-07-04');
    expect(retry).toEqual([]);
    expect(smtp.refused.map((r) => r.code)).toEqual([421, 451, 451]);
    expect(counts.sent).toBe(4);
    const fresh = smtp.received
      .slice(before)
      .flatMap((m) => m.to)
      .sort();
    expect(fresh).toEqual([
      'demo-kontaktperson-2@nordby.example',
      'demo-kontaktperson@nordby.example',
      'demo-leder@nordby.example',
      'demo-tilsynsforer@nordby.example',
    ]);
    const mails = await api.db.dataSource.query<
      { state: string; attempts: number; last_error: string | null }[]
    >(
      `SELECT state, attempts, last_error FROM sent_mails WHERE digest_date = '2026-07-04' ORDER BY attempts DESC`,
    );
    expect(mails.every((m) => m.state === 'sent' && m.last_error === null)).toBe(true);
    expect(mails.reduce((sum, m) => sum + m.attempts, 0)).toBe(4 + 3);
  });

  it('gives a digest whose acceptance was not recorded once more, with the same Message-ID (at-least-once)', async () => {
    const before = smtp.received.length;
    const p = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [{ taskId: 'leder#30', role: 'leder', dueOn: '2026-07-24' }],
    });
    await append(p.placementId, ev('TaskOpened', 'leder#30'), ev('TaskDueSoon', 'leder#30'));
    let crashes = 1;
    const crashing = createNotificationActivities({
      dataSource: api.db.dataSource,
      mailer: new SmtpMailer(smtp.url),
      from: FROM,
      baseUrl: BASE,
      // The SMTP server said 250; the process dies before it records `sent`.
      afterAccepted: () => {
        if (crashes-- > 0) throw new Error('simulated crash after SMTP accepted');
      },
    });
    await crashing.collectNotifications();
    await expect(crashing.sendDigests({ date: '2026-07-05' })).rejects.toThrow('simulated crash');
    const [mid] = await api.db.dataSource.query<{ state: string }[]>(
      `SELECT state FROM sent_mails WHERE digest_date = '2026-07-05'`,
    );
    expect(mid?.state).toBe('sending');
    // The retry cannot know whether the first went out: it sends again, as the same message.
    const retried = await crashing.sendDigests({ date: '2026-07-05' });
    expect(retried.counts).toEqual({ sent: 1, resent: 1 });
    const fresh = smtp.received.slice(before);
    expect(fresh).toHaveLength(2);
    expect(fresh[0]?.parsed.messageId).toBe(fresh[1]?.parsed.messageId);
    // And after that, never again.
    expect((await crashing.sendDigests({ date: '2026-07-05' })).counts).toEqual({});
    expect(
      (await crashing.sendDigests({ date: '2026-07-05', only: [{ issuer: 'x', userId: 'y' }] })).counts,
    ).toEqual({ nothing: 1 });
    expect(smtp.received.slice(before)).toHaveLength(2);
  });

  it('sends nothing to a person who turned the digest off', async () => {
    const settings = async (body?: { digest: string }) => {
      const req = body
        ? request(api.server).put('/api/me/notification-settings').send(body)
        : request(api.server).get('/api/me/notification-settings');
      return req.set('Authorization', await auth('demo-tilsynsforer'));
    };
    expect((await settings()).body).toEqual({ digest: 'daily', email: 'demo-tilsynsforer@nordby.example' });
    expect((await settings({ digest: 'weekly' })).status).toBe(400);
    const off = await settings({ digest: 'off' });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ digest: 'off', email: 'demo-tilsynsforer@nordby.example' });

    const before = smtp.received.length;
    const p = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [{ taskId: 'tilsyn#50', role: 'tilsynsforer', dueOn: '2026-07-26' }],
    });
    await append(p.placementId, ev('TaskOpened', 'tilsyn#50'), ev('TaskDueSoon', 'tilsyn#50'));
    await acts.collectNotifications();
    expect((await sendDay('2026-07-08')).counts).toEqual({});
    expect(smtp.received).toHaveLength(before);
    expect((await settings({ digest: 'daily' })).body).toEqual({
      digest: 'daily',
      email: 'demo-tilsynsforer@nordby.example',
    });
  });

  it('keeps a permanently refused digest for the next day, and then sends it once', async () => {
    const before = smtp.received.length;
    const p = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.sorvik,
      bufetatHelp: false,
      tasks: [{ taskId: 'leder#40', role: 'leder', dueOn: '2026-07-25' }],
    });
    await append(p.placementId, ev('TaskOpened', 'leder#40'), ev('TaskDueSoon', 'leder#40'));
    await acts.collectNotifications();
    smtp.refuseNext({ code: 550, at: 'rcpt' });
    expect((await sendDay('2026-07-06')).counts).toEqual({ rejected: 1 });
    expect((await sendDay('2026-07-06')).counts).toEqual({ rejected: 1 });
    expect(smtp.received).toHaveLength(before);
    expect((await sendDay('2026-07-07')).counts).toEqual({ sent: 1 });
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['demo-sorvik-leder@sorvik.example']]);
    const states = await api.db.dataSource.query<{ digest_date: string; state: string }[]>(
      `SELECT digest_date::text, state FROM sent_mails WHERE recipient_id = 'demo-sorvik-leder' ORDER BY 1`,
    );
    expect(states).toEqual([
      { digest_date: '2026-07-06', state: 'abandoned' },
      { digest_date: '2026-07-07', state: 'sent' },
    ]);
  });
});
