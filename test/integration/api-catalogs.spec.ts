import request from 'supertest';
import { BUILT_IN_CATALOGS, DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import type { Catalog } from '../../libs/domain/catalog/types.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { bodyOf, projectAll, seedPlannedPlacement, startTestApi, type TestApi } from '../support/api.js';

type Problem = { errors: { field: string; reason: string }[] };

/*
 * Catalog versions over the API against real PostgreSQL: published versions are stored append-only in
 * the event store; the dry run re-plans the open placements (as the projector folded them) with the
 * pure planner.
 */
describe('catalog endpoints (real PostgreSQL)', () => {
  let api: TestApi;
  const as = async (userId: string) => `Bearer ${await api.token(userId)}`;
  const post = async (path: string, body: unknown, userId = 'demo-admin') =>
    request(api.server)
      .post(path)
      .set('Authorization', await as(userId))
      .send(body as object);
  const get = async (path: string, userId = 'demo-admin') =>
    request(api.server)
      .get(path)
      .set('Authorization', await as(userId));
  const catalogEvents = () =>
    api.db.dataSource
      .query<{ n: string }[]>(`SELECT count(*) AS n FROM events WHERE stream_type = 'catalog'`)
      .then(([row]) => Number(row?.n));

  /** The default catalog as a new version: one step later, one step gone, one new step. */
  const edited = (version: string): Catalog => ({
    ...DEFAULT_CATALOG,
    version,
    description: 'Test: helse 14 dager senere, uten evaluering-3mnd, med ekstra kontroll',
    steps: [
      ...DEFAULT_CATALOG.steps
        .filter((s) => s.id !== 'evaluering-3mnd')
        .map((s) => (s.id === 'helse' ? { ...s, offsetDays: s.offsetDays + 14 } : s)),
      {
        id: 'ekstra-kontroll',
        title: 'Ekstra kontroll',
        track: 'administrativt',
        role: 'leder',
        anchor: { kind: 'placement' },
        offsetDays: 200,
        windowDays: 14,
        basis: { kind: 'ASSUMPTION', source: 'Test' },
      },
    ],
  });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('lists the built-in versions and serves each whole to every role', async () => {
    const list = await get('/api/catalogs', 'demo-kontaktperson');
    expect(list.status).toBe(200);
    for (const catalog of BUILT_IN_CATALOGS) {
      expect(list.body).toContainEqual({
        version: catalog.version,
        description: catalog.description,
        steps: 29,
        source: 'built-in',
      });
      const one = await get(`/api/catalogs/${catalog.version}`, 'demo-fosterhjemsressurs');
      expect(one.status).toBe(200);
      expect(one.body).toEqual(JSON.parse(JSON.stringify(catalog)));
    }
    expect((await get('/api/catalogs/2099.1')).status).toBe(404);
  });

  it('publishes a valid new version once; the same content again is a repeat, other content 409', async () => {
    const catalog = edited('2026.3');
    const first = await post('/api/catalogs', { catalog });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ version: '2026.3', created: true });
    const again = await post('/api/catalogs', { catalog });
    expect(again.body).toEqual({ version: '2026.3', created: false });
    const other = await post('/api/catalogs', { catalog: { ...catalog, description: 'Annen' } });
    expect(other.status).toBe(409);
    expect(bodyOf<Problem>(other).errors).toEqual([
      { field: 'catalog.version', reason: 'versjonen finnes allerede' },
    ]);
    const builtIn = await post('/api/catalogs', { catalog: { ...catalog, version: '2026.1' } });
    expect(builtIn.status).toBe(409);
    expect(await catalogEvents()).toBe(1);

    const list = await get('/api/catalogs');
    expect(bodyOf<{ version: string }[]>(list).map((c) => c.version)).toEqual(['2026.1', '2026.2', '2026.3']);
    expect(bodyOf<unknown[]>(list)[2]).toMatchObject({
      source: 'published',
      publishedBy: 'demo-admin',
      steps: 29,
    });
    const stored = await get('/api/catalogs/2026.3', 'demo-leder');
    expect(stored.body).toEqual(JSON.parse(JSON.stringify(catalog)));
  });

  it('refuses an invalid catalog naming every field, and stores nothing', async () => {
    const before = await catalogEvents();
    const [first, ...rest] = DEFAULT_CATALOG.steps;
    const bad = {
      ...DEFAULT_CATALOG,
      version: '2026.x',
      steps: [{ ...first, offsetDays: 1.5, anchr: 'x' }, ...rest],
    };
    const res = await post('/api/catalogs', { catalog: bad });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = bodyOf<Problem>(res).errors.map((e) => e.field);
    expect(fields).toEqual(['catalog.version', 'catalog.steps[0].anchr', 'catalog.steps[0].offsetDays']);
    expect((await post('/api/catalogs', { catalog: 'nei' })).status).toBe(400);
    expect((await post('/api/catalogs', { catalog: DEFAULT_CATALOG, extra: 1 })).status).toBe(400);
    expect(await catalogEvents()).toBe(before);
  });

  it('lets only an administrator publish or dry-run', async () => {
    for (const userId of ['demo-leder', 'demo-kontaktperson', 'demo-laeringsnettverksleder']) {
      expect((await post('/api/catalogs', { catalog: edited('2026.9') }, userId)).status).toBe(403);
      expect((await post('/api/catalogs/dry-run', { catalog: edited('2026.9') }, userId)).status).toBe(403);
    }
  });

  it('dry-run: counts per step what a version would change in the open tasks, without storing it', async () => {
    // Two open placements planned from 2026.1, one ended (not counted).
    const seed = async (placementDate: string, ended: boolean) => {
      const by = { userId: 'seed', role: 'kontaktperson' as const };
      const end: PackageEvent = {
        type: 'PlacementEnded',
        data: { endedOn: placementDate, reason: 'planlagt', by, at: '2026-01-01T08:00:00.000Z' },
      };
      const { tasks } = await seedPlannedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        facts: placementFacts('omsorgsovertakelse', placementDate),
        after: () => (ended ? [end] : []),
      });
      return tasks;
    };
    const planned = await seed('2026-09-01', false);
    await seed('2026-10-01', false);
    await seed('2026-10-01', true);
    await projectAll(api.db);
    const occurrences = (stepId: string) => planned.filter((t) => t.stepId === stepId).length;
    const before = await catalogEvents();

    const same = await post('/api/catalogs/dry-run', { catalog: { ...DEFAULT_CATALOG, version: '2026.7' } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({
      version: '2026.7',
      placements: 2,
      affectedPlacements: 0,
      moved: 0,
      added: 0,
      cancelled: 0,
      steps: [],
    });

    const res = await post('/api/catalogs/dry-run', { catalog: edited('2026.8') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '2026.8', placements: 2, affectedPlacements: 2 });
    const byStep = Object.fromEntries(
      bodyOf<{ steps: { stepId: string }[] }>(res).steps.map((s) => [s.stepId, s] as const),
    );
    expect(Object.keys(byStep).sort()).toEqual(['ekstra-kontroll', 'evaluering-3mnd', 'helse']);
    expect(byStep['helse']).toMatchObject({ moved: 2 * occurrences('helse'), added: 0, cancelled: 0 });
    expect(byStep['evaluering-3mnd']).toMatchObject({ cancelled: 2 * occurrences('evaluering-3mnd') });
    expect(byStep['ekstra-kontroll']).toMatchObject({ added: 2, title: 'Ekstra kontroll' });
    expect(await catalogEvents()).toBe(before);

    const invalid = await post('/api/catalogs/dry-run', { catalog: { ...DEFAULT_CATALOG, steps: [] } });
    expect(invalid.status).toBe(400);
    expect(bodyOf<Problem>(invalid).errors).toEqual([
      { field: 'catalog.steps', reason: 'Katalogen må ha minst ett steg.' },
    ]);
  });
});
