import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEMO_NETWORK, DEMO_SERVICES, DEMO_USERS } from '../../libs/security/index.js';
import { bodyOf, projectAll, seedPlacement, startTestApi, type TestApi } from '../support/api.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * Reference data (issue 4) against real PostgreSQL: the Trøndelag seed of migration 1764050000000, the
 * read endpoints (every role), the administrators' writes (validation, 404, 409, audit trail in the same
 * transaction), and a service moved into a learning network reaching the auth guard at once (NetworkDirectory forgets on every reference write).
 */

interface Municipality {
  id: string;
  number: string;
  name: string;
  serviceId: string | null;
}
interface Service {
  id: string;
  name: string;
  hostMunicipalityId: string;
  memberMunicipalityIds: string[];
  networkId: string | null;
}
interface Network {
  id: string;
  name: string;
  serviceIds: string[];
}
interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; reason: string }[];
}

const anyString: unknown = expect.any(String);
const NETWORKS = ['Fjellregionen', 'Innherred', 'Kystregionen', 'Namdalen', 'Trondheimsregionen'];

describe('reference data seed (migration)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const rows = <T>(sql: string, params: unknown[] = []) => db.dataSource.query<T[]>(sql, params);

  it('has the 38 municipalities of Trøndelag with their 2024 municipality numbers', async () => {
    const municipalities = await rows<{ number: string; name: string }>(
      `SELECT number, name FROM municipalities ORDER BY number`,
    );
    expect(municipalities).toHaveLength(38);
    expect(municipalities.every((m) => /^50\d\d$/.test(m.number))).toBe(true);
    const byName = Object.fromEntries(municipalities.map((m) => [m.name, m.number]));
    expect(byName).toMatchObject({
      Trondheim: '5001',
      Steinkjer: '5006',
      Namsos: '5007',
      Frøya: '5014',
      Røros: '5025',
      Stjørdal: '5035',
      Verdal: '5038',
      Hitra: '5056',
      Orkland: '5059',
      Nærøysund: '5060',
      Rindal: '5061',
    });
  });

  it('has 22 services, each municipality in exactly one, each host a member', async () => {
    expect(await rows(`SELECT id FROM services`)).toHaveLength(22);
    const perMunicipality = await rows<{ services: number }>(
      `SELECT count(sm.service_id)::int AS services
         FROM municipalities m LEFT JOIN service_municipalities sm ON sm.municipality_id = m.id
        GROUP BY m.id`,
    );
    expect(perMunicipality).toHaveLength(38);
    expect(perMunicipality.every((r) => r.services === 1)).toBe(true);
    const hostsOutside = await rows(
      `SELECT s.id FROM services s
        WHERE NOT EXISTS (SELECT 1 FROM service_municipalities sm
                           WHERE sm.service_id = s.id AND sm.municipality_id = s.host_municipality_id)`,
    );
    expect(hostsOutside).toEqual([]);
    const members = await rows<{ service: string; host: string; members: string[] }>(
      `SELECT s.name AS service, h.name AS host, array_agg(m.name::text ORDER BY m.name) AS members
         FROM services s JOIN municipalities h ON h.id = s.host_municipality_id
         JOIN service_municipalities sm ON sm.service_id = s.id JOIN municipalities m ON m.id = sm.municipality_id
        GROUP BY s.id, h.name`,
    );
    const service = (name: string) => members.find((r) => r.service === name);
    expect(service('Værnesregionen barneverntjeneste')).toEqual({
      service: 'Værnesregionen barneverntjeneste',
      host: 'Stjørdal',
      members: ['Frosta', 'Meråker', 'Selbu', 'Stjørdal', 'Tydal'],
    });
    expect(service('Midtre Namdal barneverntjeneste')?.members).toEqual(['Flatanger', 'Namsos', 'Overhalla']);
    expect(service('Indre Namdal barneverntjeneste')?.members).toEqual([
      'Grong',
      'Høylandet',
      'Lierne',
      'Namsskogan',
      'Røyrvik',
    ]);
    expect(service('Oppdal og Rennebu barneverntjeneste')?.members).toEqual(['Oppdal', 'Rennebu']);
    expect(service('Melhus og Skaun barneverntjeneste')?.members).toEqual(['Melhus', 'Skaun']);
    for (const own of ['Hitra', 'Frøya', 'Trondheim', 'Steinkjer', 'Verdal'])
      expect(service(`${own} barneverntjeneste`)?.members).toEqual([own]);
  });

  it('has the 5 learning networks of §5, every service in one, matching the assumed geography', async () => {
    const networks = await rows<{ name: string; municipalities: string[] }>(
      `SELECT n.name, array_agg(m.name::text ORDER BY m.name) AS municipalities
         FROM learning_networks n JOIN services s ON s.network_id = n.id
         JOIN service_municipalities sm ON sm.service_id = s.id JOIN municipalities m ON m.id = sm.municipality_id
        GROUP BY n.id ORDER BY n.name`,
    );
    expect(networks.map((n) => n.name)).toEqual(NETWORKS);
    const of = (name: string) => networks.find((n) => n.name === name)?.municipalities;
    expect(of('Namdalen')).toEqual(
      [
        'Namsos',
        'Overhalla',
        'Flatanger',
        'Grong',
        'Høylandet',
        'Lierne',
        'Namsskogan',
        'Røyrvik',
        'Nærøysund',
        'Leka',
      ].sort(),
    );
    expect(of('Innherred')).toEqual(['Steinkjer', 'Snåsa', 'Inderøy', 'Verdal', 'Levanger'].sort());
    expect(of('Fjellregionen')).toEqual(['Røros', 'Holtålen', 'Midtre Gauldal', 'Oppdal', 'Rennebu'].sort());
    expect(of('Trondheimsregionen')).toHaveLength(9);
    expect(of('Kystregionen')).toHaveLength(9);
    expect(await rows(`SELECT id FROM services WHERE network_id IS NULL`)).toEqual([]);
    // The view the auth guard reads.
    expect(await rows(`SELECT * FROM learning_network_services`)).toHaveLength(22);
  });

  it('migrates down to the old table and up again to the same data, same ids', async () => {
    const dump = () =>
      rows(
        `SELECT s.id, s.name, s.host_municipality_id, n.id AS network, n.name AS network_name
           FROM services s JOIN learning_networks n ON n.id = s.network_id ORDER BY s.id`,
      );
    const before = await dump();
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT * FROM learning_network_services`)).toHaveLength(22);
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await dump()).toEqual(before);
  });
});

describe('reference data API', () => {
  let api: TestApi;
  const call = async (
    method: 'get' | 'post' | 'put',
    path: string,
    userId: string,
    body?: unknown,
  ): Promise<request.Response> => {
    let req = request(api.server)
      [method](path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
    if (body !== undefined) req = req.send(body as object);
    return req;
  };
  const admin = (method: 'post' | 'put', path: string, body: unknown) =>
    call(method, path, 'demo-admin', body);
  const list = async <T>(what: string) =>
    bodyOf<T[]>(await call('get', `/api/reference/${what}`, 'demo-admin'));

  let municipalityId: (name: string) => string;
  let serviceNamed: (name: string) => Promise<Service>;
  let networkId: (name: string) => Promise<string>;

  /** Everything written by the reference endpoints. */
  const snapshot = async () =>
    api.db.dataSource.query<unknown[]>(
      `SELECT (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM municipalities x) AS municipalities,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM services x) AS services,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM service_municipalities x) AS members,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM learning_networks x) AS networks,
              (SELECT count(*) FROM reference_changes) AS changes`,
    );
  const changes = () =>
    api.db.dataSource.query<
      {
        user_id: string;
        roles: string[];
        action: string;
        entity_id: string;
        before: unknown;
        after: unknown;
        request_id: string | null;
      }[]
    >(
      `SELECT user_id, roles, action, entity_id, before, after, request_id FROM reference_changes ORDER BY id`,
    );
  const expectProblem = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return bodyOf<Problem>(res);
  };

  beforeAll(async () => {
    api = await startTestApi();
    const municipalities = await list<Municipality>('municipalities');
    municipalityId = (name) => {
      const found = municipalities.find((m) => m.name === name);
      if (!found) throw new Error(`no municipality ${name}`);
      return found.id;
    };
    serviceNamed = async (name) => {
      const found = (await list<Service>('services')).find((s) => s.name === name);
      if (!found) throw new Error(`no service ${name}`);
      return found;
    };
    networkId = async (name) => {
      const found = (await list<Network>('networks')).find((n) => n.name === name);
      if (!found) throw new Error(`no network ${name}`);
      return found.id;
    };
  });
  afterAll(() => api?.close());

  describe('reads', () => {
    it.each(DEMO_USERS.map((u) => u.userId))(
      '%s reads municipalities, services and networks',
      async (userId) => {
        for (const what of ['municipalities', 'services', 'networks']) {
          const res = await call('get', `/api/reference/${what}`, userId);
          expect(res.status).toBe(200);
          expect(res.headers['cache-control']).toBe('no-store');
        }
      },
    );

    it('answers 401 without a token', async () => {
      expectProblem(await request(api.server).get('/api/reference/services'), 401);
    });

    it('lists Trøndelag plus the fictional demo organisations of the local issuer', async () => {
      const municipalities = await list<Municipality>('municipalities');
      expect(municipalities.filter((m) => m.number.startsWith('50'))).toHaveLength(38);
      expect(municipalities.map((m) => m.number)).toEqual([...municipalities.map((m) => m.number)].sort());
      expect(municipalities.filter((m) => m.serviceId === null)).toEqual([]);
      expect(municipalities.find((m) => m.name === 'Trondheim')).toMatchObject({ number: '5001' });

      const services = await list<Service>('services');
      expect(services).toHaveLength(22 + 2);
      expect(services.map((s) => s.id)).toEqual(expect.arrayContaining(Object.values(DEMO_SERVICES)));
      for (const s of services) expect(s.memberMunicipalityIds).toContain(s.hostMunicipalityId);
      const members = services.flatMap((s) => s.memberMunicipalityIds);
      expect(new Set(members).size).toBe(members.length);
      expect(members).toHaveLength(municipalities.length);

      const networks = await list<Network>('networks');
      expect(networks.map((n) => n.name).filter((n) => NETWORKS.includes(n))).toEqual(NETWORKS);
      expect(networks.find((n) => n.id === DEMO_NETWORK)?.serviceIds.sort()).toEqual(
        Object.values(DEMO_SERVICES).sort(),
      );
      const vaernes = services.find((s) => s.name === 'Værnesregionen barneverntjeneste');
      expect(vaernes?.hostMunicipalityId).toBe(municipalityId('Stjørdal'));
      expect(networks.find((n) => n.name === 'Trondheimsregionen')?.serviceIds).toContain(vaernes?.id);
    });
  });

  describe('writes', () => {
    it.each(DEMO_USERS.filter((u) => !u.roles.includes('admin')).map((u) => u.userId))(
      '%s may not change reference data (403, nothing changed)',
      async (userId) => {
        const before = await snapshot();
        const trondheim = await serviceNamed('Trondheim barneverntjeneste');
        const attempts = [
          call('post', '/api/reference/networks', userId, { name: 'Uautorisert' }),
          call('put', `/api/reference/networks/${DEMO_NETWORK}`, userId, { name: 'Uautorisert' }),
          call('post', '/api/reference/services', userId, {
            ...trondheim,
            id: undefined,
            name: 'Uautorisert',
          }),
          call('put', `/api/reference/services/${trondheim.id}`, userId, {
            name: 'Uautorisert',
            hostMunicipalityId: trondheim.hostMunicipalityId,
            memberMunicipalityIds: trondheim.memberMunicipalityIds,
            networkId: null,
          }),
        ];
        for (const res of await Promise.all(attempts))
          expect(expectProblem(res, 403).detail).toBe('Du har ikke tilgang til å gjøre dette.');
        expect(await snapshot()).toEqual(before);
      },
    );

    it('an administrator creates and renames a learning network, each change audited', async () => {
      const created = await admin('post', '/api/reference/networks', { name: '  Sør-Trøndelag test  ' });
      expect(created.status).toBe(201);
      const network = bodyOf<Network>(created);
      expect(network).toEqual({ id: anyString, name: 'Sør-Trøndelag test', serviceIds: [] });

      const renamed = await admin('put', `/api/reference/networks/${network.id}`, { name: 'Gauldalen' });
      expect(renamed.status).toBe(200);
      expect(bodyOf<Network>(renamed)).toEqual({ ...network, name: 'Gauldalen' });
      expect((await list<Network>('networks')).find((n) => n.id === network.id)?.name).toBe('Gauldalen');

      const audit = (await changes()).filter((c) => c.entity_id === network.id);
      expect(audit).toEqual([
        {
          user_id: 'demo-admin',
          roles: ['admin'],
          action: 'network.created',
          entity_id: network.id,
          before: null,
          after: network,
          request_id: anyString,
        },
        {
          user_id: 'demo-admin',
          roles: ['admin'],
          action: 'network.updated',
          entity_id: network.id,
          before: network,
          after: { ...network, name: 'Gauldalen' },
          request_id: anyString,
        },
      ]);
    });

    it('splits a service: Osen out of "Åfjord og Osen" into a service of its own', async () => {
      const kyst = await networkId('Kystregionen');
      const afjordOsen = await serviceNamed('Åfjord og Osen barneverntjeneste');
      const changesBefore = (await changes()).length;

      const updated = await admin('put', `/api/reference/services/${afjordOsen.id}`, {
        name: 'Åfjord barneverntjeneste',
        hostMunicipalityId: municipalityId('Åfjord'),
        memberMunicipalityIds: [municipalityId('Åfjord')],
        networkId: kyst,
      });
      expect(updated.status).toBe(200);
      expect(bodyOf<Service>(updated)).toEqual({
        id: afjordOsen.id,
        name: 'Åfjord barneverntjeneste',
        hostMunicipalityId: municipalityId('Åfjord'),
        memberMunicipalityIds: [municipalityId('Åfjord')],
        networkId: kyst,
      });

      const created = await admin('post', '/api/reference/services', {
        name: 'Osen barneverntjeneste',
        hostMunicipalityId: municipalityId('Osen'),
        memberMunicipalityIds: [municipalityId('Osen')],
        networkId: kyst,
      });
      expect(created.status).toBe(201);
      const osen = bodyOf<Service>(created);
      expect(osen).toMatchObject({ name: 'Osen barneverntjeneste', networkId: kyst });
      const municipalities = await list<Municipality>('municipalities');
      expect(municipalities.find((m) => m.name === 'Osen')?.serviceId).toBe(osen.id);
      expect(municipalities.find((m) => m.name === 'Åfjord')?.serviceId).toBe(afjordOsen.id);
      expect((await list<Network>('networks')).find((n) => n.id === kyst)?.serviceIds).toContain(osen.id);

      const audit = (await changes()).slice(changesBefore);
      expect(audit.map((c) => [c.action, c.entity_id])).toEqual([
        ['service.updated', afjordOsen.id],
        ['service.created', osen.id],
      ]);
      expect(audit[0]?.before).toEqual(afjordOsen);
      expect(audit[0]?.after).toEqual(bodyOf<Service>(updated));
      expect(audit[1]?.before).toBeNull();
      expect(audit[1]?.after).toEqual(osen);
    });

    it('changes a host within a service, and takes a service out of its network', async () => {
      const oppdal = await serviceNamed('Oppdal og Rennebu barneverntjeneste');
      const res = await admin('put', `/api/reference/services/${oppdal.id}`, {
        name: oppdal.name,
        hostMunicipalityId: municipalityId('Rennebu'),
        memberMunicipalityIds: oppdal.memberMunicipalityIds,
        networkId: null,
      });
      expect(res.status).toBe(200);
      expect(bodyOf<Service>(res)).toEqual({
        ...oppdal,
        hostMunicipalityId: municipalityId('Rennebu'),
        networkId: null,
      });
    });

    it('409 for a municipality already in another service, naming both; nothing changed', async () => {
      const before = await snapshot();
      const res = await admin('post', '/api/reference/services', {
        name: 'Ny tjeneste',
        hostMunicipalityId: municipalityId('Malvik'),
        memberMunicipalityIds: [municipalityId('Malvik'), municipalityId('Trondheim')],
        networkId: null,
      });
      const problem = expectProblem(res, 409);
      expect(problem.title).toBe('Konflikt');
      expect(problem.detail).toContain('Trondheim hører allerede til Trondheim barneverntjeneste');
      expect(problem.errors).toContainEqual({
        field: 'memberMunicipalityIds',
        reason: 'Trondheim hører allerede til Trondheim barneverntjeneste',
      });
      const verdal = await serviceNamed('Verdal barneverntjeneste');
      const update = await admin('put', `/api/reference/services/${verdal.id}`, {
        name: verdal.name,
        hostMunicipalityId: verdal.hostMunicipalityId,
        memberMunicipalityIds: [...verdal.memberMunicipalityIds, municipalityId('Levanger')],
        networkId: verdal.networkId,
      });
      expect(expectProblem(update, 409).errors).toEqual([
        { field: 'memberMunicipalityIds', reason: 'Levanger hører allerede til Levanger barneverntjeneste' },
      ]);
      expect(await snapshot()).toEqual(before);
    });

    it('409 for a duplicate name (any case); nothing changed', async () => {
      const before = await snapshot();
      const network = await admin('post', '/api/reference/networks', { name: 'namdalen' });
      expect(expectProblem(network, 409)).toMatchObject({
        detail: 'Det finnes allerede et læringsnettverk med dette navnet.',
        errors: [{ field: 'name', reason: 'navnet er allerede i bruk' }],
      });
      const innherred = await networkId('Innherred');
      const rename = await admin('put', `/api/reference/networks/${innherred}`, { name: 'Fjellregionen' });
      expect(expectProblem(rename, 409).errors).toEqual([
        { field: 'name', reason: 'navnet er allerede i bruk' },
      ]);

      const hitra = await serviceNamed('Hitra barneverntjeneste');
      const service = await admin('put', `/api/reference/services/${hitra.id}`, {
        name: 'FRØYA BARNEVERNTJENESTE',
        hostMunicipalityId: hitra.hostMunicipalityId,
        memberMunicipalityIds: hitra.memberMunicipalityIds,
        networkId: hitra.networkId,
      });
      expect(expectProblem(service, 409)).toMatchObject({
        detail: 'Det finnes allerede en barneverntjeneste med dette navnet.',
        errors: [{ field: 'name', reason: 'navnet er allerede i bruk' }],
      });
      expect(await snapshot()).toEqual(before);
    });

    it('404 for an unknown network or service; 400 for a malformed id', async () => {
      const before = await snapshot();
      const network = await admin('put', `/api/reference/networks/${randomUUID()}`, { name: 'Hvor' });
      expect(expectProblem(network, 404).detail).toBe('Fant ikke dette læringsnettverket.');
      const hitra = await serviceNamed('Hitra barneverntjeneste');
      const service = await admin('put', `/api/reference/services/${randomUUID()}`, {
        name: 'Hvor',
        hostMunicipalityId: hitra.hostMunicipalityId,
        memberMunicipalityIds: hitra.memberMunicipalityIds,
        networkId: null,
      });
      expect(expectProblem(service, 404).detail).toBe('Fant ikke denne barneverntjenesten.');
      const malformed = await admin('put', '/api/reference/networks/not-a-uuid', { name: 'Hvor' });
      expect(expectProblem(malformed, 400).errors).toEqual([
        { field: 'networkId', reason: 'må være en UUID' },
      ]);
      expect(await snapshot()).toEqual(before);
    });

    describe('bad input: 400 problem+json naming the field, nothing changed', () => {
      const valid = () => ({
        name: 'Testtjeneste',
        hostMunicipalityId: municipalityId('Heim'),
        memberMunicipalityIds: [municipalityId('Heim')],
        networkId: null as string | null,
      });
      const serviceCases: [string, () => unknown, string][] = [
        ['unknown field', () => ({ ...valid(), municipality: 'Heim' }), 'municipality'],
        ['networkId missing', () => ({ ...valid(), networkId: undefined }), 'networkId'],
        ['name empty after trimming', () => ({ ...valid(), name: '   ' }), 'name'],
        ['name too long', () => ({ ...valid(), name: 'x'.repeat(121) }), 'name'],
        ['name with a control character', () => ({ ...valid(), name: 'Test\u0000tjeneste' }), 'name'],
        ['name not text', () => ({ ...valid(), name: 42 }), 'name'],
        [
          'host not a member',
          () => ({ ...valid(), hostMunicipalityId: municipalityId('Hitra') }),
          'hostMunicipalityId',
        ],
        ['no members', () => ({ ...valid(), memberMunicipalityIds: [] }), 'memberMunicipalityIds'],
        [
          'a member twice',
          () => ({ ...valid(), memberMunicipalityIds: [municipalityId('Heim'), municipalityId('Heim')] }),
          'memberMunicipalityIds',
        ],
        [
          'members not a list',
          () => ({ ...valid(), memberMunicipalityIds: municipalityId('Heim') }),
          'memberMunicipalityIds',
        ],
        [
          'a member not a UUID',
          () => ({ ...valid(), memberMunicipalityIds: ['5055'] }),
          'memberMunicipalityIds',
        ],
        [
          'an unknown municipality',
          () => {
            const unknown = randomUUID();
            return { ...valid(), hostMunicipalityId: unknown, memberMunicipalityIds: [unknown] };
          },
          'memberMunicipalityIds',
        ],
        ['an unknown network', () => ({ ...valid(), networkId: randomUUID() }), 'networkId'],
        ['a malformed network id', () => ({ ...valid(), networkId: 'Kystregionen' }), 'networkId'],
      ];

      it.each(serviceCases)('service, %s', async (_, body, field) => {
        const before = await snapshot();
        const heim = await serviceNamed('Heim barneverntjeneste');
        for (const res of [
          await admin('post', '/api/reference/services', body()),
          await admin('put', `/api/reference/services/${heim.id}`, body()),
        ]) {
          const problem = expectProblem(res, 400);
          expect(problem).toMatchObject({
            title: 'Ugyldig forespørsel',
            detail: 'Ett eller flere felt er ugyldige.',
          });
          expect(problem.errors?.map((e) => e.field)).toContain(field);
          for (const e of problem.errors ?? []) expect(e.reason).toEqual(anyString);
        }
        expect(await snapshot()).toEqual(before);
      });

      it.each([
        ['unknown field', { name: 'Nettverk', region: 'Midt' }, 'region'],
        ['name missing', {}, 'name'],
        ['name empty', { name: '' }, 'name'],
        ['name not text', { name: ['Namdalen'] }, 'name'],
      ])('network, %s', async (_, body, field) => {
        const before = await snapshot();
        for (const res of [
          await admin('post', '/api/reference/networks', body),
          await admin('put', `/api/reference/networks/${DEMO_NETWORK}`, body),
        ])
          expect(expectProblem(res, 400).errors?.map((e) => e.field)).toContain(field);
        expect(await snapshot()).toEqual(before);
      });

      it('gives reasons in Norwegian', async () => {
        const res = await admin('post', '/api/reference/services', {
          ...valid(),
          name: '',
          memberMunicipalityIds: [],
        });
        expect(expectProblem(res, 400).errors).toEqual(
          expect.arrayContaining([
            { field: 'name', reason: 'må ha mellom 1 og 120 tegn' },
            { field: 'memberMunicipalityIds', reason: 'må ha minst én kommune' },
          ]),
        );
      });
    });

    it('keeps the audit trail append-only', async () => {
      await expect(
        api.db.dataSource.query(`UPDATE reference_changes SET user_id = 'someone'`),
      ).rejects.toThrow(/append-only/);
      await expect(api.db.dataSource.query(`DELETE FROM reference_changes`)).rejects.toThrow(/append-only/);
    });
  });

  describe('learning networks and the auth guard', () => {
    it("a foster-home resource sees a service's tasks as soon as the service joins their network", async () => {
      const trondheim = await serviceNamed('Trondheim barneverntjeneste');
      const placement = await seedPlacement(api.db, {
        serviceId: trondheim.id,
        bufetatHelp: false,
        tasks: [{ taskId: 'fhr#1', role: 'fosterhjemsressurs', dueOn: '2026-07-06' }],
      });
      await projectAll(api.db);
      const task = `/api/tasks/${placement.placementId}/${encodeURIComponent('fhr#1')}`;
      const inbox = async () =>
        bodyOf<{ items: { placementId: string }[] }>(
          await call('get', '/api/tasks?limit=200', 'demo-fosterhjemsressurs'),
        ).items.filter((t) => t.placementId === placement.placementId);
      const move = (networkId: string | null) =>
        admin('put', `/api/reference/services/${trondheim.id}`, {
          name: trondheim.name,
          hostMunicipalityId: trondheim.hostMunicipalityId,
          memberMunicipalityIds: trondheim.memberMunicipalityIds,
          networkId,
        });

      expect((await call('get', task, 'demo-fosterhjemsressurs')).status).toBe(404);
      expect(await inbox()).toEqual([]);

      expect((await move(DEMO_NETWORK)).status).toBe(200);
      expect((await call('get', task, 'demo-fosterhjemsressurs')).status).toBe(200);
      expect(await inbox()).toHaveLength(1);

      expect((await move(trondheim.networkId)).status).toBe(200);
      expect((await call('get', task, 'demo-fosterhjemsressurs')).status).toBe(404);
      expect(await inbox()).toEqual([]);
    });
  });
});
