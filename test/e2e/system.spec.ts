import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, type RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';

/**
 * Proof that the real parts work together: the API starts a workflow on the Temporal dev server, the
 * worker (a separate process) runs an activity that writes to PostgreSQL, and the API reads it back.
 */
describe('the whole system on the Temporal dev server', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startTestStack('system');
  });
  afterAll(() => stack?.stop());

  /** Self-tests start workflows and write events: they are for administrators (a real signed token). */
  const admin = async (): Promise<Record<string, string>> => {
    const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'demo-admin' }),
    });
    return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
  };

  it('reports PostgreSQL and Temporal separately as ready', async () => {
    const res = await fetch(`${stack.apiUrl}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { info: Record<string, { status: string }> };
    expect(body.info.postgres?.status).toBe('up');
    expect(body.info.temporal?.status).toBe('up');
    expect((await fetch(`${stack.apiUrl}/health/live`)).status).toBe(200);
  });

  it('runs a workflow on the worker whose activity writes to PostgreSQL, and reads it back', async () => {
    expect((await fetch(`${stack.apiUrl}/api/system/probes`, { method: 'POST' })).status).toBe(401);
    const created = await fetch(`${stack.apiUrl}/api/system/probes`, {
      method: 'POST',
      headers: await admin(),
    });
    expect(created.status).toBe(201);
    const probe = (await created.json()) as { probeId: string; streamVersion: number; recordedAt: string };
    expect(probe.streamVersion).toBe(1);

    const read = await fetch(`${stack.apiUrl}/api/system/probes/${probe.probeId}`, {
      headers: await admin(),
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(probe);
  });

  it('answers unknown and malformed ids with problem+json', async () => {
    const missing = await fetch(`${stack.apiUrl}/api/system/probes/${crypto.randomUUID()}`, {
      headers: await admin(),
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 404, title: 'Ikke funnet' });

    const malformed = await fetch(`${stack.apiUrl}/api/system/probes/not-a-uuid`, { headers: await admin() });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await malformed.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, title: 'Ugyldig forespørsel' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${stack.apiUrl}/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/ready', '/api/system/probes']));
  });

  it('reports Temporal as down, and PostgreSQL as up, when Temporal is unreachable', async () => {
    const port = await freePort();
    const closed = await freePort();
    const api = spawn(
      process.execPath,
      [fileURLToPath(new URL('../../dist/apps/api/main.js', import.meta.url))],
      {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: stack.databaseUrl,
          TEMPORAL_ADDRESS: `127.0.0.1:${closed}`,
          API_PORT: String(port),
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      },
    );
    try {
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 200));
      }
      expect(res?.status).toBe(503);
      const body = (await res!.json()) as { info: Record<string, unknown>; error: Record<string, unknown> };
      expect(body.info).toHaveProperty('postgres.status', 'up');
      expect(body.error).toHaveProperty('temporal.status', 'down');
    } finally {
      api.kill('SIGTERM');
    }
  });
});
