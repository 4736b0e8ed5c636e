import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';

/*
 * Every message a user can see is bokmål: the problem+json answers to random bodies, queries and ids on
 * every route, and the refusals of personal details and dates.
 */
describe('every message a user can see is bokmål', () => {
  let api: TestApi;
  let world: Awaited<ReturnType<typeof seedWorld>>;
  /** Words of class-validator's, zod's and Nest's English messages. */
  const ENGLISH =
    /\b(must|should|shorter|longer|following|values?|string|boolean|integer|number|valid|invalid|expected|required|unknown|failed|letters|digits|not a|greater|less|than)\b/i;
  const texts = (res: request.Response): string[] => {
    const body = bodyOf<{ title?: string; detail?: string; errors?: { reason: string }[] }>(res);
    return [body.title ?? '', body.detail ?? '', ...(body.errors ?? []).map((e) => e.reason)];
  };
  const expectBokmal = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const text of texts(res)) expect(text).not.toMatch(ENGLISH);
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
  });
  afterAll(() => api?.close());

  const send = async (method: 'get' | 'post' | 'put', path: string, userId: string, body?: unknown) => {
    const req = request(api.server)
      [method](path)
      .set('Authorization', `Bearer ${await api.token(userId)}`)
      .set('Idempotency-Key', randomUUID());
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };

  it('names the fields of the personal details in bokmål', async () => {
    const res = await send(
      'put',
      `/api/placements/${world.nordbyHelped.placementId}/personal-data`,
      'demo-kontaktperson',
      {
        child: { name: 'X', nationalId: '12345678901' },
        parents: [{ name: 'Y', phone: 'abc', email: 'x' }],
        fosterFamily: [],
      },
    );
    expect(res.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(res).errors).toEqual([
      { field: 'child.nationalId', reason: 'må være et gyldig fødselsnummer eller D-nummer (11 siffer)' },
      { field: 'parents.0.phone', reason: 'må være et telefonnummer (8–20 siffer, gjerne med +landskode)' },
      { field: 'parents.0.email', reason: 'må være en e-postadresse' },
    ]);
  });

  it('answers random bodies, queries and ids on every route in bokmål', async () => {
    const placement = world.nordbyHelped.placementId;
    const task = `/api/tasks/${placement}/${encodeURIComponent('samtale#1')}`;
    const bodies: [method: 'post' | 'put', path: string, userId: string][] = [
      ['post', '/api/dev/tokens', 'demo-leder'],
      ['post', '/api/placements', 'demo-kontaktperson'],
      ['put', `/api/placements/${placement}/personal-data`, 'demo-kontaktperson'],
      ['post', `${task}/notes`, 'demo-kontaktperson'],
      ['post', `${task}/complete`, 'demo-kontaktperson'],
      ['post', `${task}/waive`, 'demo-leder'],
      ['post', `${task}/reassign`, 'demo-leder'],
      ['post', `/api/placements/${placement}/pause`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/change`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/change/preview`, 'demo-kontaktperson'],
      ['post', `/api/placements/${placement}/reductions`, 'demo-leder'],
      ['post', `/api/placements/${placement}/ad-hoc-tasks`, 'demo-kontaktperson'],
      ['post', '/api/catalogs', 'demo-admin'],
      ['post', '/api/catalogs/dry-run', 'demo-admin'],
      ['post', '/api/reference/networks', 'demo-admin'],
      ['post', '/api/reference/services', 'demo-admin'],
      ['put', '/api/me/notification-settings', 'demo-leder'],
    ];
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('2026-02-30', '2026-13-01', 'omsorgsovertakelse', randomUUID()),
    );
    const shaped = fc.dictionary(
      fc.constantFrom(
        'facts',
        'municipalityId',
        'catalogVersion',
        'child',
        'parents',
        'fosterFamily',
        'text',
        'outcome',
        'completedOn',
        'reason',
        'assigneeId',
        'role',
        'from',
        'placementDate',
        'expectedVersion',
        'kind',
        'minimumPerYear',
        'effectiveFrom',
        'stepId',
        'dueOn',
        'catalog',
        'name',
        'serviceIds',
        'hostMunicipalityId',
        'memberMunicipalityIds',
        'networkId',
        'digest',
        'userId',
      ),
      fc.oneof(value, fc.dictionary(fc.string(), value), fc.array(value)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodies),
        fc.oneof(shaped, fc.jsonValue()),
        async ([method, path, userId], body) => {
          const res = await send(method, path, userId, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expectBokmal(res);
        },
      ),
      { numRuns: 300 },
    );
    const queries = fc.dictionary(
      fc.constantFrom(
        'status',
        'dueFrom',
        'dueTo',
        'track',
        'role',
        'assignee',
        'placementId',
        'limit',
        'cursor',
        'from',
        'to',
        'by',
        'asOf',
        'format',
        'year',
        'x',
      ),
      fc.oneof(fc.string(), fc.constantFrom('2026-02-30', '0', '-1', '201', '20x6', 'csv')),
      { minKeys: 1 },
    );
    const reads = [
      '/api/tasks',
      '/api/adherence/report',
      '/api/adherence/milestones',
      '/api/adherence/followup',
      '/api/adherence/statutory-compliance',
      '/api/adherence/statutory-risk',
      `${task}/assignees`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), queries, async (path, query) => {
        const res = await send('get', `${path}?${new URLSearchParams(query).toString()}`, 'demo-leder');
        if (res.status >= 400) expectBokmal(res);
      }),
      { numRuns: 200 },
    );
    for (const [method, path, userId] of [
      ['get', '/api/placements/x', 'demo-leder'],
      ['get', '/api/tasks/x/y', 'demo-leder'],
      ['get', '/api/placements/x/personal-data', 'demo-leder'],
      ['put', '/api/reference/networks/x', 'demo-admin'],
      ['get', '/api/system/probes/x', 'demo-admin'],
    ] as const) {
      const res = await send(method, path, userId, method === 'put' ? { name: 'Nettverk' } : undefined);
      expect(`${path}: ${res.status}`).toBe(`${path}: 400`);
      expectBokmal(res);
      expect(bodyOf<{ errors: { field: string }[] }>(res).errors[0]?.field).toMatch(/Id$/);
    }
  });

  it('refuses a birth date in the future and a placement date more than 180 days ahead (on any day)', async () => {
    const today = osloDateOf(Date.now());
    const details = (birthDate: string) => ({
      child: { name: 'X', birthDate },
      parents: [],
      fosterFamily: [],
    });
    const path = `/api/placements/${world.nordbyHelped.placementId}/personal-data`;
    const future = await send('put', path, 'demo-kontaktperson', details(addDays(today, 1)));
    expect(future.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(future).errors).toEqual([
      { field: 'child.birthDate', reason: 'kan ikke være fram i tid' },
    ]);
    expect((await send('put', path, 'demo-kontaktperson', details(today))).status).toBe(204);

    const register = (placementDate: string) =>
      send('post', '/api/placements', 'demo-kontaktperson', {
        ...placementRequestBody(placementDate),
        municipalityId: 'not-a-uuid', // so that nothing reaches Temporal: only the field errors are of interest
      });
    const far = await register(addDays(today, 181));
    expect(bodyOf<{ errors: unknown }>(far).errors).toContainEqual({
      field: 'facts.placementDate',
      reason: 'kan være høyst 180 dager fram i tid',
    });
    for (const date of [addDays(today, 180), addDays(today, -400)]) {
      const near = await register(date);
      expect(bodyOf<{ errors: { field: string }[] }>(near).errors.map((e) => e.field)).toEqual([
        'municipalityId',
      ]);
    }
    const change = await send(
      'post',
      `/api/placements/${world.nordbyHelped.placementId}/change/preview`,
      'demo-kontaktperson',
      {
        placementDate: addDays(today, 2000),
      },
    );
    expect(change.status).toBe(400);
    expect(bodyOf<{ errors: unknown }>(change).errors).toEqual([
      { field: 'placementDate', reason: 'kan være høyst 180 dager fram i tid' },
    ]);
  });
});
