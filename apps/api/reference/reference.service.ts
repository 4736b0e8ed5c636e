import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { Scoped } from '../../../libs/security/index.js';
import { NetworkDirectory } from '../auth/network-directory.service.js';
import { ProblemException } from '../common/problem.js';
import type {
  ClosureDaysBodyDto,
  ClosureDaysDto,
  MunicipalityDto,
  NetworkBodyDto,
  NetworkDto,
  ServiceBodyDto,
  ServiceDto,
} from './reference.dto.js';

type Queryable = DataSource | EntityManager;
export type ChangeAction =
  | 'network.created'
  | 'network.updated'
  | 'service.created'
  | 'service.updated'
  | 'service.closure-days-set'
  | 'region.created'
  | 'region.updated'
  | 'municipality.created'
  | 'municipality.updated';

const byName = new Intl.Collator('nb', { sensitivity: 'base' });

const NETWORK_NOT_FOUND = 'Fant ikke dette læringsnettverket.';
const SERVICE_NOT_FOUND = 'Fant ikke denne barneverntjenesten.';

/** A unique violation, by constraint name, as the 409 it means. */
const CONFLICTS: Readonly<Record<string, () => ProblemException>> = {
  learning_networks_name_key: () =>
    new ProblemException(409, 'Det finnes allerede et læringsnettverk med dette navnet.', [
      { field: 'name', reason: 'navnet er allerede i bruk' },
    ]),
  services_name_key: () =>
    new ProblemException(409, 'Det finnes allerede en barneverntjeneste med dette navnet.', [
      { field: 'name', reason: 'navnet er allerede i bruk' },
    ]),
  service_municipalities_one_service: () =>
    new ProblemException(409, 'En av kommunene hører allerede til en annen barneverntjeneste.', [
      { field: 'memberMunicipalityIds', reason: 'kommunen hører allerede til en annen barneverntjeneste' },
    ]),
};

function asConflict(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const driver = error.driverError as { code?: string; constraint?: string } | undefined;
  if (driver?.code !== '23505') return error;
  const conflict = driver.constraint ? CONFLICTS[driver.constraint] : undefined;
  return conflict ? conflict() : error;
}

/**
 * Reference data: municipalities, child-welfare services and learning networks. Reads are for everyone
 * (no personal data); writes are the administrators', each one appended to reference_changes in the same
 * transaction as the change.
 */
