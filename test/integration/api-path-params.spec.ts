import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { DEMO_SERVICES, DEMO_USERS, ROUTE_POLICIES, routeKey } from '../../libs/security/index.js';
import { bodyOf, seedWorld, startTestApi, type TestApi } from '../support/api.js';
import { isProblem, snapshotOf } from '../support/bad-input.js';

/*
 * A route with several path parameters, every one of them bad: the 400 problem+json names each of them,
 * with its reason, not only the first one a pipe happened to check; and nothing is read, logged or
 * changed. The routes are those of the OpenAPI document the app builds, so a new route is covered too.
 */
type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  schema?: Json;
}

const UUID_REASON = 'må være en UUID';
const CONTROL_REASON = 'kan ikke inneholde kontrolltegn';

/** A bad value for a path parameter (as sent, URL-encoded) and the reason the API must give. */
const badValue = (p: Parameter): { sent: string; reason: string } =>
  p.schema?.format === 'uuid'
    ? { sent: 'not-a-uuid', reason: UUID_REASON }
    : { sent: `${encodeURIComponent('\u0000')}bad`, reason: CONTROL_REASON };

describe('bad path parameters: every one named', () => {
  let api: TestApi;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    api = await startTestApi();
    await seedWorld(api.db, { own: DEMO_SERVICES.nordby, other: DEMO_SERVICES.sorvik });
    const { openApiDocument } = await import('../../apps/api/bootstrap.js');
    doc = openApiDocument(api.app);
  });
  afterAll(() => api?.close());

  /** Every operation with two or more path parameters. */
  const routes = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { parameters?: Parameter[] }>)
        .map(([method, op]) => ({
          method,
          path,
          params: (op.parameters ?? []).filter((p) => p.in === 'path'),
        }))
        .filter((r) => r.params.length >= 2),
    );

  it('covers the routes it should', () => {
    const keys = routes().map((r) => routeKey(r.method, r.path));
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/tasks/{placementId}/{taskId}/complete',
        'GET /api/tasks/{placementId}/{taskId}/notes',
        'GET /api/placements/{placementId}/commands/{commandId}',
      ]),
    );
    expect(keys.some((k) => k.startsWith('POST /api/kompetansebase/assignments/{assignmentId}/tasks/'))).toBe(
      true,
    );
    // Both kinds of check are exercised: a UUID and a free-form id on the same route.
    expect(
      routes().some(
        (r) =>
          r.params.some((p) => p.schema?.format === 'uuid') &&
          r.params.some((p) => p.schema?.format !== 'uuid'),
      ),
    ).toBe(true);
  });

  it('answers 400 with one error per bad path parameter, before anything is read or changed', async () => {
    const before = await snapshotOf(api);
    const wrong: string[] = [];
    for (const { method, path, params } of routes()) {
      const key = routeKey(method, path);
      const policy = ROUTE_POLICIES[key];
      const user = policy?.public
        ? undefined
        : DEMO_USERS.find((u) => u.roles.some((r) => policy?.roles?.includes(r)));
      if (!policy?.public) expect(`${key}: ${user?.userId ?? 'no demo user'}`).not.toContain('no demo user');
      let url = path;
      for (const p of params) url = url.replace(`{${p.name}}`, badValue(p).sent);
      let req = request(api.server)[method as 'get' | 'post' | 'put' | 'delete'](url);
      if (user) req = req.set('Authorization', `Bearer ${await api.token(user.userId)}`);
      if (method !== 'get' && method !== 'delete') req = req.set('Idempotency-Key', randomUUID()).send({});
      const res = await req;
      isProblem(res);
      const errors = res.status === 400 ? bodyOf<{ errors?: unknown[] }>(res).errors : undefined;
      const expected = params.map((p) => ({ field: p.name, reason: badValue(p).reason }));
      if (res.status !== 400 || JSON.stringify(errors) !== JSON.stringify(expected))
        wrong.push(`${key} as ${user?.userId ?? 'anyone'}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
    expect(routes().length).toBeGreaterThan(10);
    expect(await snapshotOf(api)).toEqual(before);
  });
});
