import request from 'supertest';
import { startTestApi, type TestApi } from '../support/api.js';

/*
 * A flood of refused logins from one address: each answered, none logged one by one past the limit.
 * The limit is per address and per minute; a valid token from the same address is never held back.
 */
describe('refused logins past the limit', () => {
  const LIMIT = 5;
  let api: TestApi;

  beforeAll(async () => {
    // Behind a proxy on loopback (as the test client is): the client's address is X-Forwarded-For's.
    api = await startTestApi({ API_LOGIN_FAILURE_LIMIT: String(LIMIT), API_TRUST_PROXY: 'loopback' });
  });
  afterAll(() => api?.close());

  const refusedRows = async () =>
    api.db.dataSource.query<{ detail: string }[]>(
      `SELECT detail FROM access_log WHERE outcome = 'unauthenticated' ORDER BY id`,
    );

  it('answers 429 with Retry-After and logs one row for the rest of the minute', async () => {
    const expired = await api.token('demo-leder', { expiresIn: -120 });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 15; i++) {
      const res = await request(api.server).get('/api/me').set('Authorization', `Bearer ${expired}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      if (i === LIMIT + 2) {
        // Someone logged in properly, from the same address, in the middle of the flood.
        const ok = await request(api.server)
          .get('/api/me')
          .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
        expect(ok.status).toBe(200);
      }
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), ...Array<number>(15).fill(429)]);
    const rows = await refusedRows();
    expect(rows).toHaveLength(LIMIT + 1);
    expect(rows.at(-1)?.detail).toBe('too many refused logins');
    expect(rows.slice(0, LIMIT).every((r) => r.detail !== 'too many refused logins')).toBe(true);
  });

  it('counts each client behind a trusted proxy apart', async () => {
    const bad = 'Bearer x.y.z';
    // The flood above came from the proxy's own address; another client is not held back by it.
    const other = await request(api.server)
      .get('/api/me')
      .set('Authorization', bad)
      .set('X-Forwarded-For', '203.0.113.7');
    expect(other.status).toBe(401);
    const flooded = await request(api.server).get('/api/me').set('Authorization', bad);
    expect(flooded.status).toBe(429);
  });
});
