import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { projectAssignment } from '../../activities/kompetansebase-read-models.js';
import { appendStreamEvents } from '../../activities/package-store.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import {
  ASSIGNMENT_STREAM_TYPE,
  KOMPETANSEBASE_CATALOG,
  decideAssignmentTick,
  decideComplete,
  decideOrder,
  evolveAssignment,
  orderSteps,
  planAssignmentTask,
  type AssignmentEvent,
  type AssignmentState,
  type StepToPlan,
} from '../../libs/domain/kompetansebase/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { DEMO_NETWORK, DEMO_SERVICES } from '../../libs/security/index.js';
import {
  BASE,
  notificationHelpers,
  startNotifications,
  type NotificationActivities,
} from '../support/notifications.js';
import type { TestApi } from '../support/api.js';
import type { TestSmtp } from '../support/smtp.js';

/*
 * The daily digest tells a kompetansebase's staff about their assignments' deadlines (issue 17), on a real
 * PostgreSQL and a real SMTP server on loopback: assignment events appended through the store the
 * workflow's activity uses (appendStreamEvents with the real read-model and outbox writer in its
 * transaction), digests sent by the notification activities. The clock is the events' own (fixed
 * instants the test sets); the mails carry the step, the request type and a link, never the case.
 */

describe('e-mail digest of kompetansebase assignments (real PostgreSQL, SMTP on loopback)', () => {
  let api: TestApi;
  let smtp: TestSmtp;
  let acts: NotificationActivities;
  const { sendDay } = notificationHelpers(() => ({ api, smtp, acts }));
  const calendar = norwegianWorkingDays();
  const plan = (steps: readonly StepToPlan[]) =>
    steps.map((s) =>
      planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar),
    );
  const counsellor = { userId: 'demo-kb-veileder', role: 'kompetansebase-veileder' } as const;

  /** Appends events to an assignment's stream the way the workflow's activity does; the state after. */
  async function append(s: AssignmentState | undefined, assignmentId: string, events: AssignmentEvent[]) {
    await appendStreamEvents(
      new EventStore(api.db.dataSource),
      {
        streamType: ASSIGNMENT_STREAM_TYPE,
        streamId: assignmentId,
        expectedVersion: s?.version ?? 0,
        events,
      },
      (m) => projectAssignment(m, assignmentId, events),
    );
    return events.reduce<AssignmentState | undefined>(evolveAssignment, s)!;
  }

  async function order(orderedOn: string) {
    const id = randomUUID();
    const [base] = await api.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM kompetansebaser WHERE network_id = $1`,
      [DEMO_NETWORK],
    );
    const events = decideOrder(
      {
        commandId: randomUUID(),
        assignmentId: id,
        origin: { baseId: base.id, networkId: DEMO_NETWORK, serviceId: DEMO_SERVICES.nordby },
        requestType: 'oppfolging-foreldre-mistet-omsorgen',
        urgency: 'haster',
        catalogVersion: KOMPETANSEBASE_CATALOG.version,
        by: { userId: 'demo-kontaktperson', role: 'kontaktperson' },
      },
      plan(orderSteps(orderedOn)),
      `${orderedOn}T08:00:00.000Z`,
    );
    return { id, state: await append(undefined, id, events) };
  }

  beforeAll(async () => {
    ({ api, smtp, acts } = await startNotifications());
    // The people the API has seen (with the e-mail address of their tokens).
    for (const userId of ['demo-kb-veileder', 'demo-kb-leder', 'demo-kontaktperson', 'demo-leder'])
      expect(
        (
          await request(api.server)
            .get('/api/me')
            .set('Authorization', `Bearer ${await api.token(userId)}`)
        ).status,
      ).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await smtp?.close();
    await api?.close();
  });

  it('tells the counsellors of an overdue call-back and the base leader of escalations, with a link to the assignment', async () => {
    const late = await order('2026-06-01');
    // Ordered the same day, its call-back made late, before the digest: nobody hears of it.
    const done = await order('2026-06-01');
    const tick = '2026-06-30T04:00:00.000Z';
    await append(late.state, late.id, decideAssignmentTick(late.state, tick));
    const overdue = await append(done.state, done.id, decideAssignmentTick(done.state, tick));
    const callBack = {
      commandId: 'c',
      taskId: 'tilbakeringing#1',
      completedOn: '2026-06-30',
      by: counsellor,
    };
    await append(overdue, done.id, decideComplete(overdue, callBack, [], '2026-06-30T06:00:00.000Z'));
    // The placements' outbox reads past the assignment streams.
    await acts.collectNotifications();

    const before = smtp.received.length;
    const { counts, retry } = await sendDay('2026-06-30');
    expect(retry).toEqual([]);
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.to).sort()).toEqual([
      ['demo-kb-leder@nordby.example'],
      ['demo-kb-veileder@nordby.example'],
    ]);
    expect(counts.sent).toBe(2);

    const text = (to: string) => mails.find((m) => m.to.includes(to))?.parsed.text ?? '';
    const link = (id: string) => `${BASE}/kompetansebase/oppdrag/${id}`;
    const veileder = text('demo-kb-veileder@nordby.example');
    expect(veileder).toContain('Fristen er passert (1):');
    expect(veileder).toContain(
      '- Ring tilbake til barneverntjenesten og avklar bestillingen (kompetansebase: Oppfølging av foreldre som har mistet omsorgen), frist',
    );
    expect(veileder).toContain(link(late.id));
    expect(veileder).not.toContain(done.id);

    const leder = text('demo-kb-leder@nordby.example');
    // The review is the leader's own (overdue, then escalated) and the call-back escalated: each once.
    expect(leder).toContain('Eskalert til leder (fristen er passert med mer enn en uke) (3):');
    expect(leder).toContain('Vurder bestillingen: ta imot, avslå eller sett på vent (kompetansebase:');
    expect(leder).toContain(link(done.id)); // its review is still open
    expect(mails.find((m) => m.to.includes('demo-kb-leder@nordby.example'))?.parsed.html).toContain(
      `href="${link(late.id)}"`,
    );
    // Codes and ids only: no service id (the case's), no urgency, no case number column exists to leak.
    for (const m of mails) {
      expect(m.raw).not.toContain(DEMO_SERVICES.nordby);
      expect(m.raw).not.toMatch(/saksnummer|haster/i);
    }

    // A second run of the day sends nothing more.
    const again = await sendDay('2026-06-30');
    expect(again.counts.sent ?? 0).toBe(0);
    expect(smtp.received).toHaveLength(before + 2);
  });
});
