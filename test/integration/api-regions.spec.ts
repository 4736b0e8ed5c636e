import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES, FINNMARK_DEMO } from '../../libs/security/index.js';
import { bodyOf, projectAll, seedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * Regions (issue 17) over the API against real PostgreSQL: Finnmark's data file loaded through the
 * admin API (twice: the second load changes nothing and says so), bad files refused with problem+json
 * naming the field and changing nothing, and isolation: Finnmark's leader and lead see Finnmark only,
 * Trøndelag's users nothing of Finnmark.
 */

interface RegionLoad {
  region: {
    id: string;
    code: string;
    name: string;
    catalogVersion: string | null;
    municipalities: number;
    services: number;
    networks: number;
  };
  changed: boolean;
  changes: { action: string; entityId: string; name: string }[];
}
interface Problem {
  errors?: { field: string; reason: string }[];
}
interface Named {
  id: string;
  name: string;
  number?: string;
}

const FILE = readFileSync(new URL('../../data/regions/finnmark.json', import.meta.url), 'utf8');
const finnmark = () =>
  JSON.parse(FILE) as {
    code: string;
    name: string;
    catalogVersion: string | null;
    municipalities: { number: string; name: string }[];
    networks: { name: string }[];
    services: { name: string; host: string; members: string[]; network: string | null }[];
  };

describe('regions: a second region as configuration', () => {
  let api: TestApi;

  const call = async (method: 'get' | 'put' | 'post', path: string, userId: string, body?: unknown) => {
    const req = request(api.server)
      [method](path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
    return body === undefined ? req : req.send(body as object);
  };
  const names = async (what: string, userId: string) => {
    const res = await call('get', `/api/reference/${what}`, userId);
    expect(res.status).toBe(200);
    return bodyOf<Named[]>(res);
  };
  /** Everything a load could write: a bad file must leave all of it as it was. */
  const state = async () =>
    api.db.dataSource.query<{ n: string }[]>(
      `SELECT (SELECT count(*) FROM regions) || '/' || (SELECT count(*) FROM municipalities) || '/' ||
              (SELECT count(*) FROM services) || '/' || (SELECT count(*) FROM learning_networks) || '/' ||
              (SELECT count(*) FROM service_municipalities) || '/' || (SELECT count(*) FROM reference_changes) AS n`,
    );

  beforeAll(async () => {
    api = await startTestApi({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
  });
  afterAll(() => api?.close());

  describe('bad files: problem+json naming the field, nothing changed', () => {
    const cases: [string, (f: ReturnType<typeof finnmark>) => unknown, string, number][] = [
      [
        'a malformed municipality number',
        (f) => void (f.municipalities[3].number = '56O7'),
        'municipalities.3.number',
        400,
      ],
      [
        'a municipality twice',
        (f) => void (f.municipalities[5].number = f.municipalities[0].number),
        'municipalities.5.number',
        400,
      ],
      ['a host not among the members', (f) => void (f.services[0].host = '5603'), 'services.0.host', 400],
      [
        'a member not among the municipalities',
        (f) => void (f.services[9].members[1] = '5699'),
        'services.9.members.1',
        400,
      ],
      [
        'an unknown network',
        (f) => void (f.services[2].network = 'Nordkapp-nettverket'),
        'services.2.network',
        400,
      ],
      ['a catalog version not published', (f) => void (f.catalogVersion = '2099.9'), 'catalogVersion', 400],
      ['another code than the path’s', (f) => void (f.code = 'troms'), 'code', 400],
      [
        'a field the format does not have',
        (f) => void ((f as Record<string, unknown>).owner = 'x'),
        'owner',
        400,
      ],
      [
        'a Trøndelag municipality',
        (f) => void f.municipalities.push({ number: '5001', name: 'Trondheim' }),
        'municipalities.18.number',
        409,
      ],
    ];
    it.each(cases)('%s', async (_, edit, field, status) => {
      const before = await state();
      const file = finnmark();
      edit(file);
      const res = await call('put', '/api/reference/regions/finnmark', 'demo-admin', file);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bodyOf<Problem>(res).errors?.map((e) => e.field)).toContain(field);
      expect(await state()).toEqual(before);
    });

    it('is the administrators’ only', async () => {
      const res = await call('put', '/api/reference/regions/finnmark', 'demo-leder', finnmark());
      expect(res.status).toBe(403);
    });
  });

  describe('Finnmark loaded from its file', () => {
    let first: RegionLoad;

    beforeAll(async () => {
      const res = await call('put', '/api/reference/regions/finnmark', 'demo-admin', finnmark());
      expect(res.status).toBe(200);
      first = bodyOf<RegionLoad>(res);
    });

    it('creates the region, its 18 municipalities, services and networks, each change audited', async () => {
      expect(first.changed).toBe(true);
      expect(typeof first.region.id).toBe('string');
      expect(first.region).toMatchObject({
        code: 'finnmark',
        name: 'Finnmark',
        catalogVersion: '2026.2',
        municipalities: 18,
        services: 15,
        networks: 3,
      });
      const count = (action: string) => first.changes.filter((c) => c.action === action).length;
      expect([count('region.created'), count('municipality.created')]).toEqual([1, 18]);
      expect([count('network.created'), count('service.created')]).toEqual([3, 15]);
      const [audited] = await api.db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM reference_changes WHERE user_id = 'demo-admin'`,
      );
      expect(audited?.n).toBe(first.changes.length);
      // The ids the demo users of the local issuer name (deterministic: the same in every environment).
      const services = await names('services', 'demo-admin');
      expect(services.find((s) => s.name === 'Alta barneverntjeneste')?.id).toBe(FINNMARK_DEMO.alta);
      expect(services.find((s) => s.name === 'Tana og Nesseby barneverntjeneste')?.id).toBe(
        FINNMARK_DEMO.tana,
      );
      const byNumber = new Map(
        (await names('municipalities', 'demo-admin')).map((m) => [m.number, m.id] as const),
      );
      const tana = bodyOf<{ id: string; hostMunicipalityId: string; memberMunicipalityIds: string[] }[]>(
        await call('get', '/api/reference/services?region=finnmark', 'demo-admin'),
      ).find((s) => s.id === FINNMARK_DEMO.tana);
      // An inter-municipal service: its host and both member municipalities.
      expect(tana?.hostMunicipalityId).toBe(byNumber.get('5628'));
      expect(tana?.memberMunicipalityIds.sort()).toEqual([byNumber.get('5628'), byNumber.get('5636')].sort());
    });

    it('loaded again, changes nothing and says so', async () => {
      const before = await state();
      const res = await call('put', '/api/reference/regions/finnmark', 'demo-admin', finnmark());
      expect(res.status).toBe(200);
      expect(bodyOf<RegionLoad>(res)).toMatchObject({ changed: false, changes: [] });
      expect(await state()).toEqual(before);
    });

    it('npm run load:region: the same file through the script, against the listening API', async () => {
      const server = await api.app.listen(0, '127.0.0.1');
      const { port } = server.address() as AddressInfo;
      const script = new URL('../../scripts/load-region.js', import.meta.url).pathname;
      const file = new URL('../../data/regions/finnmark.json', import.meta.url).pathname;
      const { stdout } = await promisify(execFile)(process.execPath, [script, file], {
        env: {
          ...process.env,
          API_URL: `http://127.0.0.1:${port}`,
          ADMIN_TOKEN: await api.token('demo-admin'),
        },
      });
      expect(stdout).toContain(
        'Finnmark (finnmark): 18 kommuner, 15 tjenester, 3 læringsnettverk, katalog 2026.2.',
      );
      expect(stdout).toContain('Ingen endringer');
      // A refused file: exit code 1, the fields printed.
      const refused = await promisify(execFile)(process.execPath, [script, file], {
        env: {
          ...process.env,
          API_URL: `http://127.0.0.1:${port}`,
          ADMIN_TOKEN: await api.token('demo-leder'),
        },
      }).catch((error: unknown) => error as { code: number; stderr: string });
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Avvist (403)') as unknown });
    });

    it('a changed file changes only what it changes', async () => {
      const file = finnmark();
      file.services[0].name = 'Alta kommune barneverntjeneste';
      const res = await call('put', '/api/reference/regions/finnmark', 'demo-admin', file);
      // A service is known by its name: a renamed one is a new service, and the old one keeps Alta.
      expect(res.status).toBe(409);
      expect(bodyOf<Problem>(res).errors?.map((e) => e.field)).toEqual(['services.0.members.0']);
      const moved = finnmark();
      moved.catalogVersion = '2026.1';
      const again = bodyOf<RegionLoad>(
        await call('put', '/api/reference/regions/finnmark', 'demo-admin', moved),
      );
      expect(again.changes.map((c) => c.action)).toEqual(['region.updated']);
      const back = bodyOf<RegionLoad>(
        await call('put', '/api/reference/regions/finnmark', 'demo-admin', finnmark()),
      );
      expect(back.changes.map((c) => c.action)).toEqual(['region.updated']);
      expect(back.region.catalogVersion).toBe('2026.2');
    });

    it('a Finnmark leader and lead see Finnmark only', async () => {
      const numbers = (await names('municipalities', 'demo-finnmark-leder')).map((m) => m.number);
      expect(numbers).toHaveLength(18);
      expect(numbers.every((n) => n?.startsWith('56'))).toBe(true);
      expect((await names('services', 'demo-finnmark-leder')).map((s) => s.name)).toEqual(
        expect.arrayContaining(['Alta barneverntjeneste', 'Tana og Nesseby barneverntjeneste']),
      );
      expect(await names('services', 'demo-finnmark-leder')).toHaveLength(15);
      expect((await names('networks', 'demo-finnmark-nettverksleder')).map((n) => n.name).sort()).toEqual([
        'Midt-Finnmark',
        'Vest-Finnmark',
        'Øst-Finnmark',
      ]);
      const regions = bodyOf<{ code: string }[]>(
        await call('get', '/api/reference/regions', 'demo-finnmark-leder'),
      );
      expect(regions.map((r) => r.code)).toEqual(['finnmark']);
      // Asking for another region changes nothing: a non-administrator sees the own one.
      const asked = bodyOf<Named[]>(
        await call('get', '/api/reference/municipalities?region=trondelag', 'demo-finnmark-leder'),
      );
      expect(asked.every((m) => m.number?.startsWith('56'))).toBe(true);
    });

    it('Trøndelag users see nothing of Finnmark', async () => {
      for (const userId of ['demo-leder', 'demo-laeringsnettverksleder', 'demo-fosterhjemsressurs']) {
        const numbers = (await names('municipalities', userId)).map((m) => m.number ?? '');
        expect(numbers).toContain('5001');
        expect(numbers.filter((n) => n.startsWith('56'))).toEqual([]);
        const services = (await names('services', userId)).map((s) => s.id);
        expect(services).toContain(DEMO_SERVICES.nordby);
        expect(services).not.toContain(FINNMARK_DEMO.alta);
        const networks = (await names('networks', userId)).map((n) => n.name);
        expect(networks).not.toContain('Vest-Finnmark');
        const regions = bodyOf<{ code: string }[]>(await call('get', '/api/reference/regions', userId));
        expect(regions.map((r) => r.code)).toEqual(['trondelag']);
      }
    });

    it('administrators see every region, and filter by one', async () => {
      const regions = bodyOf<{ code: string }[]>(await call('get', '/api/reference/regions', 'demo-admin'));
      expect(regions.map((r) => r.code).sort()).toEqual(['finnmark', 'trondelag']);
      const all = await names('municipalities', 'demo-admin');
      expect(all.some((m) => m.number === '5601') && all.some((m) => m.number === '5001')).toBe(true);
      const only = bodyOf<Named[]>(
        await call('get', '/api/reference/municipalities?region=finnmark', 'demo-admin'),
      );
      expect(only).toHaveLength(18);
      const unknown = await call('get', '/api/reference/municipalities?region=troms', 'demo-admin');
      expect(unknown.status).toBe(404);
      const bad = await call('get', '/api/reference/municipalities?region=Tr%C3%B8ndelag', 'demo-admin');
      expect(bad.status).toBe(400);
      expect(bodyOf<Problem>(bad).errors?.map((e) => e.field)).toEqual(['region']);
    });

    it("a Finnmark leader's inbox has Finnmark's tasks only; Trøndelag's leader none of them", async () => {
      const alta = await seedPlacement(api.db, {
        serviceId: FINNMARK_DEMO.alta,
        bufetatHelp: false,
        tasks: [{ taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-10-01' }],
      });
      const nordby = await seedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        bufetatHelp: false,
        tasks: [{ taskId: 'samtale#1', role: 'kontaktperson', dueOn: '2026-10-01' }],
      });
      await projectAll(api.db);
      const inbox = async (userId: string) =>
        bodyOf<{ items: { placementId: string }[] }>(
          await call('get', '/api/tasks?limit=200', userId),
        ).items.map((t) => t.placementId);
      expect(await inbox('demo-finnmark-leder')).toEqual([alta.placementId]);
      const trondelag = await inbox('demo-leder');
      expect(trondelag).toContain(nordby.placementId);
      expect(trondelag).not.toContain(alta.placementId);
      const read = await call('get', `/api/placements/${alta.placementId}`, 'demo-leder');
      expect(read.status).toBe(404);
      expect((await call('get', `/api/placements/${nordby.placementId}`, 'demo-finnmark-leder')).status).toBe(
        404,
      );
    });

    it('registration without a catalog version: the region’s choice; a region without one says so', async () => {
      const { catalogVersion: _named, ...unnamed } = placementRequestBody('2026-07-01');
      void _named;
      // Trøndelag chose no version: the field is named.
      const trondelag = await request(api.server)
        .post('/api/placements')
        .set('Authorization', `Bearer ${await api.token('demo-kontaktperson')}`)
        .set('Idempotency-Key', crypto.randomUUID())
        .send(unnamed);
      expect(trondelag.status).toBe(400);
      expect(bodyOf<Problem>(trondelag).errors).toEqual([
        { field: 'catalogVersion', reason: 'mangler: regionen din har ikke valgt en katalogversjon' },
      ]);
      // Finnmark chose 2026.2 (published), checked before the engine; the registration itself (with
      // Temporal) is the e2e tier's.
      const [chosen] = await api.db.dataSource.query<{ v: string }[]>(
        `SELECT catalog_version AS v FROM regions WHERE code = 'finnmark'`,
      );
      expect(chosen?.v).toBe('2026.2');
    });
  });
});
