import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { placementRequestBody } from '../fixtures/placements.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';

/**
 * The API's command path through the real system: HTTP → access check → placement workflow on the dev
 * server → events in PostgreSQL → projector → the inbox the API reads. Tokens are real, signed by the
 * built-in local issuer.
 */
describe('placement and task commands through the API', () => {
  let stack: RunningStack;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stack = await startTestStack('api-commands');
  });
  afterAll(() => stack?.stop());

  async function as(userId: string): Promise<Record<string, string>> {
    if (!tokens.has(userId)) {
      const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
    }
    return { authorization: `Bearer ${tokens.get(userId)}`, 'content-type': 'application/json' };
  }

  const post = async (userId: string, path: string, body: unknown, key = randomUUID()) =>
    fetch(`${stack.apiUrl}${path}`, {
      method: 'POST',
      headers: { ...(await as(userId)), 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const get = async (userId: string, path: string) =>
    fetch(`${stack.apiUrl}${path}`, { headers: await as(userId) });

  async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 150; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('registers once per Idempotency-Key, then completes and waives tasks by the rules', async () => {
    const today = osloDateOf(Date.now());
    const body = placementRequestBody(addDays(today, -3));
    const key = randomUUID();
    const first = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(first.status).toBe(201);
    const registered = (await first.json()) as { placementId: string; applied: boolean };
    expect(registered.applied).toBe(true);
    const again = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(((await again.json()) as { placementId: string }).placementId).toBe(registered.placementId);

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
    const waived = await post('demo-leder', `/api/tasks/${id}/${statutory}/waive`, {
      reason: 'ikke-relevant',
    });
    expect(waived.status).toBe(200);

    const task = await eventually(async () => {
      const res = await get('demo-kontaktperson', `/api/tasks/${id}/${visit}`);
      const t = (await res.json()) as { status: string };
      return t.status === 'completed' ? t : undefined;
    }, 'the completion in the read model');
    expect(task.status).toBe('completed');

    // Another service's leader cannot tell that the placement exists.
    expect((await get('demo-sorvik-leder', `/api/placements/${id}`)).status).toBe(404);
    const log = await get('demo-leder', `/api/placements/${id}/access-log`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(await log.json())).toMatch(/demo-sorvik-leder/);
  });
});