@Injectable()
export class ReferenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: NetworkDirectory,
  ) {}

  /** `region`: a region's id, to list that region's only (undefined: every region's). */
  async municipalities(region?: string): Promise<MunicipalityDto[]> {
    const rows = await this.dataSource.query<
      { id: string; number: string; name: string; service_id: string | null }[]
    >(
      `SELECT m.id, m.number, m.name, sm.service_id
         FROM municipalities m LEFT JOIN service_municipalities sm ON sm.municipality_id = m.id
        WHERE $1::uuid IS NULL OR m.region_id = $1::uuid
        ORDER BY m.number`,
      [region ?? null],
    );
    return rows.map((r) => ({ id: r.id, number: r.number, name: r.name, serviceId: r.service_id }));
  }

  /** Whether the service acts for the municipality (reference data: each municipality has one service). */
  async serves(serviceId: string, municipalityId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM service_municipalities WHERE service_id = $1 AND municipality_id = $2`,
      [serviceId, municipalityId],
    );
    return rows.length > 0;
  }

  async services(region?: string): Promise<ServiceDto[]> {
    return (await this.loadServices(this.dataSource, undefined, region)).sort((a, b) =>
      byName.compare(a.name, b.name),
    );
  }

  async networks(region?: string): Promise<NetworkDto[]> {
    return (await this.loadNetworks(this.dataSource, undefined, region)).sort((a, b) =>
      byName.compare(a.name, b.name),
    );
  }

  async createNetwork(principal: Scoped, body: NetworkBodyDto, requestId?: string): Promise<NetworkDto> {
    return this.write(async (m) => {
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO learning_networks (name) VALUES ($1) RETURNING id`,
        [body.name],
      );
      const after = await this.network(m, row?.id ?? '');
      await this.audit(m, principal, 'network.created', after.id, null, after, requestId);
      return after;
    });
  }

  async updateNetwork(
    principal: Scoped,
    networkId: string,
    body: NetworkBodyDto,
    requestId?: string,
  ): Promise<NetworkDto> {
    return this.write(async (m) => {
      const locked = await m.query<unknown[]>(`SELECT 1 FROM learning_networks WHERE id = $1 FOR UPDATE`, [
        networkId,
      ]);
      if (locked.length === 0) throw new ProblemException(404, NETWORK_NOT_FOUND);
      const before = await this.network(m, networkId);
      await m.query(`UPDATE learning_networks SET name = $2 WHERE id = $1`, [networkId, body.name]);
      const after = await this.network(m, networkId);
      await this.audit(m, principal, 'network.updated', networkId, before, after, requestId);
      return after;
    });
  }

  async createService(principal: Scoped, body: ServiceBodyDto, requestId?: string): Promise<ServiceDto> {
    return this.write(async (m) => {
      await this.checkServiceBody(m, body, null);
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO services (name, host_municipality_id, network_id, region_id)
         VALUES ($1, $2, $3, (SELECT region_id FROM municipalities WHERE id = $2)) RETURNING id`,
        [body.name, body.hostMunicipalityId, body.networkId],
      );
      const serviceId = row?.id ?? '';
      await this.setMembers(m, serviceId, body.memberMunicipalityIds);
      const after = await this.service(m, serviceId);
      await this.audit(m, principal, 'service.created', serviceId, null, after, requestId);
      return after;
    });
  }

  async updateService(
    principal: Scoped,
    serviceId: string,
    body: ServiceBodyDto,
    requestId?: string,
  ): Promise<ServiceDto> {
    return this.write(async (m) => {
      const locked = await m.query<unknown[]>(`SELECT 1 FROM services WHERE id = $1 FOR UPDATE`, [serviceId]);
      if (locked.length === 0) throw new ProblemException(404, SERVICE_NOT_FOUND);
      const before = await this.service(m, serviceId);
      await this.checkServiceBody(m, body, serviceId);
      await m.query(
        `UPDATE services SET name = $2, host_municipality_id = $3, network_id = $4,
                region_id = (SELECT region_id FROM municipalities WHERE id = $3) WHERE id = $1`,
        [serviceId, body.name, body.hostMunicipalityId, body.networkId],
      );
      await this.setMembers(m, serviceId, body.memberMunicipalityIds);
      const after = await this.service(m, serviceId);
      await this.audit(m, principal, 'service.updated', serviceId, before, after, requestId);
      return after;
    });
  }

  async closureDays(serviceId: string): Promise<ClosureDaysDto> {
    await this.service(this.dataSource, serviceId);
    return this.loadClosureDays(this.dataSource, serviceId);
  }

  /** Replaces the service's closure days in one transaction, with the before and after audited. */
  async setClosureDays(
    principal: Scoped,
    serviceId: string,
    body: ClosureDaysBodyDto,
    requestId?: string,
  ): Promise<ClosureDaysDto> {
    return this.write(async (m) => {
      await this.service(m, serviceId);
      const before = await this.loadClosureDays(m, serviceId);
      await m.query(`DELETE FROM service_closure_days WHERE service_id = $1`, [serviceId]);
      await m.query(
        `INSERT INTO service_closure_days (service_id, day, reason)
         SELECT $1, d.date, d.reason FROM jsonb_to_recordset($2::jsonb) AS d(date date, reason text)`,
        [serviceId, JSON.stringify(body.days.map((d) => ({ date: d.date, reason: d.reason ?? null })))],
      );
      const after = await this.loadClosureDays(m, serviceId);
      await this.audit(m, principal, 'service.closure-days-set', serviceId, before, after, requestId);
      return after;
    });
  }

  private async loadClosureDays(q: Queryable, serviceId: string): Promise<ClosureDaysDto> {
    const rows = await q.query<{ date: string; reason: string | null }[]>(
      `SELECT day::text AS date, reason FROM service_closure_days WHERE service_id = $1 ORDER BY day`,
      [serviceId],
    );
    return {
      serviceId,
      days: rows.map((r) => ({ date: r.date, ...(r.reason !== null ? { reason: r.reason } : {}) })),
    };
  }

  /** One transaction; unique violations become 409, everything is rolled back on any error. */
  async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(work);
      this.directory.forget(); // who sees which service's tasks may have changed
      return result;
    } catch (error) {
      throw asConflict(error);
    }
  }

  /** 400 for references that do not resolve, 409 for a municipality in another service. */
  private async checkServiceBody(m: EntityManager, body: ServiceBodyDto, serviceId: string | null) {
    if (!body.memberMunicipalityIds.includes(body.hostMunicipalityId))
      throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
        { field: 'hostMunicipalityId', reason: 'vertskommunen må være en av medlemskommunene' },
      ]);
    const known = await m.query<
      { id: string; name: string; service_id: string | null; service: string | null }[]
    >(
      `SELECT m.id, m.name, sm.service_id, s.name AS service
         FROM municipalities m
         LEFT JOIN service_municipalities sm ON sm.municipality_id = m.id
         LEFT JOIN services s ON s.id = sm.service_id
        WHERE m.id = ANY($1::uuid[])`,
      [body.memberMunicipalityIds],
    );
    const unknown = body.memberMunicipalityIds.filter((id) => !known.some((k) => k.id === id));
    if (unknown.length > 0)
      throw new ProblemException(
        400,
        'Ett eller flere felt er ugyldige.',
        unknown.map((id) => ({ field: 'memberMunicipalityIds', reason: `ukjent kommune ${id}` })),
      );
    if (body.networkId !== null) {
      const network = await m.query<unknown[]>(`SELECT 1 FROM learning_networks WHERE id = $1`, [
        body.networkId,
      ]);
      if (network.length === 0)
        throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
          { field: 'networkId', reason: 'ukjent læringsnettverk' },
        ]);
    }
    // One region: the host's (a service's region), its members' and its network's.
    const regions = await m.query<{ field: string; region_id: string }[]>(
      `SELECT 'memberMunicipalityIds' AS field, region_id FROM municipalities WHERE id = ANY($1::uuid[])
       UNION SELECT 'networkId', region_id FROM learning_networks WHERE id = $2::uuid`,
      [body.memberMunicipalityIds, body.networkId],
    );
    if (new Set(regions.map((r) => r.region_id)).size > 1)
      throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
        {
          field: regions.some((r) => r.field === 'networkId') ? 'networkId' : 'memberMunicipalityIds',
          reason: 'kommunene og læringsnettverket må høre til samme region',
        },
      ]);
    const taken = known.filter((k) => k.service_id !== null && k.service_id !== serviceId);
    if (taken.length > 0)
      throw new ProblemException(
        409,
        taken
          .map((k) => `${k.name} hører allerede til ${k.service ?? 'en annen barneverntjeneste'}.`)
          .join(' ') + ' Ta kommunen ut av den tjenesten først.',
        taken.map((k) => ({
          field: 'memberMunicipalityIds',
          reason: `${k.name} hører allerede til ${k.service ?? 'en annen barneverntjeneste'}`,
        })),
      );
  }

  async setMembers(m: EntityManager, serviceId: string, members: readonly string[]) {
    await m.query(
      `DELETE FROM service_municipalities WHERE service_id = $1 AND municipality_id <> ALL($2::uuid[])`,
      [serviceId, members],
    );
    await m.query(
      `INSERT INTO service_municipalities (service_id, municipality_id)
       SELECT $1, unnest($2::uuid[]) ON CONFLICT (service_id, municipality_id) DO NOTHING`,
      [serviceId, members],
    );
  }

  async audit(
    m: EntityManager,
    principal: Scoped,
    action: ChangeAction,
    entityId: string,
    before: object | null,
    after: object,
    requestId?: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO reference_changes
         (user_id, issuer, organisation, roles, action, entity_id, before, after, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
      [
        principal.userId,
        principal.issuer,
        principal.organisation,
        principal.roles,
        action,
        entityId,
        before === null ? null : JSON.stringify(before),
        JSON.stringify(after),
        requestId ?? null,
      ],
    );
  }

  private async network(m: Queryable, id: string): Promise<NetworkDto> {
    const [network] = await this.loadNetworks(m, id);
    if (!network) throw new ProblemException(404, NETWORK_NOT_FOUND);
    return network;
  }

  private async service(m: Queryable, id: string): Promise<ServiceDto> {
    const [service] = await this.loadServices(m, id);
    if (!service) throw new ProblemException(404, SERVICE_NOT_FOUND);
    return service;
  }

  async loadNetworks(q: Queryable, id?: string, region?: string): Promise<NetworkDto[]> {
    const rows = await q.query<{ id: string; name: string; service_ids: string[] }[]>(
      `SELECT n.id, n.name,
              COALESCE(array_agg(s.id::text ORDER BY s.name) FILTER (WHERE s.id IS NOT NULL), '{}') AS service_ids
         FROM learning_networks n LEFT JOIN services s ON s.network_id = n.id
        WHERE ($1::uuid IS NULL OR n.id = $1::uuid) AND ($2::uuid IS NULL OR n.region_id = $2::uuid)
        GROUP BY n.id`,
      [id ?? null, region ?? null],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, serviceIds: r.service_ids }));
  }

  async loadServices(q: Queryable, id?: string, region?: string): Promise<ServiceDto[]> {
    const rows = await q.query<
      { id: string; name: string; host: string; network_id: string | null; members: string[] }[]
    >(
      `SELECT s.id, s.name, s.host_municipality_id AS host, s.network_id,
              array_agg(m.id::text ORDER BY m.number) AS members
         FROM services s
         JOIN service_municipalities sm ON sm.service_id = s.id
         JOIN municipalities m ON m.id = sm.municipality_id
        WHERE ($1::uuid IS NULL OR s.id = $1::uuid) AND ($2::uuid IS NULL OR s.region_id = $2::uuid)
        GROUP BY s.id`,
      [id ?? null, region ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      hostMunicipalityId: r.host,
      memberMunicipalityIds: r.members,
      networkId: r.network_id,
    }));
  }
}
