import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { startTimeSkippingServer } from '../../libs/dev-servers/temporal.js';
import { nextDailyRun } from '../../libs/domain/calendar/daily.js';
import { osloWallClock } from '../../libs/domain/calendar/oslo-time.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { EventStore } from '../../libs/event-store/index.js';
import { recordPerson, SmtpMailer } from '../../libs/notifications/index.js';
import { DEMO_SERVICES, DEMO_USERS, demoPrincipal } from '../../libs/security/index.js';
import { DIGEST_WORKFLOW_TYPE } from '../../workflows/notification-contracts.js';
import { seedPlacement } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

/**
 * The daily digest workflow on the real time-skipping server with the real activities, PostgreSQL and an
 * SMTP server on loopback that refuses the first attempts: the durable timer waits for 07:15 Oslo, the
 * refused digests are retried on the workflow's timers, and each person gets exactly one mail.
 */
describe('notification digest workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let smtp: TestSmtp;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    for (const userId of ['demo-kontaktperson', 'demo-leder']) {
      const user = DEMO_USERS.find((u) => u.userId === userId);
      if (!user) throw new Error(userId);
      await recordPerson(db.dataSource, demoPrincipal(user));
    }
  });
  afterAll(async () => {
    await smtp?.close();
    await env?.teardown();
    await db?.drop();
  });

  it('waits for 07:15 Oslo, then sends one mail per person through transient SMTP failures', async () => {
    const placement = await seedPlacement(db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [
        { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-03', assigneeId: 'demo-kontaktperson' },
        { taskId: 'leder#1', role: 'leder', dueOn: '2026-07-04' },
      ],
    });
    const at = new Date(await env.currentTimeMs()).toISOString();
    const events: PackageEvent[] = ['samtale#1', 'leder#1'].flatMap((taskId): PackageEvent[] => [
      { type: 'TaskOpened', data: { taskId, at } },
      { type: 'TaskDueSoon', data: { taskId, at } },
    ]);
    await new EventStore(db.dataSource).append(
      { streamType: 'placement', streamId: placement.placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
    // The first three SMTP transactions are refused: both digests fail once, one of them twice.
    smtp.refuseNext({ code: 451, at: 'data' }, { code: 421, at: 'rcpt' }, { code: 451, at: 'data' });

    const taskQueue = `digests-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
      activities: createActivities({
        eventStore: new EventStore(db.dataSource),
        notifications: {
          dataSource: db.dataSource,
          mailer: new SmtpMailer(smtp.url),
          from: 'Omsorgspakken <varsel@omsorg.example>',
          baseUrl: 'https://omsorg.example',
        },
      }),
    });
    const start = await env.currentTimeMs();
    const due = nextDailyRun(new Date(start).toISOString(), 7, 15);
    const handle = await env.client.workflow.start(DIGEST_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `digests-${randomUUID()}`,
      args: [{ hour: 7, minute: 15 }],
    });
    try {
      await worker.runUntil(async () => {
        // Nothing before the time.
        await env.sleep(Math.max(Date.parse(due.at) - start - 60_000, 0));
        expect(smtp.received).toHaveLength(0);
        // Past it, and past the retry pauses (1 and 2 minutes).
        await env.sleep(3 * 60 * 60_000);
        for (let i = 0; i < 200 && smtp.received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
        expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
          'demo-kontaktperson@nordby.example',
          'demo-leder@nordby.example',
        ]);
        expect(smtp.refused.map((r) => r.code)).toEqual([451, 421, 451]);
        const mails = await db.dataSource.query<{ state: string; attempts: number; digest_date: string }[]>(
          `SELECT state, attempts, digest_date::text AS digest_date FROM sent_mails ORDER BY attempts`,
        );
        expect(mails).toEqual([
          { state: 'sent', attempts: 2, digest_date: due.date },
          { state: 'sent', attempts: 3, digest_date: due.date },
        ]);
        // The day is done: the workflow continued as new, waiting for tomorrow.
        const description = await handle.describe();
        expect(description.status.name).toBe('RUNNING');
        expect(description.runId).not.toBe(handle.firstExecutionRunId);
        // Tomorrow: nothing pending, nothing sent.
        await env.sleep(24 * 60 * 60_000);
        expect(smtp.received).toHaveLength(2);
        expect(osloWallClock(new Date(await env.currentTimeMs()).toISOString()).date > due.date).toBe(true);
      });
    } finally {
      await handle.terminate('test done').catch(() => undefined);
    }
  });
});
