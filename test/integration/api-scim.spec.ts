import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * SCIM 2.0 provisioning (apps/api/scim) against real PostgreSQL, in the order Entra ID sends it: look the
 * user up by userName (an empty list), create them, put them in a group (which gives a role), deactivate
 * them with PATCH; and what that means for who a task can be given to. Errors in SCIM's format, the
 * service's own token (another service's sees nothing of it), every write audited.
 */
const NORDBY_TOKEN = `nordby-${'s'.repeat(40)}`;
const SORVIK_TOKEN = `sorvik-${'t'.repeat(40)}`;
const SCIM = 'application/scim+json';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface ScimUser {
  id: string;
  userName: string;
  active: boolean;
  displayName?: string;
  emails: { value: string }[];
  groups: { value: string; display: string }[];
}
interface ScimList<T> {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

describe('SCIM provisioning', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;

  const scim = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, token = NORDBY_TOKEN) =>
    request(api.server)
      [method](`/scim/v2${path}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Accept', SCIM);
  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown, token = NORDBY_TOKEN) =>
    scim(method, path, token).set('Content-Type', SCIM).send(JSON.stringify(body));
  const assignees = async (taskId: string) => {
    const res = await request(api.server)
      .get(`/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent(taskId)}/assignees`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(res.status).toBe(200);
    return bodyOf<{ userId: string; name?: string }[]>(res);
  };
  const userIdOf = async (personId: string) =>
    (
      await api.db.dataSource.query<{ user_id: string }[]>(
        `SELECT user_id FROM people WHERE person_id = $1`,
        [personId],
      )
    )[0]?.user_id;

  beforeAll(async () => {
    api = await startTestApi({
      SCIM_TENANTS: JSON.stringify([
        {
          organisation: DEMO_SERVICES.nordby,
          token: NORDBY_TOKEN,
          groupRoles: { 'BV Nordby saksbehandlere': 'kontaktperson' },
        },
        { organisation: DEMO_SERVICES.sorvik, token: SORVIK_TOKEN },
      ]),
    });
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
  });
  afterAll(() => api?.close());

  const entraUser = (userName: string, externalId: string) => ({
    schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    externalId,
    userName,
    active: true,
    displayName: 'Kari Nordmann',
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: 'Kari Nordmann', familyName: 'Nordmann', givenName: 'Kari' },
  });

  it('takes a user as Entra ID provisions one: lookup, create, group, deactivate', async () => {
    const userName = 'kari.nordmann@nordby.kommune.no';
    // 1. Entra ID asks whether the user exists: an empty list.
    const lookup = await scim('get', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(lookup.status).toBe(200);
    expect(lookup.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(bodyOf<ScimList<ScimUser>>(lookup)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    // 2. It creates them.
    const created = await send('post', '/Users', entraUser(userName, 'f1e2d3c4-0000-4000-8000-000000000001'));
    expect(created.status).toBe(201);
    const user = bodyOf<ScimUser & { meta: { location: string; resourceType: string } }>(created);
    expect(user).toMatchObject({
      schemas: [USER],
      userName,
      active: true,
      displayName: 'Kari Nordmann',
      externalId: 'f1e2d3c4-0000-4000-8000-000000000001',
      emails: [{ value: userName, primary: true }],
      groups: [],
      meta: { resourceType: 'User' },
    });
    expect(created.headers.location).toBe(user.meta.location);
    expect(user.meta.location).toMatch(new RegExp(`/scim/v2/Users/${user.id}$`));
    // Found by the same filter now, whatever the case of the name.
    const found = await scim(
      'get',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`,
    );
    expect(bodyOf<ScimList<ScimUser>>(found).Resources.map((u) => u.id)).toEqual([user.id]);

    // Without a group they have no role: nobody's task yet.
    const userId = await userIdOf(user.id);
    expect(userId).toBe(user.id);
    expect((await assignees('samtale#1')).map((a) => a.userId)).not.toContain(userId);

    // 3. A group named in the service's mapping gives its members that role: they can be given tasks
    // before they ever log in.
    const group = await send('post', '/Groups', {
      schemas: [GROUP],
      displayName: 'BV Nordby saksbehandlere',
      externalId: 'aa11bb22-0000-4000-8000-000000000002',
      members: [{ value: user.id }],
    });
    expect(group.status).toBe(201);
    const groupId = bodyOf<{ id: string }>(group).id;
    const withGroup = bodyOf<ScimUser>(await scim('get', `/Users/${user.id}`));
    expect(withGroup.groups).toEqual([
      expect.objectContaining({ value: groupId, display: 'BV Nordby saksbehandlere' }),
    ]);
    expect(await assignees('samtale#1')).toContainEqual({
      userId,
      name: 'Kari Nordmann',
      roles: ['kontaktperson'],
    });
    // Entra ID asks for groups without their members.
    const groups = await scim(
      'get',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "BV Nordby saksbehandlere"')}`,
    );
    expect(bodyOf<ScimList<Record<string, unknown>>>(groups).Resources).toEqual([
      expect.not.objectContaining({ members: expect.anything() as unknown }),
    ]);
    expect(bodyOf<ScimList<Record<string, unknown>>>(groups).Resources[0]).toMatchObject({ id: groupId });

    // 4. Deprovisioned: Entra ID's PATCH (capitalised op, the value as a string).
    const patched = await send('patch', `/Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(patched.status).toBe(200);
    expect(bodyOf<ScimUser>(patched).active).toBe(false);
    expect(bodyOf<ScimUser>(await scim('get', `/Users/${user.id}`)).active).toBe(false);
    expect((await assignees('samtale#1')).map((a) => a.userId)).not.toContain(userId);
    // And a reassignment to them is refused before the engine.
    const reassign = await request(api.server)
      .post(`/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent('samtale#3')}/reassign`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`)
      .set('Idempotency-Key', `reassign-${randomUUID()}`)
      .send({ assigneeId: userId });
    expect(reassign.status).toBe(400);

    // Every write audited, by SCIM, without the token.
    const changes = await api.db.dataSource.query<{ via: string; action: string; user_id: string }[]>(
      `SELECT via, action, user_id FROM people_changes WHERE entity_id IN ($1, $2) ORDER BY id`,
      [user.id, groupId],
    );
    expect(changes).toEqual([
      { via: 'scim', action: 'person.created', user_id: 'scim' },
      { via: 'scim', action: 'group.created', user_id: 'scim' },
      { via: 'scim', action: 'person.updated', user_id: 'scim' },
    ]);
    const stored = JSON.stringify(await api.db.dataSource.query(`SELECT * FROM people_changes`));
    expect(stored).not.toContain(NORDBY_TOKEN);
  });

  it('maps group membership to roles as it changes (PATCH add and remove members, delete the group)', async () => {
    const a = bodyOf<ScimUser>(await send('post', '/Users', entraUser('ola@nordby.kommune.no', 'ext-ola')));
    const b = bodyOf<ScimUser>(await send('post', '/Users', entraUser('per@nordby.kommune.no', 'ext-per')));
    const roles = async (personId: string) =>
      (
        await api.db.dataSource.query<{ roles: string[] }[]>(
          `SELECT roles FROM people WHERE person_id = $1`,
          [personId],
        )
      )[0]?.roles;
    // A group named as a role's bokmål label gives that role; one with any other name gives none.
    const leaders = bodyOf<{ id: string }>(
      await send('post', '/Groups', {
        schemas: [GROUP],
        displayName: 'Tilsynsfører',
        members: [{ value: a.id }],
      }),
    );
    const other = await send('post', '/Groups', {
      schemas: [GROUP],
      displayName: 'Alle ansatte',
      members: [],
    });
    expect(other.status).toBe(201);
    expect(await roles(a.id)).toEqual(['tilsynsforer']);

    const add = await send('patch', `/Groups/${leaders.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: b.id }] }],
    });
    expect(add.status).toBe(200);
    expect(await roles(b.id)).toEqual(['tilsynsforer']);

    const remove = await send('patch', `/Groups/${leaders.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: `members[value eq "${a.id}"]` }],
    });
    expect(remove.status).toBe(200);
    expect(bodyOf<{ members: { value: string }[] }>(remove).members.map((m) => m.value)).toEqual([b.id]);
    expect(await roles(a.id)).toEqual([]);

    expect((await scim('delete', `/Groups/${leaders.id}`)).status).toBe(204);
    expect(await roles(b.id)).toEqual([]);
    expect((await scim('get', `/Groups/${leaders.id}`)).status).toBe(404);

    // A user deleted is gone (never logged in: removed).
    expect((await scim('delete', `/Users/${a.id}`)).status).toBe(204);
    expect((await scim('get', `/Users/${a.id}`)).status).toBe(404);
  });

  it('answers bad input in SCIM’s error format and changes nothing', async () => {
    const count = async () =>
      Number(
        (await api.db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM people_changes`))[0]?.n,
      );
    const before = await count();
    const expectError = (res: request.Response, status: number, scimType?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: [ERROR],
        status: String(status),
        ...(scimType ? { scimType } : {}),
        detail: expect.any(String) as unknown,
      });
    };
    const noUserName: Partial<ReturnType<typeof entraUser>> = entraUser('x@nordby.kommune.no', 'ext-x');
    delete noUserName.userName;
    expectError(await send('post', '/Users', noUserName), 400, 'invalidValue');
    expectError(
      await send('post', '/Users', {
        ...entraUser('x@nordby.kommune.no', 'ext-x'),
        emails: [{ value: 'ikke e-post' }],
      }),
      400,
      'invalidValue',
    );
    expectError(
      await send('post', '/Users', { ...entraUser('x@nordby.kommune.no', 'ext-x'), schemas: [] }),
      400,
      'invalidValue',
    );
    expectError(
      await send('post', '/Users', { ...entraUser('x@nordby.kommune.no', 'ext-x'), active: 'kanskje' }),
      400,
      'invalidValue',
    );
    const broken = await scim('post', '/Users').set('Content-Type', SCIM).send('{"userName": ');
    expectError(broken, 400, 'invalidSyntax');
    expectError(
      await scim('get', `/Users?filter=${encodeURIComponent('userName eq')}`),
      400,
      'invalidFilter',
    );
    expectError(await scim('get', '/Users?startIndex=0'), 400, 'invalidValue');
    expectError(
      await send('post', '/Groups', {
        schemas: [GROUP],
        displayName: 'X',
        members: [{ value: 'not-a-user' }],
      }),
      400,
      'invalidValue',
    );
    expectError(
      await send('post', '/Groups', {
        schemas: [GROUP],
        displayName: 'Y',
        members: [{ value: randomUUID() }],
      }),
      400,
      'invalidValue',
    );
    expectError(await scim('get', `/Users/${randomUUID()}`), 404);
    expectError(await scim('get', '/Users/not-an-id'), 404);
    expectError(await scim('get', '/Nothing'), 404);
    // The same userName twice: a uniqueness conflict.
    const first = await send('post', '/Users', entraUser('dup@nordby.kommune.no', 'ext-dup-1'));
    expect(first.status).toBe(201);
    const afterFirst = await count();
    expectError(
      await send('post', '/Users', entraUser('DUP@nordby.kommune.no', 'ext-dup-2')),
      409,
      'uniqueness',
    );
    // A PATCH of what the server owns, or an unknown op.
    const id = bodyOf<ScimUser>(first).id;
    expectError(
      await send('patch', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'Replace', path: 'id', value: 'x' }],
      }),
      400,
      'mutability',
    );
    expectError(
      await send('patch', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'move', path: 'active' }] }),
      400,
      'invalidValue',
    );
    expectError(await send('patch', `/Users/${id}`, { Operations: [] }), 400, 'invalidValue');
    expect(await count()).toBe(afterFirst);
    expect(afterFirst).toBe(before + 1);
  });

  it('refuses a wrong or missing token (401, logged) and keeps each service to its own people', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Basic ${NORDBY_TOKEN}`,
      `Bearer ${NORDBY_TOKEN}x`,
    ]) {
      const req = request(api.server).get('/scim/v2/Users');
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '401' });
    }
    // A user's login token is no SCIM credential either.
    const login = await request(api.server)
      .get('/scim/v2/Users')
      .set('Authorization', `Bearer ${await api.token('demo-admin')}`);
    expect(login.status).toBe(401);
    const logged = await api.db.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM access_log WHERE action = 'GET /scim/v2/Users' AND outcome = 'unauthenticated'`,
    );
    expect(Number(logged[0]?.n)).toBe(5);

    const nordby = bodyOf<ScimUser>(
      await send('post', '/Users', entraUser('eva@nordby.kommune.no', 'ext-eva')),
    );
    expect((await scim('get', `/Users/${nordby.id}`, SORVIK_TOKEN)).status).toBe(404);
    const sorvikList = bodyOf<ScimList<ScimUser>>(await scim('get', '/Users', SORVIK_TOKEN));
    expect(sorvikList.Resources.map((u) => u.id)).not.toContain(nordby.id);
    expect(
      (
        await send(
          'patch',
          `/Users/${nordby.id}`,
          { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] },
          SORVIK_TOKEN,
        )
      ).status,
    ).toBe(404);
    expect(bodyOf<ScimUser>(await scim('get', `/Users/${nordby.id}`)).active).toBe(true);
    // The people known from their logins alone are not SCIM's: the demo users are not listed.
    const all = bodyOf<ScimList<ScimUser>>(await scim('get', '/Users'));
    expect(all.Resources.map((u) => u.userName)).not.toContain('demo-kontaktperson');
  });

  it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    const spc = await scim('get', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(spc.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
    const types = bodyOf<ScimList<{ id: string; endpoint: string }>>(await scim('get', '/ResourceTypes'));
    expect(types.Resources.map((t) => [t.id, t.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
    ]);
    expect((await scim('get', '/ResourceTypes/User')).body).toMatchObject({ schema: USER });
    const schemas = bodyOf<ScimList<{ id: string }>>(await scim('get', '/Schemas'));
    expect(schemas.Resources.map((s) => s.id)).toEqual([USER, GROUP]);
    expect((await scim('get', `/Schemas/${USER}`)).body).toMatchObject({ id: USER, name: 'User' });
    expect((await scim('post', '/ServiceProviderConfig')).status).toBe(405);
  });

  it('paginates a list with startIndex and count', async () => {
    const all = bodyOf<ScimList<ScimUser>>(await scim('get', '/Users'));
    expect(all.totalResults).toBeGreaterThanOrEqual(3);
    const page = bodyOf<ScimList<ScimUser>>(await scim('get', '/Users?startIndex=2&count=1'));
    expect(page).toMatchObject({ totalResults: all.totalResults, startIndex: 2, itemsPerPage: 1 });
    expect(page.Resources.map((u) => u.id)).toEqual([all.Resources[1]?.id]);
  });
});
