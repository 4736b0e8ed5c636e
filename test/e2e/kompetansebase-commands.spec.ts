import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';
import { eventually, stackApi } from '../support/stack-api.js';

/**
 * Kompetansebase commands answer as a placement's do (issue 17): when the engine's answer does not come
 * within API_COMMAND_WAIT_MS (1.5 s here) the order, accept, decline, wait and a step's completion answer
 * 202 with where to look them up, and a worker that is down when they are sent applies them when it
 * comes back; a repeat (same key, same body) answers the first outcome with `repeated: true`; the same
 * key with another body is 422 and changes nothing.
 */
describe('kompetansebase commands whose outcome is not known in time', () => {
  let stack: RunningStack;
  let db: pg.Client;
  const { post, get } = stackApi(() => stack);

  beforeAll(async () => {
    stack = await startTestStack('kompetansebase-commands', { API_COMMAND_WAIT_MS: '1500' });
    db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const ORDERS = '/api/kompetansebase/orders';
  const order = (caseNumber: string, extra: Record<string, unknown> = {}) => ({
    requestType: 'veiledning-fosterforeldre',
    urgency: 'vanlig',
    caseNumber,
    goal: 'Fosterforeldrene skal mestre hverdagen med barnet.',
    planReference: 'Tiltaksplan 2026-04',
    ...extra,
  });
  const assignment = (id: string) => `/api/kompetansebase/assignments/${id}`;

  interface Status {
    commandId: string;
    status: 'applied' | 'rejected' | 'pending';
    version?: number;
    detail?: string;
  }
  interface Answer {
    commandId?: string;
    version: number;
    applied: boolean;
    repeated: boolean;
  }
  interface Detail {
    version: number;
    status: string;
    declineReason?: string;
    waitReason?: string;
    evaluationOn?: string;
  }
  interface Queue {
    queue: { assignmentId: string; status: string }[];
  }

  /** Sends the request with its key until it is answered with something else than 202. */
  const untilDecided = (send: () => Promise<Response>, what: string) =>
    eventually(async () => {
      const res = await send();
      return res.status === 202 ? undefined : res;
    }, what);

  /** The assignment's events of a type (the event store is the truth; read models follow it). */
  const eventsOf = async (assignmentId: string, type: string) =>
    (
      await db.query<{ version: number; command: string | null; taskId: string | null }>(
        `SELECT stream_version AS version, metadata->'cause'->>'commandId' AS command,
                payload->>'taskId' AS "taskId" FROM events
          WHERE stream_id = $1 AND type = $2 ORDER BY stream_version`,
        [assignmentId, type],
      )
    ).rows;

  it('answers 202 while the worker is down; the worker applies the order and the accept when it is back', async () => {
    // The first workflow on a fresh stack may take longer than the API waits.
    const warmKey = randomUUID();
    const warm = await untilDecided(
      () => post('demo-kontaktperson', ORDERS, order('KB-3001'), warmKey),
      'the first order',
    );
    expect(warm.status).toBe(201);
    const { assignmentId: queued } = (await warm.json()) as { assignmentId: string };

    await stack.stopApp(stack.worker, 'SIGKILL');
    const key = randomUUID();
    const pending = await post('demo-kontaktperson', ORDERS, order('KB-3002'), key);
    expect(pending.status).toBe(202);
    const body = (await pending.json()) as { status: string; commandId: string; assignmentId: string };
    expect(body).toMatchObject({ status: 'pending', commandId: body.assignmentId });
    const location = pending.headers.get('location');
    expect(location).toBe(`${assignment(body.assignmentId)}/commands/${body.commandId}`);
    // The order is not in the read models yet; the orderer and its base may follow it, no one else.
    for (const userId of ['demo-kontaktperson', 'demo-kb-leder', 'demo-kb-veileder'])
      expect([userId, await (await get(userId, location!)).json()]).toEqual([
        userId,
        { commandId: body.commandId, status: 'pending' },
      ]);
    for (const userId of ['demo-sorvik-kontaktperson', 'demo-vestby-kontaktperson', 'demo-vestby-leder'])
      expect([userId, (await get(userId, location!)).status]).toEqual([userId, 404]);

    // A decision on the order taken in before: 202 too, with its own status.
    const acceptKey = randomUUID();
    const accept = await post('demo-kb-leder', `${assignment(queued)}/accept`, {}, acceptKey);
    expect(accept.status).toBe(202);
    const acceptBody = (await accept.json()) as { commandId: string; assignmentId: string };
    expect(acceptBody).toMatchObject({ status: 'pending', assignmentId: queued });
    const acceptAt = accept.headers.get('location')!;
    expect(acceptAt).toBe(`${assignment(queued)}/commands/${acceptBody.commandId}`);
    expect(await (await get('demo-kontaktperson', acceptAt)).json()).toEqual({
      commandId: acceptBody.commandId,
      status: 'pending',
    });
    expect((await get('demo-vestby-kontaktperson', acceptAt)).status).toBe(404);

    stack.worker = await stack.startApp('worker');
    const applied = await eventually(async () => {
      const s = (await (await get('demo-kontaktperson', location!)).json()) as Status;
      return s.status === 'applied' ? s : undefined;
    }, 'the order to be applied');
    expect(applied.version).toBeGreaterThanOrEqual(1);
    const queue = await eventually(async () => {
      const q = (await (await get('demo-kb-leder', '/api/kompetansebase/queue')).json()) as Queue;
      return q.queue.some((a) => a.assignmentId === body.assignmentId) ? q : undefined;
    }, 'the order in the queue');
    expect(queue.queue.filter((a) => a.assignmentId === body.assignmentId)).toEqual([
      expect.objectContaining({ status: 'bestilt' }),
    ]);
    const accepted = await eventually(async () => {
      const s = (await (await get('demo-kb-leder', acceptAt)).json()) as Status;
      return s.status === 'applied' ? s : undefined;
    }, 'the accept to be applied');

    // The same requests again: their first outcomes, as repeats; each took effect once.
    const again = await post('demo-kontaktperson', ORDERS, order('KB-3002'), key);
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({
      assignmentId: body.assignmentId,
      applied: true,
      repeated: true,
      version: applied.version,
    });
    const acceptAgain = await post('demo-kb-leder', `${assignment(queued)}/accept`, {}, acceptKey);
    expect(acceptAgain.status).toBe(200);
    expect(await acceptAgain.json()).toMatchObject({
      commandId: acceptBody.commandId,
      applied: true,
      repeated: true,
      version: accepted.version,
    });
    expect(await eventsOf(body.assignmentId, 'AssignmentOrdered')).toHaveLength(1);
    const acceptance = await eventsOf(queued, 'AssignmentAccepted');
    expect(acceptance.map((e) => e.command)).toEqual([acceptBody.commandId]);
    expect(acceptance[0].version).toBeLessThanOrEqual(accepted.version!);

    // An id nobody sent: unknown (send it again with the same key).
    expect((await get('demo-kb-leder', `${assignment(queued)}/commands/${randomUUID()}`)).status).toBe(404);
  });

  it('answers every repeat as one, and the same key with another body with 422 that changes nothing', async () => {
    const today = osloDateOf(Date.now());
    const ordered: string[] = [];
    for (const n of ['KB-4001', 'KB-4002', 'KB-4003']) {
      const res = await untilDecided(() => post('demo-kontaktperson', ORDERS, order(n), `order-${n}`), n);
      expect(res.status).toBe(201);
      ordered.push(((await res.json()) as { assignmentId: string }).assignmentId);
    }
    const [waiting, declined, accepted] = ordered;
    const detail = async (id: string) =>
      (await (await get('demo-kb-leder', assignment(id))).json()) as Detail;
    await eventually(
      async () => ((await get('demo-kb-leder', assignment(accepted))).ok ? true : undefined),
      'the orders in the read models',
    );

    /**
     * Sends `body` with `key` (until decided), then the same again: the first is not a repeat, the second
     * is, with the first one's outcome.
     */
    const once = async (userId: string, path: string, body: unknown, key: string, status = 200) => {
      const first = await untilDecided(() => post(userId, path, body, key), path);
      expect([path, first.status]).toEqual([path, status]);
      const answer = (await first.json()) as Answer;
      expect([path, answer.repeated]).toEqual([path, false]);
      const again = await post(userId, path, body, key);
      expect([path, again.status]).toEqual([path, status]);
      expect([path, await again.json()]).toEqual([path, { ...answer, repeated: true }]);
      return answer;
    };
    /** The same key with another body: 422 naming the key, and the assignment is as it was. */
    const refused = async (userId: string, path: string, body: unknown, key: string, id: string) => {
      const before = await detail(id);
      const res = await post(userId, path, body, key);
      expect([path, res.status]).toEqual([path, 422]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
      expect(await detail(id)).toEqual(before);
    };

    // The order: the same key with another urgency or request type is another order.
    const orderKey = randomUUID();
    const first = await once('demo-kontaktperson', ORDERS, order('KB-4004'), orderKey, 201);
    const orderedNow = (first as Answer & { assignmentId: string }).assignmentId;
    await eventually(
      async () => ((await get('demo-kb-leder', assignment(orderedNow))).ok ? true : undefined),
      'the fourth order in the read models',
    );
    await refused(
      'demo-kontaktperson',
      ORDERS,
      order('KB-4004', { urgency: 'haster' }),
      orderKey,
      orderedNow,
    );
    await refused(
      'demo-kontaktperson',
      ORDERS,
      order('KB-4004', { requestType: 'hjemmebasert-foreldreveiledning' }),
      orderKey,
      orderedNow,
    );

    // Wait: a repeat, another reason under the key, and a wait that changed nothing (the order waits for
    // that reason already) repeated too.
    const waitKey = randomUUID();
    await once('demo-kb-leder', `${assignment(waiting)}/wait`, { reason: 'kapasitet' }, waitKey);
    await refused('demo-kb-leder', `${assignment(waiting)}/wait`, { reason: 'avklaring' }, waitKey, waiting);
    expect(await detail(waiting)).toMatchObject({ status: 'venter', waitReason: 'kapasitet' });
    const noChange = await once(
      'demo-kb-leder',
      `${assignment(waiting)}/wait`,
      { reason: 'kapasitet' },
      randomUUID(),
    );
    expect(noChange.version).toBe((await detail(waiting)).version);

    // Decline: another reason under the key is refused, the first reason stays.
    const declineKey = randomUUID();
    await once('demo-kb-leder', `${assignment(declined)}/decline`, { reason: 'kapasitet' }, declineKey);
    await refused(
      'demo-kb-leder',
      `${assignment(declined)}/decline`,
      { reason: 'annet' },
      declineKey,
      declined,
    );
    expect(await detail(declined)).toMatchObject({ status: 'avslatt', declineReason: 'kapasitet' });

    // Accept, then steps: the start talk's evaluation date cannot be changed under its key.
    await once('demo-kb-leder', `${assignment(accepted)}/accept`, {}, randomUUID());
    const step = (taskId: string) => `${assignment(accepted)}/tasks/${encodeURIComponent(taskId)}/complete`;
    await once('demo-kb-veileder', step('tilbakeringing#1'), { completedOn: today }, randomUUID());
    const talkKey = randomUUID();
    const evaluationOn = addDays(today, 60);
    await once('demo-kb-veileder', step('oppstartssamtale#1'), { completedOn: today, evaluationOn }, talkKey);
    await refused(
      'demo-kb-veileder',
      step('oppstartssamtale#1'),
      { completedOn: today, evaluationOn: addDays(today, 61) },
      talkKey,
      accepted,
    );
    expect(await detail(accepted)).toMatchObject({ status: 'aktiv', evaluationOn });

    // A refused request leaves its key free: the corrected request under it takes effect.
    const sessionKey = randomUUID();
    const ahead = await post(
      'demo-kb-veileder',
      step('veiledning#1'),
      { completedOn: addDays(today, 3) },
      sessionKey,
    );
    expect(ahead.status).toBe(400);
    expect(await ahead.json()).toMatchObject({ errors: [{ field: 'completedOn' }] });
    await once('demo-kb-veileder', step('veiledning#1'), { completedOn: today }, sessionKey);
  });

  it('loses and duplicates nothing when the worker is killed (kill -9) right after an order or a step is stored', async () => {
    const today = osloDateOf(Date.now());
    /** A worker whose test-mode fault hook kills it (SIGKILL) right after its first command append. */
    const faultyWorker = async () => {
      await stack.stopApp(stack.worker, 'SIGKILL');
      return stack.startApp('worker', { FAULT_KILL_AFTER_APPEND: 'command:1' });
    };
    const died = (worker: { exited: Promise<unknown> }) =>
      Promise.race([
        worker.exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 90_000)),
      ]);

    // The order: stored, then the worker dies before its workflow task completes.
    let faulty = await faultyWorker();
    const key = randomUUID();
    const sent = await post('demo-kontaktperson', ORDERS, order('KB-5001'), key);
    expect(sent.status).toBe(202);
    const { assignmentId } = (await sent.json()) as { assignmentId: string };
    expect(await died(faulty)).toBe(true);
    const orderedAt = sent.headers.get('location')!;
    // Its events are stored: applied, though no worker runs now.
    expect(await (await get('demo-kontaktperson', orderedAt)).json()).toMatchObject({ status: 'applied' });
    stack.worker = await stack.startApp('worker');
    const again = await untilDecided(
      () => post('demo-kontaktperson', ORDERS, order('KB-5001'), key),
      'order',
    );
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ assignmentId, applied: true, repeated: true });
    // The workflow caught up with its stream: it takes the next command.
    const accept = await untilDecided(
      () => post('demo-kb-leder', `${assignment(assignmentId)}/accept`, {}, `accept-${assignmentId}`),
      'the accept',
    );
    expect(accept.status).toBe(200);

    // A step: stored, then the worker dies; the next worker answers the same request as a repeat.
    faulty = await faultyWorker();
    const callBack = `${assignment(assignmentId)}/tasks/${encodeURIComponent('tilbakeringing#1')}/complete`;
    const stepKey = randomUUID();
    const pending = await post('demo-kb-veileder', callBack, { completedOn: today }, stepKey);
    expect(pending.status).toBe(202);
    const { commandId } = (await pending.json()) as { commandId: string };
    expect(await died(faulty)).toBe(true);
    stack.worker = await stack.startApp('worker');
    const done = await untilDecided(
      () => post('demo-kb-veileder', callBack, { completedOn: today }, stepKey),
      'the step',
    );
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ commandId, applied: true, repeated: true });

    // Each once in the event store, and the assignment's read model at its stream's version.
    expect(await eventsOf(assignmentId, 'AssignmentOrdered')).toHaveLength(1);
    expect(await eventsOf(assignmentId, 'AssignmentAccepted')).toHaveLength(1);
    const completed = await eventsOf(assignmentId, 'AssignmentTaskCompleted');
    expect(completed.filter((e) => e.taskId === 'tilbakeringing#1').map((e) => e.command)).toEqual([
      commandId,
    ]);
    const [{ version }] = (
      await db.query<{ version: number }>(
        `SELECT max(stream_version)::int AS version FROM events WHERE stream_id = $1`,
        [assignmentId],
      )
    ).rows;
    const detail = await eventually(async () => {
      const d = (await (await get('demo-kb-leder', assignment(assignmentId))).json()) as Detail;
      return d.version === version ? d : undefined;
    }, 'the read model at the stream version');
    expect(detail.status).toBe('aktiv');
  });
});
