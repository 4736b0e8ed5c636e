import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { freePort, type RunningStack } from '../../libs/dev-servers/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { startTestStack } from '../support/stack.js';

/**
 * A command whose outcome the API cannot wait for (issue 13, item 2): with the worker down, the API
 * answers 202 with the command's id and where to look it up, never 503 for a command that then takes
 * effect; the lookup follows it to applied or rejected; the same request again with its key answers the
 * first outcome. The API waits 1.5 s here (API_COMMAND_WAIT_MS) instead of 10.
 */
describe('commands whose outcome is not known in time', () => {
  let stack: RunningStack;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stack = await startTestStack('command-outcome', { API_COMMAND_WAIT_MS: '1500' });
  });
  afterAll(() => stack?.stop());

  async function headers(userId: string, key?: string): Promise<Record<string, string>> {
    if (!tokens.has(userId)) {
      const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
    }
    return {
      authorization: `Bearer ${tokens.get(userId)}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    };
  }
  const post = async (path: string, body: unknown, key: string) =>
    fetch(`${stack.apiUrl}${path}`, {
      method: 'POST',
      headers: await headers('demo-kontaktperson', key),
      body: JSON.stringify(body),
    });
  const get = async (path: string) =>
    fetch(`${stack.apiUrl}${path}`, { headers: await headers('demo-kontaktperson') });

  async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('answers 202 with where to look, then the lookup and a repeat tell the outcome', async () => {
    const today = osloDateOf(Date.now());
    // The first workflow on a fresh stack may take longer than the API waits: 202, then the same
    // request with its key again until the registration is confirmed.
    const registrationKey = randomUUID();
    const registered = await eventually(async () => {
      const res = await post('/api/placements', placementRequestBody(addDays(today, -3)), registrationKey);
      expect([201, 202]).toContain(res.status);
      return res.status === 201 ? res : undefined;
    }, 'the registration');
    const { placementId } = (await registered.json()) as { placementId: string };
    await eventually(
      async () => ((await get(`/api/placements/${placementId}`)).ok ? true : undefined),
      'projection',
    );

    await stack.stopApp(stack.worker, 'SIGKILL');
    const key = randomUUID();
    const completion = { outcome: 'gjennomfort', completedOn: today };
    const visit = `/api/tasks/${placementId}/${encodeURIComponent('besok-uke1#1')}/complete`;
    const pending = await post(visit, completion, key);
    expect(pending.status).toBe(202);
    const body = (await pending.json()) as { status: string; commandId: string; placementId: string };
    expect(body).toMatchObject({ status: 'pending', placementId });
    const location = pending.headers.get('location');
    expect(location).toBe(`/api/placements/${placementId}/commands/${body.commandId}`);
    expect(await (await get(location!)).json()).toEqual({ commandId: body.commandId, status: 'pending' });

    // A command the package will refuse (a completion dated ahead), sent while nobody can decide it: 202
    // too, never 5xx; once decided, the lookup says rejected (or, refusals leaving no trace in the engine,
    // unknown), and the same request again gets the refusal itself.
    const refusedKey = randomUUID();
    const ahead = { outcome: 'gjennomfort', completedOn: addDays(today, 3) };
    const kartlegging = `/api/tasks/${placementId}/${encodeURIComponent('evaluering-3mnd#1')}/complete`;
    const refusal = await post(kartlegging, ahead, refusedKey);
    expect(refusal.status).toBe(202);
    const refusalAt = refusal.headers.get('location')!;

    stack.worker = await stack.startApp('worker');
    const applied = await eventually(async () => {
      const status = (await (await get(location!)).json()) as { status: string; version?: number };
      return status.status === 'applied' ? status : undefined;
    }, 'the command to be applied');
    expect(applied.version).toBeGreaterThan(1);
    const again = await post(visit, completion, key);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ applied: true, repeated: true, version: applied.version });

    // The first request's effect, once: one completion of the visit.
    const task = await eventually(async () => {
      const r = await get(`/api/tasks/${placementId}/${encodeURIComponent('besok-uke1#1')}`);
      const t = (await r.json()) as { status: string };
      return t.status === 'completed' ? t : undefined;
    }, 'the completion in the read model');
    expect(task.status).toBe('completed');

    const decided = await eventually(async () => {
      const r = await get(refusalAt);
      if (r.status === 404) return 'unknown';
      const status = (await r.json()) as { status: string; detail?: string };
      return status.status === 'pending' ? undefined : status;
    }, 'the refusal to be decided');
    if (decided !== 'unknown') {
      expect(decided.status).toBe('rejected');
      expect(decided.detail).toMatch(/fremtiden/);
    }
    const refusedAgain = await post(kartlegging, ahead, refusedKey);
    expect(refusedAgain.status).toBe(400);
    expect(await refusedAgain.json()).toMatchObject({ errors: [{ field: 'completedOn' }] });

    // An id nobody sent: unknown (send it again with the same key).
    expect((await get(`/api/placements/${placementId}/commands/${randomUUID()}`)).status).toBe(404);
  });

  it('answers 503 with Retry-After, and changes nothing, when the engine cannot be reached before sending', async () => {
    const today = osloDateOf(Date.now());
    const key = randomUUID();
    const registered = await eventually(async () => {
      const res = await post('/api/placements', placementRequestBody(addDays(today, -3)), key);
      return res.status === 201 ? res : undefined;
    }, 'the registration');
    const { placementId } = (await registered.json()) as { placementId: string };
    await eventually(
      async () => ((await get(`/api/placements/${placementId}`)).ok ? true : undefined),
      'projection',
    );
    // A second API on the same database, its Temporal address closed.
    const port = await freePort();
    const api = spawn(
      process.execPath,
      [fileURLToPath(new URL('../../dist/apps/api/main.js', import.meta.url))],
      {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          DATABASE_URL: stack.databaseUrl,
          TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
          API_PORT: String(port),
          API_COMMAND_WAIT_MS: '1000',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      },
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      const token = await eventually(async () => {
        const res = await fetch(`${base}/api/dev/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: 'demo-kontaktperson' }),
        }).catch(() => undefined);
        return res?.ok ? ((await res.json()) as { accessToken: string }).accessToken : undefined;
      }, 'the second API');
      const res = await fetch(
        `${base}/api/tasks/${placementId}/${encodeURIComponent('besok-uke1#1')}/complete`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ outcome: 'gjennomfort', completedOn: today }),
        },
      );
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      // Nothing was sent: the visit is still to be done, now and a moment later.
      await new Promise((r) => setTimeout(r, 1_000));
      const visit = await get(`/api/tasks/${placementId}/${encodeURIComponent('besok-uke1#1')}`);
      expect(((await visit.json()) as { status: string }).status).not.toBe('completed');

      // A kompetansebase order through the same unreachable engine: 503, and its sealed texts (stored
      // before sending) are not kept, since nothing was sent that would name them.
      const db = new pg.Client({ connectionString: stack.databaseUrl });
      await db.connect();
      try {
        const texts = async () =>
          (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kompetansebase_order_texts`)).rows[0]
            .n;
        const before = await texts();
        const order = await fetch(`${base}/api/kompetansebase/orders`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({
            requestType: 'veiledning-fosterforeldre',
            urgency: 'vanlig',
            caseNumber: 'K-503',
            goal: 'Et mål som aldri ble sendt',
            planReference: 'Tiltaksplan 1',
          }),
        });
        expect(order.status).toBe(503);
        expect(await texts()).toBe(before);
      } finally {
        await db.end();
      }
    } finally {
      api.kill('SIGTERM');
    }
  });
});
