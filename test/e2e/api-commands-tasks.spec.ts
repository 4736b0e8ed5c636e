import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { startTestStack } from '../support/stack.js';
import { decodedHistory, eventually, stackApi } from '../support/stack-api.js';

/**
 * The task commands through the real system: HTTP → access check → placement workflow on the dev
 * server → events in PostgreSQL → projector → the inbox the API reads. A registration repeated with its
 * Idempotency-Key, tasks completed and waived by the rules, and a task given only to someone who may
 * take it. Tokens are real, signed by the built-in local issuer. The placement commands are in
 * api-commands-placements.spec.ts.
 */
describe('task commands through the API', () => {
  let stack: RunningStack;
  const { post, get } = stackApi(() => stack);

  beforeAll(async () => {
    stack = await startTestStack('api-commands-tasks');
  });
  afterAll(() => stack?.stop());

  it('registers once per Idempotency-Key, then completes and waives tasks by the rules', async () => {
    const today = osloDateOf(Date.now());
    const body = placementRequestBody(addDays(today, -3));
    const key = randomUUID();
    const first = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(first.status).toBe(201);
    const registered = (await first.json()) as { placementId: string; applied: boolean };
    expect(registered.applied).toBe(true);
    const again = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(await again.json()).toMatchObject({ placementId: registered.placementId, repeated: true });
    // The same key with another registration: 422 naming the key, and nothing registered.
    const other = await post(
      'demo-kontaktperson',
      '/api/placements',
      placementRequestBody(addDays(today, -4)),
      key,
    );
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });

    const bad = await post('demo-kontaktperson', '/api/placements', {
      ...body,
      facts: { ...body.facts, legalBasis: 'frivillig' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'facts.legalBasis' }] });

    const id = registered.placementId;
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/placements/${id}`)).ok ? true : undefined),
      'the projection',
    );

    const visit = encodeURIComponent('besok-uke1#1');
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/tasks/${id}/${visit}`)).ok ? true : undefined),
      'the task in the inbox',
    );
    const completeKey = randomUUID();
    const done = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${visit}/complete`,
      { outcome: 'gjennomfort', completedOn: today },
      completeKey,
    );
    expect(done.status).toBe(200);
    const repeat = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${visit}/complete`,
      { outcome: 'gjennomfort', completedOn: today },
      completeKey,
    );
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ applied: true, repeated: true });
    // The same key with another body (another day): 422, and the task keeps the first completion.
    const otherDay = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${visit}/complete`,
      { outcome: 'gjennomfort', completedOn: addDays(today, -1) },
      completeKey,
    );
    expect(otherDay.status).toBe(422);
    expect(await otherDay.json()).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });

    const future = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${encodeURIComponent('kartlegging#1')}/complete`,
      { outcome: 'gjennomfort', completedOn: addDays(today, 2) },
    );
    expect([400, 403, 404]).toContain(future.status); // a caseworker may not even see the foster-home resource's task

    const statutory = encodeURIComponent('oppfolgingsbesok#1');
    const refused = await post('demo-kontaktperson', `/api/tasks/${id}/${statutory}/waive`, {
      reason: 'ikke-relevant',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/medsignatur/);
    // Nor a leader alone: a statutory step is waived through a request another leader co-signs.
    const alone = await post('demo-leder', `/api/tasks/${id}/${statutory}/waive`, {
      reason: 'ikke-relevant',
    });
    expect(alone.status).toBe(403);

    const task = await eventually(async () => {
      const res = await get('demo-kontaktperson', `/api/tasks/${id}/${visit}`);
      const t = (await res.json()) as { status: string };
      return t.status === 'completed' ? t : undefined;
    }, 'the completion in the read model');
    expect(task).toMatchObject({ status: 'completed', completedOn: today });

    // Another service's leader cannot tell that the placement exists.
    expect((await get('demo-sorvik-leder', `/api/placements/${id}`)).status).toBe(404);
    const log = await get('demo-leder', `/api/placements/${id}/access-log`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(await log.json())).toMatch(/demo-sorvik-leder/);
  });

  it('waives a statutory step on request, co-signed by a leader other than the requester, once per key', async () => {
    const today = osloDateOf(Date.now());
    const res = await post('demo-kontaktperson', '/api/placements', placementRequestBody(addDays(today, -3)));
    const { placementId: id } = (await res.json()) as { placementId: string };
    const path = (taskId: string) => `/api/tasks/${id}/${encodeURIComponent(taskId)}`;
    type Task = {
      status: string;
      waiver?: { status: string; requestId: string; decidedBy?: { userId: string; name?: string } };
    };
    const task = async (taskId: string) => (await (await get('demo-leder', path(taskId))).json()) as Task;
    await eventually(
      async () => ((await get('demo-leder', path('oppfolgingsbesok#1'))).ok ? true : undefined),
      'the tasks',
    );

    // Asked for by the caseworker, once per key; the same key with another text: 422, nothing changes.
    const justification = `Planta ${randomUUID().slice(0, 8)} bor hos besteforeldre i perioden.`;
    const key = randomUUID();
    const ask = (text: string) =>
      post(
        'demo-kontaktperson',
        `${path('oppfolgingsbesok#1')}/waiver-request`,
        { reason: 'barnet-onsker-ikke', justification: text },
        key,
      );
    const asked = await ask(justification);
    expect(asked.status).toBe(200);
    expect(await asked.json()).toMatchObject({ applied: true, repeated: false });
    expect(await (await ask(justification)).json()).toMatchObject({ applied: true, repeated: true });
    const reused = await ask(`${justification} Endret.`);
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
    const open = await eventually(async () => {
      const t = await task('oppfolgingsbesok#1');
      return t.waiver?.status === 'requested' ? t : undefined;
    }, 'the request in the read model');
    expect(open.status).not.toBe('waived'); // it still runs (and escalates) until signed
    // A second request while one is open: 409.
    const twice = await post('demo-kontaktperson', `${path('oppfolgingsbesok#1')}/waiver-request`, {
      reason: 'annet',
      justification: 'En annen begrunnelse enn den første.',
    });
    expect(twice.status).toBe(409);
    // Listed for the service's leader; the justification is read on demand.
    const listed = (await (await get('demo-leder', `/api/waiver-requests?placementId=${id}`)).json()) as {
      taskId: string;
    }[];
    expect(listed.map((t) => t.taskId)).toEqual(['oppfolgingsbesok#1']);
    const detail = await get('demo-leder', `${path('oppfolgingsbesok#1')}/waiver`);
    expect(await detail.json()).toMatchObject({
      status: 'requested',
      reason: 'barnet-onsker-ikke',
      justification,
    });

    // The caseworker cannot sign; a leader signs once per key.
    const requestId = open.waiver!.requestId;
    expect(
      (await post('demo-kontaktperson', `${path('oppfolgingsbesok#1')}/waiver-request/cosign`, { requestId }))
        .status,
    ).toBe(403);
    const signKey = randomUUID();
    const sign = () =>
      post('demo-leder', `${path('oppfolgingsbesok#1')}/waiver-request/cosign`, { requestId }, signKey);
    expect(await (await sign()).json()).toMatchObject({ applied: true, repeated: false });
    expect(await (await sign()).json()).toMatchObject({ applied: true, repeated: true });
    const waived = await eventually(async () => {
      const t = await task('oppfolgingsbesok#1');
      return t.status === 'waived' ? t : undefined;
    }, 'the waiver in the read model');
    expect(waived.waiver).toMatchObject({
      status: 'cosigned',
      decidedBy: { userId: 'demo-leder', name: 'Åse Myhre' },
    });

    // A leader's own request: four eyes, so not by the same leader (403, the package refused it).
    await post('demo-leder', `${path('oppfolgingsbesok#2')}/waiver-request`, {
      reason: 'annet',
      justification: 'Lederens egen anmodning her.',
    });
    const own = await eventually(async () => {
      const t = await task('oppfolgingsbesok#2');
      return t.waiver?.status === 'requested' ? t : undefined;
    }, 'the leader’s request');
    const self = await post('demo-leder', `${path('oppfolgingsbesok#2')}/waiver-request/cosign`, {
      requestId: own.waiver!.requestId,
    });
    expect(self.status).toBe(403);
    expect(((await self.json()) as { detail: string }).detail).toMatch(/egen anmodning/);

    // The texts never reach Temporal.
    const history = await decodedHistory(stack, id);
    expect(history.includes('WaiverRequested') || history.includes('requestWaiver')).toBe(true);
    expect(history.includes(justification.slice(0, 15))).toBe(false);
  });

  it('gives a task only to someone who may take it: candidates by name, an unknown id refused, the pool', async () => {
    const today = osloDateOf(Date.now());
    const res = await post('demo-kontaktperson', '/api/placements', placementRequestBody(addDays(today, -3)));
    const { placementId: id } = (await res.json()) as { placementId: string };
    const visit = encodeURIComponent('besok-uke1#1');
    const task = await eventually(async () => {
      const r = await get('demo-leder', `/api/tasks/${id}/${visit}`);
      return r.ok ? ((await r.json()) as { assigneeId: string | null }) : undefined;
    }, 'the task');
    expect(task.assigneeId).toBeNull();

    const candidates = await get('demo-leder', `/api/tasks/${id}/${visit}/assignees`);
    expect(candidates.status).toBe(200);
    expect(await candidates.json()).toEqual([
      { userId: 'demo-kontaktperson', name: 'Ingrid Haugen', roles: ['kontaktperson'] },
      { userId: 'demo-kontaktperson-2', name: 'Jonas Bakke', roles: ['kontaktperson'] },
    ]);

    // A typo is refused before the workflow is asked: nothing happens to the task.
    const typo = 'demo-kontaktperson-22';
    const refused = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, { assigneeId: typo });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'assigneeId' }] });

    const assignee = (want: string | null) => async () => {
      const r = await get('demo-leder', `/api/tasks/${id}/${visit}`);
      return ((await r.json()) as { assigneeId: string | null }).assigneeId === want ? true : undefined;
    };
    const given = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, {
      assigneeId: 'demo-kontaktperson-2',
    });
    expect(given.status).toBe(200);
    await eventually(assignee('demo-kontaktperson-2'), 'the reassignment');
    const pooled = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, { assigneeId: null });
    expect(pooled.status).toBe(200);
    await eventually(assignee(null), 'the task back in the pool');

    // The package recorded the two reassignments it was sent, and never heard of the typo.
    const timeline = (await (await get('demo-leder', `/api/placements/${id}/timeline`)).json()) as {
      type: string;
      taskId: string | null;
      details: { assigneeId?: string | null };
    }[];
    expect(
      timeline
        .filter((e) => e.type === 'TaskReassigned' && e.taskId === 'besok-uke1#1')
        .map((e) => e.details.assigneeId),
    ).toEqual(['demo-kontaktperson-2', null]);
    const text = await decodedHistory(stack, id);
    expect(text.includes('demo-kontaktperson-2')).toBe(true);
    expect(text.includes(typo)).toBe(false);
  });
});
