import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';
import { stackApi, withTemporal } from '../support/stack-api.js';

/**
 * Kompetansebase orders through the real system (issue 17): HTTP → the order's texts sealed in
 * PostgreSQL → the assignment workflow on the dev server → events and read models → the base's queue.
 * A Nordby caseworker orders from the demo network's base; its leader lets one order wait, declines
 * another and accepts a third; a counsellor calls back and holds the start talk. The texts never reach
 * Temporal; another network's people see nothing. The base's adherence counts what the worker recorded
 * (a late report needs virtual time: test/workflows/kompetansebase-assignment.spec.ts).
 */
describe('kompetansebase orders through the API', () => {
  let stack: RunningStack;
  const { post, get } = stackApi(() => stack);

  beforeAll(async () => {
    stack = await startTestStack('kompetansebase-api');
  });
  afterAll(() => stack?.stop());

  const order = (caseNumber: string, extra: Record<string, unknown> = {}) => ({
    requestType: 'veiledning-fosterforeldre',
    urgency: 'vanlig',
    caseNumber,
    goal: 'Fosterforeldrene skal mestre hverdagen med barnet.',
    planReference: 'Tiltaksplan 2026-04',
    ...extra,
  });

  interface Queue {
    base: { name: string; capacity: number; active: number };
    queue: { assignmentId: string; status: string; waitingDays: number; waitReason?: string }[];
  }
  interface Detail {
    status: string;
    caseNumber?: string;
    declineReason?: string;
    evaluationOn?: string;
    tasks: { taskId: string; status: string; dueOn: string }[];
  }

  it('takes orders once per key, refuses bad input by field, and keeps the texts out of Temporal', async () => {
    const key = randomUUID();
    const first = await post('demo-kontaktperson', '/api/kompetansebase/orders', order('KB-1001'), key);
    expect(first.status).toBe(201);
    const { assignmentId } = (await first.json()) as { assignmentId: string };
    const again = await post('demo-kontaktperson', '/api/kompetansebase/orders', order('KB-1001'), key);
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ assignmentId, repeated: true });
    const other = await post('demo-kontaktperson', '/api/kompetansebase/orders', order('KB-9999'), key);
    expect(other.status).toBe(422);

    const unknown = await post(
      'demo-kontaktperson',
      '/api/kompetansebase/orders',
      order('KB-2', { urgency: 'nå' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await unknown.json()).toMatchObject({ errors: [{ field: 'urgency' }] });
    const named = await post(
      'demo-kontaktperson',
      '/api/kompetansebase/orders',
      order('KB-3', {
        requestType: 'gruppeveiledning-fosterforeldre',
        families: ['Ola Hansen', 'Kari Hansen'],
      }),
    );
    expect(named.status).toBe(400);
    expect(await named.json()).toMatchObject({ errors: [{ field: 'families' }] });
    const blank = await post('demo-kontaktperson', '/api/kompetansebase/orders', order('   '));
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ errors: [{ field: 'caseNumber' }] });

    const detail = await get('demo-kontaktperson', `/api/kompetansebase/assignments/${assignmentId}`);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ status: 'bestilt', caseNumber: 'KB-1001' });
    // Another service in the network, and another network: not theirs.
    expect(
      (await get('demo-sorvik-kontaktperson', `/api/kompetansebase/assignments/${assignmentId}`)).status,
    ).toBe(404);
    expect(
      (await get('demo-vestby-kontaktperson', `/api/kompetansebase/assignments/${assignmentId}`)).status,
    ).toBe(404);

    const history = await withTemporal(stack, async (client) =>
      JSON.stringify(
        await client.workflow.getHandle(`kompetansebase-${assignmentId}`).fetchHistory(),
        (k, value: unknown) =>
          k === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
      ),
    );
    expect(history).toContain('veiledning-fosterforeldre');
    expect(history).not.toContain('KB-1001');
    expect(history).not.toContain('Tiltaksplan');
    expect(history).not.toContain('hverdagen');
  });

  it("runs the base's queue: wait, decline, accept, then the call-back and the start talk", async () => {
    const today = osloDateOf(Date.now());
    const ids: string[] = [];
    for (const n of ['KB-2001', 'KB-2002', 'KB-2003']) {
      const res = await post('demo-kontaktperson', '/api/kompetansebase/orders', order(n));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { assignmentId: string }).assignmentId);
    }
    const [waiting, declined, accepted] = ids;

    const before = (await (await get('demo-kb-leder', '/api/kompetansebase/queue')).json()) as Queue;
    expect(before.base.capacity).toBe(8);
    expect(before.queue.map((q) => q.assignmentId)).toEqual(expect.arrayContaining(ids));
    expect(before.queue.find((q) => q.assignmentId === waiting)).toMatchObject({
      status: 'bestilt',
      waitingDays: 0,
    });
    // Only the leader decides; another network's people see no queue of this base.
    expect(
      (await post('demo-kb-veileder', `/api/kompetansebase/assignments/${accepted}/accept`, {})).status,
    ).toBe(403);
    expect((await get('demo-kontaktperson', '/api/kompetansebase/queue')).status).toBe(403);

    const badReason = await post('demo-kb-leder', `/api/kompetansebase/assignments/${declined}/decline`, {
      reason: 'travelt',
    });
    expect(badReason.status).toBe(400);
    expect(await badReason.json()).toMatchObject({ errors: [{ field: 'reason' }] });

    expect(
      (
        await post('demo-kb-leder', `/api/kompetansebase/assignments/${waiting}/wait`, {
          reason: 'kapasitet',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await post('demo-kb-leder', `/api/kompetansebase/assignments/${declined}/decline`, {
          reason: 'utenfor-mandat',
        })
      ).status,
    ).toBe(200);
    // A declined order is finished: a later command is 409 in the order's words, not a placement's 404.
    const late = await post('demo-kb-leder', `/api/kompetansebase/assignments/${declined}/accept`, {});
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ detail: 'Oppdraget er avsluttet og kan ikke endres.' });
    const acceptKey = randomUUID();
    expect(
      (await post('demo-kb-leder', `/api/kompetansebase/assignments/${accepted}/accept`, {}, acceptKey))
        .status,
    ).toBe(200);
    const repeat = await post(
      'demo-kb-leder',
      `/api/kompetansebase/assignments/${accepted}/accept`,
      {},
      acceptKey,
    );
    expect(repeat.status).toBe(200);
    // Decided once: a second decision on an accepted order is a conflict.
    expect(
      (
        await post('demo-kb-leder', `/api/kompetansebase/assignments/${accepted}/decline`, {
          reason: 'annet',
        })
      ).status,
    ).toBe(409);

    const after = (await (await get('demo-kb-veileder', '/api/kompetansebase/queue')).json()) as Queue;
    expect(after.base.active).toBeGreaterThanOrEqual(1);
    expect(after.queue.find((q) => q.assignmentId === waiting)).toMatchObject({
      status: 'venter',
      waitReason: 'kapasitet',
    });
    expect(after.queue.find((q) => q.assignmentId === declined)).toBeUndefined();
    expect(after.queue.find((q) => q.assignmentId === accepted)).toBeUndefined();
    const declinedDetail = (await (
      await get('demo-kontaktperson', `/api/kompetansebase/assignments/${declined}`)
    ).json()) as Detail;
    expect(declinedDetail).toMatchObject({ status: 'avslatt', declineReason: 'utenfor-mandat' });

    const path = (taskId: string) =>
      `/api/kompetansebase/assignments/${accepted}/tasks/${encodeURIComponent(taskId)}/complete`;
    expect((await post('demo-kb-veileder', path('tilbakeringing#1'), { completedOn: today })).status).toBe(
      200,
    );
    const noDate = await post('demo-kb-veileder', path('oppstartssamtale#1'), { completedOn: today });
    expect(noDate.status).toBe(400);
    expect(await noDate.json()).toMatchObject({ errors: [{ field: 'evaluationOn' }] });
    const evaluationOn = addDays(today, 60);
    expect(
      (await post('demo-kb-veileder', path('oppstartssamtale#1'), { completedOn: today, evaluationOn }))
        .status,
    ).toBe(200);
    // Another network's caseworker cannot act on it at all (role gate), nor see it.
    expect(
      (await post('demo-vestby-kontaktperson', path('veiledning#1'), { completedOn: today })).status,
    ).toBe(403);

    const detail = (await (
      await get('demo-kb-veileder', `/api/kompetansebase/assignments/${accepted}`)
    ).json()) as Detail;
    expect(detail.status).toBe('aktiv');
    expect(detail.evaluationOn).toBe(evaluationOn);
    const byId = Object.fromEntries(detail.tasks.map((t) => [t.taskId, t]));
    expect(byId['tilbakeringing#1'].status).toBe('completed');
    expect(byId['oppstartssamtale#1'].status).toBe('completed');
    expect(byId['veiledning#1'].status).toBe('open');
    expect(byId['evaluering#1']).toMatchObject({ status: 'open', dueOn: evaluationOn });
  });

  it('guides a group of three foster families: one order, sessions for all, attendance per family', async () => {
    const today = osloDateOf(Date.now());
    const families = ['familie-1', 'familie-2', 'familie-3'];
    const res = await post(
      'demo-kontaktperson',
      '/api/kompetansebase/orders',
      order('KB-4001', { requestType: 'gruppeveiledning-fosterforeldre', families }),
    );
    expect(res.status).toBe(201);
    const { assignmentId } = (await res.json()) as { assignmentId: string };
    const queue = (await (await get('demo-kb-leder', '/api/kompetansebase/queue')).json()) as Queue & {
      queue: { assignmentId: string; families: number }[];
    };
    expect(queue.queue.find((q) => q.assignmentId === assignmentId)).toMatchObject({ families: 3 });

    const act = async (userId: string, action: string, body: object = {}) =>
      post(userId, `/api/kompetansebase/assignments/${assignmentId}/${action}`, body);
    const complete = (taskId: string, body: object) =>
      act('demo-kb-veileder', `tasks/${encodeURIComponent(taskId)}/complete`, {
        completedOn: today,
        ...body,
      });
    expect((await act('demo-kb-leder', 'accept')).status).toBe(200);
    expect((await complete('tilbakeringing#1', {})).status).toBe(200);
    expect((await complete('oppstartssamtale#1', { evaluationOn: addDays(today, 60) })).status).toBe(200);

    // A session of the group records each family's attendance: all three, no one else.
    const partial = await complete('veiledning#1', { attendance: { 'familie-1': true, 'familie-2': true } });
    expect(partial.status).toBe(400);
    expect(await partial.json()).toMatchObject({ errors: [{ field: 'attendance' }] });
    const stranger = await complete('veiledning#1', {
      attendance: { 'familie-1': true, 'familie-2': true, 'familie-3': true, 'familie-4': true },
    });
    expect(stranger.status).toBe(400);
    const attendance = { 'familie-1': true, 'familie-2': false, 'familie-3': true };
    expect((await complete('veiledning#1', { attendance })).status).toBe(200);

    const detail = (await (
      await get('demo-kb-veileder', `/api/kompetansebase/assignments/${assignmentId}`)
    ).json()) as Detail & { families: number; tasks: { attendance?: Record<string, boolean> }[] };
    expect(detail).toMatchObject({ status: 'aktiv', families: 3 });
    const session = detail.tasks.find((t) => t.taskId === 'veiledning#1');
    expect(session).toMatchObject({ status: 'completed', completedOn: today, attendance });
    // The group's next session is planned for all of it.
    expect(detail.tasks.find((t) => t.taskId === 'veiledning#2')).toMatchObject({ status: 'open' });
  });

  it("counts the base's adherence from what the worker recorded: the leader exactly, the lead suppressed", async () => {
    // Five consultations (a request type no other test here orders): one declined for capacity, one
    // waiting, one not yet reviewed, two accepted with the call-back and the start talk today.
    const today = osloDateOf(Date.now());
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const res = await post(
        'demo-kontaktperson',
        '/api/kompetansebase/orders',
        order(`KB-30${n}`, { requestType: 'annet-konsultasjon' }),
      );
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { assignmentId: string }).assignmentId);
    }
    const act = async (userId: string, id: string, action: string, body: object = {}) =>
      expect((await post(userId, `/api/kompetansebase/assignments/${id}/${action}`, body)).status).toBe(200);
    await act('demo-kb-leder', ids[0], 'decline', { reason: 'kapasitet' });
    await act('demo-kb-leder', ids[1], 'wait', { reason: 'kapasitet' });
    for (const id of ids.slice(3)) {
      await act('demo-kb-veileder', id, 'tasks/tilbakeringing%231/complete', { completedOn: today });
      await act('demo-kb-leder', id, 'accept');
      await act('demo-kb-veileder', id, 'tasks/oppstartssamtale%231/complete', {
        completedOn: today,
        evaluationOn: addDays(today, 30),
      });
    }

    type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
    interface Report {
      scope: string;
      suppression: boolean;
      total: Cell;
      rows: Cell[];
    }
    const report = async (userId: string, query: string) => {
      const res = await get(userId, `/api/kompetansebase/adherence?${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Report;
    };
    const base = await report('demo-kb-leder', `from=${today}&to=${today}`);
    expect(base).toMatchObject({ scope: 'base', suppression: false });
    expect(base.rows.find((r) => r.key === 'annet-konsultasjon')).toEqual({
      key: 'annet-konsultasjon',
      label: 'Annen konsultasjon',
      suppressed: false,
      orders: 5,
      accepted: 2,
      declinedForCapacity: 1,
      declinedOther: 0,
      waiting: 2,
      medianDaysToStart: 0,
      p80DaysToStart: 0,
      callBacks: { of: 2, onTime: 2, rate: 1 },
      evaluationsOnAgreedDate: { of: 0, onTime: 0, rate: null },
      reportsOnTime: { of: 0, onTime: 0, rate: null },
    });

    // The network's lead: this quarter; what it shows is the leader's figures for the same quarter.
    const start = `${today.slice(0, 5)}${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
    const quarter = `from=${start}&to=${addDays(addDays(start, 95).slice(0, 8) + '01', -1)}`;
    const lead = await report('demo-laeringsnettverksleder', quarter);
    const leader = await report('demo-kb-leder', quarter);
    expect(lead).toMatchObject({ scope: 'network', suppression: true });
    expect(lead.total).toEqual(leader.total);
    for (const row of lead.rows)
      expect(row).toEqual(
        row.suppressed
          ? { key: row.key, label: row.label, suppressed: true }
          : leader.rows.find((r) => r.key === row.key),
      );
    // A month is not a quarter for the lead: 400 naming the field.
    const month = await get(
      'demo-laeringsnettverksleder',
      `/api/kompetansebase/adherence?from=${start}&to=${addDays(start, 27)}`,
    );
    expect(month.status).toBe(400);
    expect(await month.json()).toMatchObject({ errors: [{ field: 'from' }] });
  });
});
