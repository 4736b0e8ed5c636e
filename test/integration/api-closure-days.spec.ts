import request from 'supertest';
import { ServiceCalendars } from '../../libs/calendars/index.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import { planPackage } from '../../libs/domain/planner/plan-package.js';
import { facts } from '../../libs/domain/planner/test-support.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { bodyOf, startTestApi, type TestApi } from '../support/api.js';

/*
 * A service's own closure days (issue 12): reference data set by administrators (validated, audited,
 * nothing changed by bad input), read by everyone, and the calendar the planner plans that service's
 * placements on (ServiceCalendars, as the worker and the API's change preview use it).
 */
interface Problem {
  errors?: { field: string; reason: string }[];
}
interface ClosureDays {
  serviceId: string;
  days: { date: string; reason?: string }[];
}

describe('closure days of a service', () => {
  let api: TestApi;
  const service = DEMO_SERVICES.nordby;
  const path = `/api/reference/services/${service}/closure-days`;
  const call = async (method: 'get' | 'put', url: string, userId: string, body?: unknown) => {
    let req = request(api.server)
      [method](url)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
    if (body !== undefined) req = req.send(body as object);
    return req;
  };
  const stored = () =>
    api.db.dataSource.query<{ day: string }[]>(
      `SELECT day::text AS day FROM service_closure_days WHERE service_id = $1 ORDER BY day`,
      [service],
    );

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('starts empty; an administrator replaces the list, audited with before and after', async () => {
    expect(bodyOf<ClosureDays>(await call('get', path, 'demo-kontaktperson'))).toEqual({
      serviceId: service,
      days: [],
    });
    const days = [
      { date: '2026-12-29', reason: 'Romjul' },
      { date: '2026-12-28', reason: 'Romjul' },
      { date: '2027-03-22' },
    ];
    const res = await call('put', path, 'demo-admin', { days });
    expect(res.status).toBe(200);
    expect(bodyOf<ClosureDays>(res).days.map((d) => d.date)).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2027-03-22',
    ]);
    expect(bodyOf<ClosureDays>(await call('get', path, 'demo-leder')).days).toEqual([
      { date: '2026-12-28', reason: 'Romjul' },
      { date: '2026-12-29', reason: 'Romjul' },
      { date: '2027-03-22' },
    ]);
    const [audit] = await api.db.dataSource.query<{ action: string; entity_id: string; before: unknown }[]>(
      `SELECT action, entity_id, before FROM reference_changes ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toEqual({
      action: 'service.closure-days-set',
      entity_id: service,
      before: { serviceId: service, days: [] },
    });
  });

  it('refuses everyone but administrators, and unknown services', async () => {
    expect((await call('put', path, 'demo-leder', { days: [] })).status).toBe(403);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(
      (await call('put', `/api/reference/services/${unknown}/closure-days`, 'demo-admin', { days: [] }))
        .status,
    ).toBe(404);
    expect((await call('get', `/api/reference/services/${unknown}/closure-days`, 'demo-admin')).status).toBe(
      404,
    );
  });

  it.each([
    [{ days: [{ date: '2026-02-30' }] }, 'days.0.date'],
    [{ days: [{ date: '26-12-28' }] }, 'days.0.date'],
    [{ days: [{ date: '2026-12-28' }, { date: '2026-12-28' }] }, 'days'],
    [{ days: [{ date: '2026-12-28', reason: '' }] }, 'days.0.reason'],
    [{ days: [{ date: '2026-12-28', reason: null }] }, 'days.0.reason'],
    [{ days: [{ date: '2026-12-28', reason: 'a\u0000b' }] }, 'days.0.reason'],
    [{ days: [{ date: '2026-12-28', extra: 1 }] }, 'days.0.extra'],
    [{ days: '2026-12-28' }, 'days'],
    [{}, 'days'],
  ])('refuses %j naming %s (400 problem+json, nothing changed)', async (body, field) => {
    const before = await stored();
    const res = await call('put', path, 'demo-admin', body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bodyOf<Problem>(res).errors?.map((e) => e.field)).toContain(field);
    expect(await stored()).toEqual(before);
  });

  it('is the calendar new plans of the service use (test/e2e: a plan already made keeps its dates)', async () => {
    const calendars = new ServiceCalendars(api.db.dataSource);
    const placement = facts({ placementDate: '2026-03-02' });
    const plan = async () =>
      planPackage(DEFAULT_CATALOG, { facts: placement, reductions: [] }, await calendars.forService(service));
    const before = await plan();
    const kartlegging = before.find((t) => t.taskId === 'kartlegging#1')!;
    expect(kartlegging.dueOn).toBe('2026-03-16'); // day 14, a Monday
    expect((await call('put', path, 'demo-admin', { days: [{ date: '2026-03-16' }] })).status).toBe(200);
    const after = await plan();
    expect(after.find((t) => t.taskId === 'kartlegging#1')?.dueOn).toBe('2026-03-13'); // the Friday before
    // Other services keep the default calendar.
    const other = await calendars.forService(DEMO_SERVICES.sorvik);
    expect(other.isWorkingDay('2026-03-16')).toBe(true);
  });
});
