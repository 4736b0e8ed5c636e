import request from 'supertest';
import type { PackageEvent } from '../../libs/domain/events.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { projectAll, seedPlacement, type FixturePlacement, type TestApi } from '../support/api.js';
import {
  BASE,
  notificationHelpers,
  startNotifications,
  type NotificationActivities,
} from '../support/notifications.js';
import type { TestSmtp } from '../support/smtp.js';

/*
 * E-mail notifications end to end below Temporal: events → outbox (recipients by the access rules) →
 * daily digest over a real SMTP server on loopback, on a real PostgreSQL, with the API in process (its
 * auth guard records the people; the child's details and a note are planted through it).
 * test/workflows/notification-digest.spec.ts runs the same activities in the workflow on the
 * time-skipping server. Delivery through SMTP failures and a digest turned off:
 * notification-delivery.spec.ts.
 */

const CHILD_NAME = 'Planta Hemmeligsen';
const FNR = '15076500565';
const NOTE = `${CHILD_NAME} gruer seg til skolestart`;

describe('e-mail notifications (real PostgreSQL, SMTP on loopback)', () => {
  let api: TestApi;
  let smtp: TestSmtp;
  let acts: NotificationActivities;
  let nordby: FixturePlacement;
  let sorvik: FixturePlacement;
  const { append, at, ev, sendDay, auth } = notificationHelpers(() => ({ api, smtp, acts }));

  const escalated = (taskId: string): PackageEvent => ({
    type: 'TaskEscalated',
    data: { taskId, at: at(), toRole: 'leder' },
  });
  const completed = (taskId: string): PackageEvent => ({
    type: 'TaskCompleted',
    data: {
      taskId,
      at: at(),
      completedOn: '2026-07-01',
      outcome: 'gjennomfort',
      by: { userId: 'demo-kontaktperson', role: 'kontaktperson' },
    },
  });
  const byAddress = () => {
    const map = new Map<string, number>();
    for (const mail of smtp.received) for (const to of mail.to) map.set(to, (map.get(to) ?? 0) + 1);
    return map;
  };

  beforeAll(async () => {
    ({ api, smtp, acts } = await startNotifications());
    nordby = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: true,
      tasks: [
        { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-03', assigneeId: 'demo-kontaktperson' },
        { taskId: 'samtale#2', role: 'kontaktperson', dueOn: '2026-07-06' },
        { taskId: 'samtale#3', role: 'kontaktperson', dueOn: '2026-07-07', assigneeId: 'demo-kontaktperson' },
        { taskId: 'fhr#1', role: 'fosterhjemsressurs', dueOn: '2026-07-08' },
        { taskId: 'bufetat#1', role: 'bufetat', dueOn: '2026-07-09' },
        { taskId: 'leder#1', role: 'leder', dueOn: '2026-06-20' },
      ],
    });
    sorvik = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.sorvik,
      bufetatHelp: false,
      tasks: [
        { taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-07-10' },
        { taskId: 'fhr#1', role: 'fosterhjemsressurs', dueOn: '2026-07-11' },
      ],
    });
    const ids = ['samtale#1', 'samtale#2', 'samtale#3', 'fhr#1', 'bufetat#1', 'leder#1'];
    await append(
      nordby.placementId,
      ...ids.map((id) => ev('TaskOpened', id)),
      ...ids.filter((id) => id !== 'leder#1').map((id) => ev('TaskDueSoon', id)),
      ev('TaskOverdue', 'leder#1'),
      escalated('leder#1'),
      // Reminded, then done before the digest: nobody hears about it.
      completed('samtale#3'),
    );
    await append(
      sorvik.placementId,
      ev('TaskOpened', 'samtale#1'),
      ev('TaskOpened', 'fhr#1'),
      ev('TaskDueSoon', 'samtale#1'),
      ev('TaskDueSoon', 'fhr#1'),
    );
    await projectAll(api.db);

    // Identifying details and a note about the child, through the API, where a careless mail could find them.
    const put = await request(api.server)
      .put(`/api/placements/${nordby.placementId}/personal-data`)
      .set('Authorization', await auth('demo-leder'))
      .send({
        child: { name: CHILD_NAME, birthDate: '2017-05-01', nationalId: FNR },
        parents: [],
        fosterFamily: [],
      });
    expect(put.status).toBe(204);
    const note = await request(api.server)
      .post(`/api/tasks/${nordby.placementId}/${encodeURIComponent('samtale#1')}/notes`)
      .set('Authorization', await auth('demo-kontaktperson'))
      .set('Idempotency-Key', 'note-with-a-planted-name')
      .send({ text: NOTE });
    expect(note.status).toBe(201);
  });
  afterAll(async () => {
    await smtp?.close();
    await api?.close();
  });

  it('records who the API sees, with the e-mail address of their token', async () => {
    const res = await request(api.server)
      .get('/api/me')
      .set('Authorization', await auth('demo-tilsynsforer'));
    expect(res.status).toBe(200);
    const [row] = await api.db.dataSource.query<{ email: string; roles: string[]; organisation: string }[]>(
      `SELECT email, roles, organisation FROM people WHERE user_id = 'demo-tilsynsforer'`,
    );
    expect(row).toEqual({
      email: 'demo-tilsynsforer@nordby.example',
      roles: ['tilsynsforer'],
      organisation: DEMO_SERVICES.nordby,
    });
  });

  it('puts one notification per recipient in the outbox, chosen by the access rules, and a replay adds none', async () => {
    const first = await acts.collectNotifications();
    expect(first.notifications).toBeGreaterThan(0);
    const rows = await api.db.dataSource.query<
      { recipient_id: string; task: string; kind: string; state: string }[]
    >(
      `SELECT recipient_id, CASE WHEN placement_id = $1 THEN 'nordby/' ELSE 'sorvik/' END || task_id AS task, kind, state
         FROM notifications ORDER BY 2, 1, 3`,
      [nordby.placementId],
    );
    expect(rows.map((r) => `${r.task} ${r.kind} → ${r.recipient_id} (${r.state})`)).toEqual([
      'nordby/bufetat#1 due-soon → demo-bufetat (pending)',
      // Fosterhjemsressurs of Nordby's network.
      'nordby/fhr#1 due-soon → demo-fosterhjemsressurs (pending)',
      'nordby/leder#1 escalated → demo-leder (pending)',
      'nordby/leder#1 overdue → demo-leder (pending)',
      'nordby/samtale#1 due-soon → demo-kontaktperson (pending)',
      // The kontaktperson pool of Nordby (not Sørvik's).
      'nordby/samtale#2 due-soon → demo-kontaktperson (pending)',
      'nordby/samtale#2 due-soon → demo-kontaktperson-2 (pending)',
      // Completed after the reminder.
      'nordby/samtale#3 due-soon → demo-kontaktperson (obsolete)',
      // Sørvik is in the same learning network.
      'sorvik/fhr#1 due-soon → demo-fosterhjemsressurs (pending)',
      'sorvik/samtale#1 due-soon → demo-sorvik-kontaktperson (pending)',
    ]);
    // The outbox has no column for a child, and holds the step's catalog title, not a name or a note.
    const text = JSON.stringify(await api.db.dataSource.query(`SELECT * FROM notifications`));
    expect(text).not.toContain(nordby.childRef);
    expect(text).not.toContain(CHILD_NAME);

    // Replaying every event from the start adds nothing (deterministic ids).
    await api.db.dataSource.query(`DELETE FROM notification_placement_state`);
    await api.db.dataSource.query(`DELETE FROM projection_checkpoints WHERE name = 'notifications'`);
    const replay = await acts.collectNotifications();
    expect(replay.events).toBeGreaterThan(0);
    expect(replay.notifications).toBe(0);
    const [{ n }] = await api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notifications`,
    );
    expect(n).toBe(rows.length);
  });

  it('sends one digest per person, with step, date and link, and nothing that identifies the child', async () => {
    const { counts, retry } = await sendDay('2026-07-01');
    expect(retry).toEqual([]);
    expect(counts.sent).toBe(6);
    expect(Object.fromEntries(byAddress())).toEqual({
      'demo-bufetat@bufetat.example': 1,
      'demo-fosterhjemsressurs@nordby.example': 1,
      'demo-kontaktperson-2@nordby.example': 1,
      'demo-kontaktperson@nordby.example': 1,
      'demo-leder@nordby.example': 1,
      'demo-sorvik-kontaktperson@sorvik.example': 1,
    });

    const mail = smtp.received.find((m) => m.to.includes('demo-kontaktperson@nordby.example'));
    if (!mail) throw new Error('no mail for demo-kontaktperson');
    expect(mail.parsed.subject).toBe('Omsorgspakken 01.07.2026: 2 oppgaver trenger oppfølging');
    expect(mail.parsed.messageId).toMatch(/^<digest-[0-9a-f-]{36}@omsorg\.example>$/);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Fristen nærmer seg (2):');
    expect(text).toContain('- Samtale med barnet, frist 03.07.2026');
    expect(text).toContain(`${BASE}/oppgaver/${nordby.placementId}/samtale%231`);
    expect(text).toContain(`${BASE}/oppgaver/${nordby.placementId}/samtale%232`);
    expect(text).not.toContain('samtale%233'); // completed
    expect(mail.parsed.html).toContain(`href="${BASE}/oppgaver/${nordby.placementId}/samtale%231"`);

    const leader = smtp.received.find((m) => m.to.includes('demo-leder@nordby.example'));
    expect(leader?.parsed.subject).toBe('Omsorgspakken 01.07.2026: 1 oppgave trenger oppfølging');
    expect(leader?.parsed.text).toContain('Eskalert til leder');
    expect(leader?.parsed.text).toContain('frist 20.06.2026');

    // Whatever was planted about the child is in no mail, in any part or header.
    for (const m of smtp.received) {
      for (const secret of [
        CHILD_NAME,
        'Hemmeligsen',
        FNR,
        '2017-05-01',
        nordby.childRef,
        sorvik.childRef,
        'gruer',
      ])
        expect(m.raw).not.toContain(secret);
    }
    const [states] = await api.db.dataSource.query<{ pending: number; sent: number }[]>(
      `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'sent')::int AS sent
         FROM notifications`,
    );
    expect(states).toEqual({ pending: 0, sent: 9 });
  });

  it('sends nothing new when the day runs again, and the next notification the next day', async () => {
    const before = smtp.received.length;
    await acts.collectNotifications();
    const again = await sendDay('2026-07-01');
    expect(again.counts).toEqual({});
    expect(smtp.received).toHaveLength(before);

    // A new reminder after the day's digest waits for the next day's.
    await append(sorvik.placementId, ev('TaskOverdue', 'samtale#1'));
    await acts.collectNotifications();
    expect((await sendDay('2026-07-01')).counts).toEqual({ 'already-sent': 1 });
    expect(smtp.received).toHaveLength(before);
    expect((await sendDay('2026-07-02')).counts).toEqual({ sent: 1 });
    expect(smtp.received).toHaveLength(before + 1);
    const last = smtp.received[smtp.received.length - 1];
    expect(last?.to).toEqual(['demo-sorvik-kontaktperson@sorvik.example']);
    expect(last?.parsed.text).toContain('Fristen er passert (1):');
  });

  it('tells a reassigned task only to its new assignee', async () => {
    const before = smtp.received.length;
    const p = await seedPlacement(api.db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [{ taskId: 'samtale#9', role: 'kontaktperson', dueOn: '2026-07-20' }],
    });
    await append(p.placementId, ev('TaskOpened', 'samtale#9'), ev('TaskDueSoon', 'samtale#9'));
    await acts.collectNotifications(); // the pool: both caseworkers
    await append(p.placementId, {
      type: 'TaskReassigned',
      data: {
        taskId: 'samtale#9',
        at: at(),
        assigneeId: 'demo-kontaktperson-2',
        role: 'kontaktperson',
        by: { userId: 'demo-leder', role: 'leder' },
      },
    });
    await acts.collectNotifications();
    expect((await sendDay('2026-07-03')).counts).toEqual({ sent: 1, nothing: 1 });
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['demo-kontaktperson-2@nordby.example']]);
  });
});
