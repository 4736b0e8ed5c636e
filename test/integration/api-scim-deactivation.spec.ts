import request from 'supertest';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, startTestApi, type TestApi } from '../support/api.js';

/*
 * A person the directory deactivates (SCIM `active: false`) is out at once: every API call answers 401
 * problem+json, with a token issued before the deactivation or after it, and the local issuer's demo
 * login refuses them; reactivation lets them in again. Real PostgreSQL, the SCIM endpoint as Entra ID
 * uses it, taking a demo user (known from their logins) into the directory by their address.
 */
const NORDBY_TOKEN = `nordby-${'d'.repeat(40)}`;
const SCIM = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('a deactivated person', () => {
  let api: TestApi;

  const scim = (method: 'post' | 'patch', path: string, body: unknown) =>
    request(api.server)
      [method](`/scim/v2${path}`)
      .set('Authorization', `Bearer ${NORDBY_TOKEN}`)
      .set('Accept', SCIM)
      .set('Content-Type', SCIM)
      .send(JSON.stringify(body));
  const setActive = async (id: string, active: boolean) => {
    const res = await scim('patch', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: active }],
    });
    expect(res.status).toBe(200);
  };
  const me = (token: string) => request(api.server).get('/api/me').set('Authorization', `Bearer ${token}`);
  const inbox = (token: string) =>
    request(api.server).get('/api/tasks').set('Authorization', `Bearer ${token}`);
  const demoLogin = () =>
    request(api.server).post('/api/dev/tokens').send({ userId: 'demo-kontaktperson-2' });

  beforeAll(async () => {
    api = await startTestApi({
      SCIM_TENANTS: JSON.stringify([{ organisation: DEMO_SERVICES.nordby, token: NORDBY_TOKEN }]),
    });
  });
  afterAll(() => api?.close());

  it('gets 401 on every call, before or after, cannot log in as a demo user, and is let in again when reactivated', async () => {
    const before = bodyOf<{ accessToken: string }>(await demoLogin()).accessToken;
    expect((await me(before)).status).toBe(200);

    // The identity provider takes them into the directory by their address, then deactivates them.
    const created = await scim('post', '/Users', {
      schemas: [USER],
      userName: 'demo-kontaktperson-2@nordby.example',
      active: true,
      emails: [{ value: 'demo-kontaktperson-2@nordby.example', primary: true }],
    });
    expect(created.status).toBe(201);
    const { id } = bodyOf<{ id: string }>(created);
    expect((await me(before)).status).toBe(200);
    await setActive(id, false);

    for (const res of [await me(before), await inbox(before)]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/invalid_token/);
    }
    // A token minted after the deactivation (as another issuer's would be) is refused as well.
    const after = await api.token('demo-kontaktperson-2');
    expect((await me(after)).status).toBe(401);
    // The demo login says why, naming the field.
    const refused = await demoLogin();
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      errors: [{ field: 'userId', reason: 'brukeren er deaktivert og kan ikke logge inn' }],
    });
    // Logged as refused logins, with the reason and without the token.
    const logged = await api.db.dataSource.query<{ detail: string }[]>(
      `SELECT detail FROM access_log WHERE outcome = 'unauthenticated' AND detail = 'person deactivated'`,
    );
    expect(logged).toHaveLength(3);
    // Others of the service go on as before.
    expect((await me(await api.token('demo-kontaktperson'))).status).toBe(200);

    await setActive(id, true);
    expect((await me(before)).status).toBe(200);
    expect((await me(after)).status).toBe(200);
    const again = await demoLogin();
    expect(again.status).toBe(200);
    expect((await inbox(bodyOf<{ accessToken: string }>(again).accessToken)).status).toBe(200);
  });
});
