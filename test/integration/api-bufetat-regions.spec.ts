import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DEMO_BUFETAT, DEMO_SERVICES, FINNMARK_DEMO } from '../../libs/security/index.js';
import {
  bodyOf,
  projectAll,
  seedPlacement,
  startTestApi,
  type FixturePlacement,
  type TestApi,
} from '../support/api.js';

/*
 * Bufetat works by region: its staff see the tasks of a placement where the service asked Bufetat for
 * help only in the regions their office serves (`regions.bufetat_office`, set by the region's data file).
 * The demo office serves Trøndelag (the demo services' region); Finnmark, loaded from its file, is
 * served by no office until its file names one. Real PostgreSQL, the API in process.
 */
const FINNMARK = JSON.parse(
  readFileSync(new URL('../../data/regions/finnmark.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('Bufetat by region', () => {
  let api: TestApi;
  let trondelag: FixturePlacement;
  let finnmark: FixturePlacement;

  const get = async (path: string, userId = 'demo-bufetat') =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const loadFinnmark = async (extra: Record<string, unknown>) =>
    request(api.server)
      .put('/api/reference/regions/finnmark')
      .set('Authorization', `Bearer ${await api.token('demo-admin')}`)
      .send({ ...FINNMARK, ...extra });
  const seen = async () => {
    const res = await get('/api/tasks?view=pool&limit=200');
    expect(res.status).toBe(200);
    return bodyOf<{ items: { placementId: string; taskId: string }[] }>(res).items.map((t) => t.placementId);
  };
  const task = (p: FixturePlacement) => get(`/api/tasks/${p.placementId}/${encodeURIComponent('bufetat#1')}`);

  beforeAll(async () => {
    api = await startTestApi();
    expect((await loadFinnmark({})).status).toBe(200);
    const tasks = [{ taskId: 'bufetat#1', role: 'bufetat' as const, dueOn: '2026-07-08' }];
    trondelag = await seedPlacement(api.db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: true, tasks });
    finnmark = await seedPlacement(api.db, { serviceId: FINNMARK_DEMO.alta, bufetatHelp: true, tasks });
    await projectAll(api.db);
  });
  afterAll(() => api?.close());

  it('sees its own region’s placements only, and another region’s once that region names its office', async () => {
    // The demo office serves Trøndelag: Nordby's placement, not Alta's.
    expect(await seen()).toEqual([trondelag.placementId]);
    expect((await task(trondelag)).status).toBe(200);
    const hidden = await task(finnmark);
    expect(hidden.status).toBe(404);
    expect(hidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Finnmark's own staff see it as before.
    expect((await get(`/api/placements/${finnmark.placementId}`, 'demo-finnmark-kontaktperson')).status).toBe(
      200,
    );

    // Finnmark's file names the office that serves it (here the demo office, serving both regions).
    const named = await loadFinnmark({ bufetatOffice: DEMO_BUFETAT });
    expect(named.status).toBe(200);
    expect(bodyOf<{ region: { bufetatOffice: string | null } }>(named).region.bufetatOffice).toBe(
      DEMO_BUFETAT,
    );
    expect((await seen()).sort()).toEqual([trondelag.placementId, finnmark.placementId].sort());
    expect((await task(finnmark)).status).toBe(200);

    // A file without the field leaves the office as it is; null takes it away again.
    expect(bodyOf<{ changed: boolean }>(await loadFinnmark({})).changed).toBe(false);
    expect((await task(finnmark)).status).toBe(200);
    expect((await loadFinnmark({ bufetatOffice: null })).status).toBe(200);
    expect(await seen()).toEqual([trondelag.placementId]);
    expect((await task(finnmark)).status).toBe(404);
  });

  it('refuses an office that is not a UUID, naming the field, and changes nothing', async () => {
    const res = await loadFinnmark({ bufetatOffice: 'Bufetat region nord' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bodyOf<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toEqual([
      'bufetatOffice',
    ]);
    const [row] = await api.db.dataSource.query<{ bufetat_office: string | null }[]>(
      `SELECT bufetat_office FROM regions WHERE code = 'finnmark'`,
    );
    expect(row?.bufetat_office).toBeNull();
  });
});
