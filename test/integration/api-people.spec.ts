import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * The people page's API (/api/people, administrators) against real PostgreSQL: a person added by hand can
 * be given tasks before they ever log in; their first login (OIDC, matched by e-mail or user name within
 * their service) is theirs, not a second person; writes are audited; bad input changes nothing.
 */
interface Person {
  personId: string;
  userId: string;
  serviceId: string;
  name: string | null;
  userName: string | null;
  email: string | null;
  roles: string[];
  active: boolean;
  source: string;
  loggedIn: boolean;
  assignable: boolean;
}

describe('people added by an administrator', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  let admin: string;

  const assignees = async (taskId: string) => {
    const res = await request(api.server)
      .get(`/api/tasks/${world.nordbyHelped.placementId}/${encodeURIComponent(taskId)}/assignees`)
      .set('Authorization', `Bearer ${await api.token('demo-leder')}`);
    expect(res.status).toBe(200);
    return bodyOf<{ userId: string; name?: string }[]>(res);
  };
  const add = (body: Record<string, unknown>, token = admin) =>
    request(api.server).post('/api/people').set('Authorization', `Bearer ${token}`).send(body);
  const people = async () =>
    bodyOf<Person[]>(
      await request(api.server)
        .get(`/api/people?serviceId=${DEMO_SERVICES.nordby}`)
        .set('Authorization', `Bearer ${admin}`),
    );
  /** A token of the service's identity provider for someone the system has never seen. */
  const firstLogin = (sub: string, claims: { email?: string; preferredUsername?: string }) =>
    api.issuer.mint(
      { userId: sub, roles: ['kontaktperson'], organisation: DEMO_SERVICES.nordby, name: 'Navn fra IdP' },
      { email: claims.email ?? `${sub}@idp.example`, preferredUsername: claims.preferredUsername },
    );

  beforeAll(async () => {
    api = await startTestApi();
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    admin = await api.token('demo-admin');
  });
  afterAll(() => api?.close());

  it('adds a person who can be given tasks of their role at once, before they log in', async () => {
    const res = await add({
      name: 'Marte Kirkerud',
      userName: 'marte.kirkerud@nordby.kommune.no',
      email: 'marte.kirkerud@nordby.kommune.no',
      serviceId: DEMO_SERVICES.nordby,
      roles: ['kontaktperson'],
    });
    expect(res.status).toBe(201);
    const person = bodyOf<Person>(res);
    expect(person).toMatchObject({
      name: 'Marte Kirkerud',
      serviceId: DEMO_SERVICES.nordby,
      roles: ['kontaktperson'],
      active: true,
      source: 'manual',
      loggedIn: false,
      assignable: true,
    });
    expect(await assignees('samtale#1')).toContainEqual({
      userId: person.userId,
      name: 'Marte Kirkerud',
      roles: ['kontaktperson'],
    });
    // Listed among the service's people, with the ones known from their logins.
    const listed = await people();
    expect(listed.find((p) => p.personId === person.personId)).toMatchObject({ loggedIn: false });
    expect(listed.find((p) => p.userId === 'demo-kontaktperson')).toMatchObject({
      source: 'login',
      loggedIn: true,
    });
    const [change] = await api.db.dataSource.query<{ via: string; action: string; user_id: string }[]>(
      `SELECT via, action, user_id FROM people_changes WHERE entity_id = $1`,
      [person.personId],
    );
    expect(change).toEqual({ via: 'admin', action: 'person.created', user_id: 'demo-admin' });

    // Deactivated by hand: no longer given tasks.
    const off = await request(api.server)
      .put(`/api/people/${person.personId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: 'Marte Kirkerud',
        userName: 'marte.kirkerud@nordby.kommune.no',
        email: null,
        roles: ['kontaktperson'],
        active: false,
      });
    expect(off.status).toBe(200);
    expect(bodyOf<Person>(off)).toMatchObject({ active: false, assignable: false, email: null });
    expect((await assignees('samtale#1')).map((a) => a.userId)).not.toContain(person.userId);
  });

  it('matches the first login to the person added by hand (by e-mail), not a second person', async () => {
    const person = bodyOf<Person>(
      await add({
        name: 'Lars Fjeld',
        userName: 'lars.fjeld@nordby.kommune.no',
        email: 'Lars.Fjeld@nordby.kommune.no',
        serviceId: DEMO_SERVICES.nordby,
        roles: ['kontaktperson'],
      }),
    );
    // A task given to them before they log in…
    await api.db.dataSource.query(
      `UPDATE task_inbox SET assignee_id = $2 WHERE placement_id = $1 AND task_id = 'samtale#3'`,
      [world.nordbyHelped.placementId, person.userId],
    );
    const token = await firstLogin('entra-sub-lars', { email: 'lars.fjeld@nordby.kommune.no' });
    const me = await request(api.server).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(bodyOf<{ userId: string }>(me).userId).toBe(person.userId);
    // …is theirs when they come.
    const inbox = await request(api.server)
      .get(`/api/tasks?placementId=${world.nordbyHelped.placementId}&limit=200`)
      .set('Authorization', `Bearer ${token}`);
    expect(inbox.status).toBe(200);
    expect(bodyOf<{ items: { taskId: string }[] }>(inbox).items.map((t) => t.taskId)).toContain('samtale#3');

    const rows = await api.db.dataSource.query<
      { user_id: string; subject: string; source: string; name: string }[]
    >(
      `SELECT user_id, subject, source, name FROM people WHERE lower(email) = 'lars.fjeld@nordby.kommune.no'
          OR subject = 'entra-sub-lars'`,
    );
    // One person: the directory's name kept, the login's subject recorded.
    expect(rows).toEqual([
      { user_id: person.userId, subject: 'entra-sub-lars', source: 'manual', name: 'Lars Fjeld' },
    ]);
    expect((await people()).find((p) => p.personId === person.personId)).toMatchObject({ loggedIn: true });
    const [linked] = await api.db.dataSource.query<{ via: string; user_id: string }[]>(
      `SELECT via, user_id FROM people_changes WHERE entity_id = $1 AND action = 'person.linked'`,
      [person.personId],
    );
    expect(linked).toEqual({ via: 'login', user_id: person.userId });
    // A second login is the same person (by issuer and subject now).
    const again = await request(api.server)
      .get('/api/me')
      .set(
        'Authorization',
        `Bearer ${await firstLogin('entra-sub-lars', { email: 'annen@adresse.example' })}`,
      );
    expect(bodyOf<{ userId: string }>(again).userId).toBe(person.userId);
  });

  it('matches by user name (preferred_username) too, and only within the person’s service', async () => {
    const person = bodyOf<Person>(
      await add({
        name: 'Siri Holm',
        userName: 'siho@nordby.kommune.no',
        email: null,
        serviceId: DEMO_SERVICES.nordby,
        roles: ['kontaktperson'],
      }),
    );
    // Someone of another service with the same login name is someone else.
    const elsewhere = await api.issuer.mint(
      { userId: 'sorvik-siho', roles: ['kontaktperson'], organisation: DEMO_SERVICES.sorvik, name: 'Siri H' },
      { preferredUsername: 'siho@nordby.kommune.no' },
    );
    const other = await request(api.server).get('/api/me').set('Authorization', `Bearer ${elsewhere}`);
    expect(bodyOf<{ userId: string }>(other).userId).toBe('sorvik-siho');

    const token = await firstLogin('entra-sub-siri', { preferredUsername: 'SIHO@nordby.kommune.no' });
    const me = await request(api.server).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(bodyOf<{ userId: string }>(me).userId).toBe(person.userId);
  });

  it('refuses bad input with problem+json naming the field, and changes nothing', async () => {
    const count = async () =>
      Number((await api.db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM people`))[0]?.n);
    const before = await count();
    const good = {
      name: 'Ny Person',
      userName: 'ny.person@nordby.kommune.no',
      email: 'ny.person@nordby.kommune.no',
      serviceId: DEMO_SERVICES.nordby,
      roles: ['kontaktperson'],
    };
    for (const [body, field] of [
      [{ ...good, name: '' }, 'name'],
      [{ ...good, userName: 'med mellomrom' }, 'userName'],
      [{ ...good, email: 'ikke-en-adresse' }, 'email'],
      [{ ...good, roles: ['sjef'] }, 'roles'],
      [{ ...good, serviceId: 'nordby' }, 'serviceId'],
      [{ ...good, serviceId: randomUUID() }, 'serviceId'],
      [{ ...good, extra: 1 }, 'extra'],
    ] as const) {
      const res = await add(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bodyOf<{ errors: { field: string }[] }>(res).errors.map((e) => e.field)).toContain(field);
    }
    // The same user name in the service again: 409.
    expect((await add(good)).status).toBe(201);
    const dup = await add({ ...good, userName: 'NY.PERSON@nordby.kommune.no', name: 'Annen' });
    expect(dup.status).toBe(409);
    expect(bodyOf<{ errors: { field: string }[] }>(dup).errors).toEqual([
      { field: 'userName', reason: expect.any(String) as unknown },
    ]);
    expect(await count()).toBe(before + 1);
    // Only administrators.
    expect((await add(good, await api.token('demo-leder'))).status).toBe(403);
    expect(
      (
        await request(api.server)
          .get('/api/people')
          .set('Authorization', `Bearer ${await api.token('demo-leder')}`)
      ).status,
    ).toBe(403);
  });

  it('takes a person known from their logins into the directory instead of adding them twice', async () => {
    const listed = await people();
    const known = listed.find((p) => p.userId === 'demo-kontaktperson-2')!;
    const res = await add({
      name: 'Jonas Bakke',
      userName: known.email!,
      email: known.email,
      serviceId: DEMO_SERVICES.nordby,
      roles: ['kontaktperson'],
    });
    expect(res.status).toBe(201);
    expect(bodyOf<Person>(res)).toMatchObject({
      personId: known.personId,
      userId: 'demo-kontaktperson-2',
      source: 'manual',
      loggedIn: true,
    });
    expect((await people()).filter((p) => p.userId === 'demo-kontaktperson-2')).toHaveLength(1);
  });
});
