import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';

/*
 * The compiled API told to stop (SIGTERM, what the launcher and a service manager send) while clients
 * hold kept-alive connections: it closes the idle ones at once, ends the busy ones after their current
 * answer, refuses writes that arrive while it stops (503 problem+json with Retry-After), and exits within
 * its bound however busy the clients keep it.
 */
const EXIT_BOUND_MS = 15_000;

/** A raw HTTP/1.1 connection: what was received, and when the server closed it. */
function rawConnection(port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => received, closed, connected };
}

describe('the API stopping', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startTestStack('api-shutdown', { API_RATE_LIMIT: '1000000' });
  });
  afterAll(() => stack?.stop());

  it('closes idle keep-alive connections, refuses writes with 503 problem+json and Retry-After, and does not wait for busy clients', async () => {
    const port = Number(new URL(stack.apiUrl).port);
    const token = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'demo-admin' }),
    })
      .then((r) => r.json() as Promise<{ accessToken: string }>)
      .then((b) => b.accessToken);

    // An idle kept-alive connection: one answered request, then nothing.
    const idle = rawConnection(port);
    await idle.connected;
    idle.socket.write('GET /health/live HTTP/1.1\r\nHost: api\r\n\r\n');
    for (let i = 0; i < 50 && !idle.received().includes('\r\n\r\n'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200/);

    // A write whose request has begun but not ended when the API is told to stop.
    const write = rawConnection(port);
    await write.connected;
    write.socket.write(`POST /api/system/probes HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\n`);

    // Three clients that never let their kept-alive connections rest.
    const agent = new Agent({ keepAlive: true, maxSockets: 3 });
    let load = true;
    const statuses: number[] = [];
    const get = () =>
      new Promise<void>((resolve) => {
        const req = request(
          `${stack.apiUrl}/api/me`,
          { agent, headers: { authorization: `Bearer ${token}` } },
          (res) => {
            statuses.push(res.statusCode ?? 0);
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', () => setTimeout(resolve, 50));
        req.end();
      });
    const clients = Array.from({ length: 3 }, async () => {
      const until = Date.now() + 40_000;
      while (load && Date.now() < until) await get();
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);

    const stopped = Date.now();
    stack.api.child.kill('SIGTERM');
    try {
      // The idle connection is closed by the API at once.
      expect((await idle.closed) - stopped).toBeLessThan(3_000);

      // The write arrives now: refused, and the connection is not kept.
      write.socket.write('Content-Length: 0\r\n\r\n');
      const closedAt = await write.closed;
      expect(closedAt - stopped).toBeLessThan(EXIT_BOUND_MS);
      const answer = write.received();
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head).toMatch(/^content-type: application\/problem\+json/im);
      expect(head).toMatch(/^retry-after: \d+\r?$/im);
      expect(head).toMatch(/^connection: close\r?$/im);
      expect(JSON.parse(body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n$/g, ''))).toMatchObject({
        status: 503,
        title: 'Tjenesten er midlertidig utilgjengelig',
      });

      // And it exits within its bound although the clients go on and on.
      const timeout = new AbortController();
      const code = await Promise.race([
        stack.api.exited,
        sleep(EXIT_BOUND_MS, 'still running' as const, { signal: timeout.signal }).catch(() => 'aborted'),
      ]);
      timeout.abort();
      expect(code).not.toBe('still running');
      expect(Date.now() - stopped).toBeLessThan(EXIT_BOUND_MS);
    } finally {
      load = false;
      await Promise.all(clients);
      agent.destroy();
      idle.socket.destroy();
      write.socket.destroy();
    }
  });
});
