import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { projectAll, seedPlacement, type FixturePlacement } from '../support/api.js';
import { FNR, NAME } from '../support/bad-input.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * A planted national id number and name, in bad input and in the personal data and notes they belong
 * in, never appear in the logs of the compiled API (at LOG_LEVEL=trace) nor in an error body.
 */
describe('planted personal data in the logs of the compiled API', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base = '';
  let seeded: FixturePlacement;

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    seeded = await seedPlacement(db, {
      serviceId: DEMO_SERVICES.nordby,
      bufetatHelp: false,
      tasks: [{ taskId: 'samtale#1', role: 'leder', dueOn: '2026-10-01' }],
    });
    await projectAll(db);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [new URL('../../dist/apps/api/main.js', import.meta.url).pathname], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'trace',
        DATABASE_URL: db.url,
        API_PORT: String(port),
        TEMPORAL_ADDRESS: '127.0.0.1:1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/health/live`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`API did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await db?.drop();
  });

  it('never writes a planted fødselsnummer or name', async () => {
    const tokenRes = await fetch(`${base}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'demo-leder' }),
    });
    const { accessToken } = (await tokenRes.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const responses = await Promise.all([
      fetch(`${base}/api/tasks?assignee=${FNR}&status=${encodeURIComponent(NAME)}`, { headers: auth }),
      fetch(`${base}/api/tasks?fodselsnummer=${FNR}`, { headers: auth }),
      fetch(`${base}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': FNR },
        body: JSON.stringify({ userId: NAME, fodselsnummer: FNR }),
      }),
      fetch(`${base}/api/placements/${randomUUID()}`, { headers: { ...auth, 'x-child-name': NAME } }),
      fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${FNR}.${NAME}` } }),
    ]);
    // The personal-data store and task notes hold the planted data, valid and invalid, read back too.
    const json = { ...auth, 'content-type': 'application/json' };
    const details = (nationalId: string) =>
      JSON.stringify({
        child: { name: NAME, nationalId },
        parents: [{ name: NAME, phone: '+47 900 00 000' }],
        fosterFamily: [],
      });
    const placement = `${base}/api/placements/${seeded.placementId}/personal-data`;
    const note = `${base}/api/tasks/${seeded.placementId}/samtale%231/notes`;
    for (const [url, init] of [
      [placement, { method: 'PUT', headers: json, body: details(FNR) }],
      [placement, { method: 'PUT', headers: json, body: details(`${FNR.slice(0, 10)}9`) }],
      [placement, { headers: auth }],
      [
        note,
        {
          method: 'POST',
          headers: { ...json, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ text: `${NAME} ${FNR}` }),
        },
      ],
      [note, { headers: auth }],
    ] as const) {
      const res = await fetch(url, init);
      responses.push(res);
    }
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 404, 401, 204, 400, 200, 201, 200]);
    expect(bodies[7]).toContain(NAME); // the owner reads it back: it was really stored and logged nowhere
    expect(bodies[9]).toContain(FNR);
    await new Promise((r) => setTimeout(r, 300));
    expect(output).toMatch(/"route":"\/api\/tasks"/); // the log is really being captured
    for (const text of [output, ...bodies.slice(0, 7)]) {
      expect(text).not.toContain(FNR);
      expect(text).not.toContain(NAME);
    }
  });
});
