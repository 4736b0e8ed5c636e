import request from 'supertest';
import { bodyOf, type TestApi } from './api.js';

/*
 * Reference data over the API (test/integration/api-reference*.spec.ts): its shapes, calls as a demo
 * user or the administrator, lookups by name, and what the reference endpoints write.
 */

export interface Municipality {
  id: string;
  number: string;
  name: string;
  serviceId: string | null;
}
export interface Service {
  id: string;
  name: string;
  hostMunicipalityId: string;
  memberMunicipalityIds: string[];
  networkId: string | null;
}
export interface Network {
  id: string;
  name: string;
  serviceIds: string[];
}
export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; reason: string }[];
}

export const anyString: unknown = expect.any(String);
/** The learning networks of §5, as the migration seeds them. */
export const NETWORKS = ['Fjellregionen', 'Innherred', 'Kystregionen', 'Namdalen', 'Trondheimsregionen'];

/** Calls and lookups on the API `api()` returns; `load` (in beforeAll) reads the municipalities. */
export function referenceApi(api: () => TestApi) {
  const call = async (
    method: 'get' | 'post' | 'put',
    path: string,
    userId: string,
    body?: unknown,
  ): Promise<request.Response> => {
    let req = request(api().server)
      [method](path)
      .set('Authorization', `Bearer ${await api().token(userId)}`);
    if (body !== undefined) req = req.send(body as object);
    return req;
  };
  const admin = (method: 'post' | 'put', path: string, body: unknown) =>
    call(method, path, 'demo-admin', body);
  const list = async <T>(what: string) =>
    bodyOf<T[]>(await call('get', `/api/reference/${what}`, 'demo-admin'));

  let municipalities: Municipality[] | undefined;
  const load = async () => {
    municipalities = await list<Municipality>('municipalities');
  };
  const municipalityId = (name: string) => {
    const found = municipalities?.find((m) => m.name === name);
    if (!found) throw new Error(`no municipality ${name}`);
    return found.id;
  };
  const serviceNamed = async (name: string) => {
    const found = (await list<Service>('services')).find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };
  const networkId = async (name: string) => {
    const found = (await list<Network>('networks')).find((n) => n.name === name);
    if (!found) throw new Error(`no network ${name}`);
    return found.id;
  };

  /** Everything written by the reference endpoints. */
  const snapshot = async () =>
    api().db.dataSource.query<unknown[]>(
      `SELECT (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM municipalities x) AS municipalities,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM services x) AS services,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM service_municipalities x) AS members,
              (SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM learning_networks x) AS networks,
              (SELECT count(*) FROM reference_changes) AS changes`,
    );
  const changes = () =>
    api().db.dataSource.query<
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

  return {
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
  };
}
