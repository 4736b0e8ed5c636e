import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  startEmbeddedPostgres,
  startStack,
  type RunningPostgres,
  type RunningStack,
} from '../../libs/dev-servers/index.js';

/**
 * PostgreSQL goes down under a running API: every request answers 503 problem+json with Retry-After (as
 * when Temporal is down), never 500; when it is back, the same requests succeed again.
 */
describe('PostgreSQL down', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'omsorg-e2e-pg-down-'));
  let pgPort: number;
  let postgres: RunningPostgres | undefined;
  let stack: RunningStack;
  const startPostgres = async () =>
    startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: pgPort, persistent: true });

  beforeAll(async () => {
    pgPort = await freePort();
    postgres = await startPostgres();
    await postgres.ensureDatabase('omsorgspakken');
    stack = await startStack({
      dataDir,
      databaseUrl: postgres.url('omsorgspakken'),
      apiPort: await freePort(),
      pgPort,
      temporalPort: await freePort(),
      persistent: false,
      logLevel: 'info',
      output: { logDir: fileURLToPath(new URL('../../test-results/logs/postgres-down/', import.meta.url)) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 problem+json with Retry-After while PostgreSQL is down, and serves again once it is back', async () => {
    const tokenRes = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'demo-leder' }),
    });
    const { accessToken } = (await tokenRes.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const requests: [string, RequestInit][] = [
      ['/api/me/notification-settings', { headers: auth }],
      ['/api/tasks', { headers: auth }],
      [`/api/placements/${randomUUID()}`, { headers: auth }],
      [`/api/placements/${randomUUID()}/access-log`, { headers: auth }],
      ['/api/catalogs', { headers: auth }],
      ['/api/reference/services', { headers: auth }],
      [
        `/api/tasks/${randomUUID()}/samtale%231/notes`,
        { method: 'POST', headers: { ...auth, 'idempotency-key': randomUUID() }, body: '{"text":"x"}' },
      ],
      ['/health/ready', {}],
    ];
    for (const [path, init] of requests)
      expect(`${path} ${(await fetch(`${stack.apiUrl}${path}`, init)).status}`).not.toMatch(/ 5\d\d$/);

    await postgres!.stop();
    postgres = undefined;
    for (const [path, init] of requests) {
      const started = Date.now();
      const res = await fetch(`${stack.apiUrl}${path}`, init);
      expect(`${path} ${res.status}`).toBe(`${path} 503`);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as { status: number; title: string };
      expect(body).toMatchObject({ status: 503, title: 'Tjenesten er midlertidig utilgjengelig' });
      expect(Date.now() - started).toBeLessThan(15_000);
    }

    postgres = await startPostgres();
    for (const [path, init] of requests) {
      let status = 0;
      for (let i = 0; i < 100 && (status === 0 || status === 503); i++) {
        status = (await fetch(`${stack.apiUrl}${path}`, init)).status;
        if (status === 503) await new Promise((r) => setTimeout(r, 200));
      }
      expect(`${path} ${status}`).not.toMatch(/ 5\d\d$/);
    }
  });
});
