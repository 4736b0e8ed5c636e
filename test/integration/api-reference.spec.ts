import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  DEMO_FJORD_NETWORK,
  DEMO_FJORD_SERVICES,
  DEMO_NETWORK,
  DEMO_SERVICES,
  DEMO_USERS,
} from '../../libs/security/index.js';
import { bodyOf, projectAll, seedPlacement, startTestApi, type TestApi } from '../support/api.js';
import {
  anyString,
  NETWORKS,
  referenceApi,
  type Municipality,
  type Network,
  type Service,
} from '../support/reference.js';

/*
 * Reference data (issue 4) over the API against real PostgreSQL: the read endpoints (every role), the
 * administrators' writes (404, 409, audit trail in the same transaction), and a service moved into a
 * learning network reaching the auth guard at once (NetworkDirectory forgets on every reference write).
 * The Trøndelag seed: reference-seed.spec.ts; bad input to the writes: api-reference-input.spec.ts.
 */
describe('reference data API', () => {
  let api: TestApi;
  const {
    call,
    admin,
    list,
    load,
    municipalityId,
    serviceNamed,
    networkId,
    snapshot,
    changes,
    expectProblem,
  } = referenceApi(() => api);

  beforeAll(async () => {
    api = await startTestApi();
    await load();
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
      expect(services).toHaveLength(22 + 4);
      expect(services.map((s) => s.id)).toEqual(
        expect.arrayContaining([...Object.values(DEMO_SERVICES), ...Object.values(DEMO_FJORD_SERVICES)]),
      );
      for (const s of services) expect(s.memberMunicipalityIds).toContain(s.hostMunicipalityId);
      const members = services.flatMap((s) => s.memberMunicipalityIds);
      expect(new Set(members).size).toBe(members.length);
      expect(members).toHaveLength(municipalities.length);

      const networks = await list<Network>('networks');
      expect(networks.map((n) => n.name).filter((n) => NETWORKS.includes(n))).toEqual(NETWORKS);
      expect(networks.find((n) => n.id === DEMO_NETWORK)?.serviceIds.sort()).toEqual(
        Object.values(DEMO_SERVICES).sort(),
      );
      expect(networks.find((n) => n.id === DEMO_FJORD_NETWORK)?.serviceIds.sort()).toEqual(
        Object.values(DEMO_FJORD_SERVICES).sort(),
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
