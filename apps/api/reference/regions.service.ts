import { Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { DataSource, type EntityManager } from 'typeorm';
import type { Scoped } from '../../../libs/security/index.js';
import { CatalogsService } from '../catalogs/catalogs.service.js';
import { type FieldError, ProblemException } from '../common/problem.js';
import type { RegionChangeDto, RegionDto, RegionFileDto, RegionLoadDto } from './region.dto.js';
import { ReferenceService, type ChangeAction } from './reference.service.js';

/**
 * The namespace of migration 1764050000000's deterministic ids (UUID v5): a municipality loaded from a
 * region file gets the id it would have had in the seed (`municipality:<number>`), a network
 * `network:<name>`, a service `service:<host's number>`, a region `region:<code>`, so that every
 * environment that loads the same file has the same ids (e.g. for an identity provider's mapping).
 */
const REFERENCE_NAMESPACE = '6f6d736f-7267-4b8e-9a1c-726566646174';
export const referenceId = (name: string): string => uuidv5(name, REFERENCE_NAMESPACE);

const INVALID = 'Regionfilen er ugyldig.';
const norm = (name: string) => name.toLocaleLowerCase('nb');

interface RegionRow {
  id: string;
  code: string;
  name: string;
  catalog_version: string | null;
  bufetat_office: string | null;
}

/**
 * A region's whole reference data (region, municipalities, networks, services) from one file, written
 * through the same rules and audit trail as the single-entity endpoints, in one transaction. Idempotent:
 * what is stored already as the file says is left alone, and a second load of the same file writes
 * nothing and says so (`changed: false`). Entities the file does not name are left as they are.
 */
@Injectable()
export class RegionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reference: ReferenceService,
    private readonly catalogs: CatalogsService,
  ) {}

  /** `only`: a region's id, to list that one only. */
  async list(only?: string): Promise<RegionDto[]> {
    return this.load(this.dataSource.manager, only);
  }

  /** A region's id by its code (404 for none). */
  async idOf(code: string): Promise<string> {
    const [row] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM regions WHERE code = $1`, [
      code,
    ]);
    if (!row) throw new ProblemException(404, 'Fant ikke denne regionen.');
    return row.id;
  }

  /** The catalog version the region chose (null: none). */
  async catalogVersionOf(region: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ v: string | null }[]>(
      `SELECT catalog_version AS v FROM regions WHERE id = $1`,
      [region],
    );
    return row?.v ?? null;
  }

  async put(
    principal: Scoped,
    code: string,
    file: RegionFileDto,
    requestId?: string,
  ): Promise<RegionLoadDto> {
    if (file.code !== code)
      throw new ProblemException(400, INVALID, [
        { field: 'code', reason: `må være ${code}, som i adressen` },
      ]);
    checkFile(file);
    if (file.catalogVersion !== null && !(await this.catalogs.exists(file.catalogVersion)))
      throw new ProblemException(400, INVALID, [
        {
          field: 'catalogVersion',
          reason: 'ingen publisert katalog har denne versjonen (se GET /api/catalogs)',
        },
      ]);
    return this.reference.write(async (m) => {
      // One load at a time: two concurrent loads of one file must not both create.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('reference:regions'))`);
      const changes: RegionChangeDto[] = [];
      const change = async (
        action: ChangeAction,
        entityId: string,
        name: string,
        before: object | null,
        after: object,
      ) => {
        await this.reference.audit(m, principal, action, entityId, before, after, requestId);
        changes.push({ action, entityId, name });
      };
      const region = await this.region(m, file, change);
      const municipalityIds = await this.municipalities(m, region, file, change);
      const networkIds = await this.networks(m, region, file, change);
      await this.services(m, region, file, municipalityIds, networkIds, change);
      const [dto] = await this.load(m, region);
      if (!dto) throw new Error(`region ${code} vanished`);
      return { region: dto, changed: changes.length > 0, changes };
    });
  }

  private async region(m: EntityManager, file: RegionFileDto, change: Change): Promise<string> {
    const [row] = await m.query<RegionRow[]>(`SELECT * FROM regions WHERE code = $1 FOR UPDATE`, [file.code]);
    // A file without `bufetatOffice` leaves the region's as it is.
    const office =
      file.bufetatOffice === undefined
        ? (row?.bufetat_office ?? null)
        : (file.bufetatOffice?.toLowerCase() ?? null);
    const after = {
      code: file.code,
      name: file.name,
      catalogVersion: file.catalogVersion,
      bufetatOffice: office,
    };
    if (!row) {
      const id = referenceId(`region:${file.code}`);
      await m.query(
        `INSERT INTO regions (id, code, name, catalog_version, bufetat_office) VALUES ($1, $2, $3, $4, $5)`,
        [id, file.code, file.name, file.catalogVersion, office],
      );
      await change('region.created', id, file.name, null, after);
      return id;
    }
    if (
      row.name !== file.name ||
      row.catalog_version !== file.catalogVersion ||
      row.bufetat_office !== office
    ) {
      await m.query(`UPDATE regions SET name = $2, catalog_version = $3, bufetat_office = $4 WHERE id = $1`, [
        row.id,
        file.name,
        file.catalogVersion,
        office,
      ]);
      const before = {
        code: row.code,
        name: row.name,
        catalogVersion: row.catalog_version,
        bufetatOffice: row.bufetat_office,
      };
      await change('region.updated', row.id, file.name, before, after);
    }
    return row.id;
  }

  /** Municipality number → id. */
  private async municipalities(
    m: EntityManager,
    region: string,
    file: RegionFileDto,
    change: Change,
  ): Promise<Map<string, string>> {
    const numbers = file.municipalities.map((x) => x.number);
    const rows = await m.query<
      { id: string; number: string; name: string; region_id: string; region: string }[]
    >(
      `SELECT m.id, m.number, m.name, m.region_id, r.name AS region
         FROM municipalities m JOIN regions r ON r.id = m.region_id WHERE m.number = ANY($1::text[]) FOR UPDATE OF m`,
      [numbers],
    );
    const foreign = file.municipalities.flatMap((x, i) => {
      const row = rows.find((r) => r.number === x.number);
      return row && row.region_id !== region
        ? [{ field: `municipalities.${i}.number`, reason: `kommunen hører til regionen ${row.region}` }]
        : [];
    });
    if (foreign.length > 0)
      throw new ProblemException(409, 'Kommuner i filen hører til en annen region.', foreign);
    const ids = new Map<string, string>();
    for (const x of file.municipalities) {
      const row = rows.find((r) => r.number === x.number);
      const after = { number: x.number, name: x.name };
      if (!row) {
        const id = referenceId(`municipality:${x.number}`);
        await m.query(`INSERT INTO municipalities (id, number, name, region_id) VALUES ($1, $2, $3, $4)`, [
          id,
          x.number,
          x.name,
          region,
        ]);
        await change('municipality.created', id, x.name, null, after);
        ids.set(x.number, id);
        continue;
      }
      ids.set(x.number, row.id);
      if (row.name !== x.name) {
        await m.query(`UPDATE municipalities SET name = $2 WHERE id = $1`, [row.id, x.name]);
        await change('municipality.updated', row.id, x.name, { number: row.number, name: row.name }, after);
      }
    }
    return ids;
  }

  /** Network name (lower case) → id. */
  private async networks(
    m: EntityManager,
    region: string,
    file: RegionFileDto,
    change: Change,
  ): Promise<Map<string, string>> {
    const rows = await m.query<{ id: string; name: string; region_id: string }[]>(
      `SELECT id, name, region_id FROM learning_networks WHERE lower(name) = ANY($1::text[]) FOR UPDATE`,
      [file.networks.map((n) => n.name.toLowerCase())],
    );
    const find = (name: string) => rows.find((r) => norm(r.name) === norm(name));
    const foreign = file.networks.flatMap((n, i) =>
      find(n.name) && find(n.name)?.region_id !== region
        ? [{ field: `networks.${i}.name`, reason: 'navnet er i bruk i en annen region' }]
        : [],
    );
    if (foreign.length > 0)
      throw new ProblemException(409, 'Nettverk i filen finnes i en annen region.', foreign);
    const ids = new Map<string, string>();
    for (const n of file.networks) {
      const row = find(n.name);
      if (!row) {
        const id = referenceId(`network:${n.name}`);
        await m.query(`INSERT INTO learning_networks (id, name, region_id) VALUES ($1, $2, $3)`, [
          id,
          n.name,
          region,
        ]);
        const [after] = await this.reference.loadNetworks(m, id);
        await change('network.created', id, n.name, null, after ?? { id, name: n.name });
        ids.set(norm(n.name), id);
        continue;
      }
      ids.set(norm(n.name), row.id);
      if (row.name !== n.name) {
        const [before] = await this.reference.loadNetworks(m, row.id);
        await m.query(`UPDATE learning_networks SET name = $2 WHERE id = $1`, [row.id, n.name]);
        const [after] = await this.reference.loadNetworks(m, row.id);
        await change(
          'network.updated',
          row.id,
          n.name,
          before ?? null,
          after ?? { id: row.id, name: n.name },
        );
      }
    }
    return ids;
  }

  private async services(
    m: EntityManager,
    region: string,
    file: RegionFileDto,
    municipalityIds: ReadonlyMap<string, string>,
    networkIds: ReadonlyMap<string, string>,
    change: Change,
  ): Promise<void> {
    const rows = await m.query<{ id: string; name: string; region_id: string }[]>(
      `SELECT id, name, region_id FROM services WHERE lower(name) = ANY($1::text[]) FOR UPDATE`,
      [file.services.map((s) => s.name.toLowerCase())],
    );
    const find = (name: string) => rows.find((r) => norm(r.name) === norm(name));
    const foreign = file.services.flatMap((s, i) =>
      find(s.name) && find(s.name)?.region_id !== region
        ? [{ field: `services.${i}.name`, reason: 'navnet er i bruk i en annen region' }]
        : [],
    );
    if (foreign.length > 0)
      throw new ProblemException(409, 'Tjenester i filen finnes i en annen region.', foreign);
    const id = (number: string) => municipalityIds.get(number) ?? '';
    const wanted = file.services.map((s) => ({
      name: s.name,
      hostMunicipalityId: id(s.host),
      memberMunicipalityIds: s.members.map(id).sort(),
      networkId: s.network === null ? null : (networkIds.get(norm(s.network)) ?? null),
    }));
    const before = new Map<string, Awaited<ReturnType<ReferenceService['loadServices']>>[number]>();
    for (const row of rows) {
      const [dto] = await this.reference.loadServices(m, row.id);
      if (dto) before.set(row.id, dto);
    }
    // Memberships the file takes away first, so that a municipality can move between two of its services.
    for (const [i, s] of file.services.entries()) {
      const row = find(s.name);
      if (row)
        await m.query(
          `DELETE FROM service_municipalities WHERE service_id = $1 AND municipality_id <> ALL($2::uuid[])`,
          [row.id, wanted[i]?.memberMunicipalityIds ?? []],
        );
    }
    // A municipality of the file in a service the file does not name: the administrator moves it first.
    const all = wanted.flatMap((w) => w.memberMunicipalityIds);
    const held = await m.query<{ municipality_id: string; service_id: string; service: string }[]>(
      `SELECT sm.municipality_id, sm.service_id, s.name AS service
         FROM service_municipalities sm JOIN services s ON s.id = sm.service_id
        WHERE sm.municipality_id = ANY($1::uuid[])`,
      [all],
    );
    const taken: FieldError[] = [];
    for (const [i, s] of file.services.entries()) {
      const own = find(s.name)?.id;
      s.members.forEach((number, j) => {
        const h = held.find((x) => x.municipality_id === id(number));
        if (h && h.service_id !== own)
          taken.push({ field: `services.${i}.members.${j}`, reason: `kommunen hører til ${h.service}` });
      });
    }
    if (taken.length > 0)
      throw new ProblemException(
        409,
        'Kommuner i filen hører allerede til en annen barneverntjeneste.',
        taken,
      );

    for (const [i, s] of file.services.entries()) {
      const w = wanted[i];
      if (!w) continue;
      const row = find(s.name);
      if (!row) {
        const preferred = referenceId(`service:${s.host}`);
        const [free] = await m.query<{ free: boolean }[]>(
          `SELECT NOT EXISTS (SELECT 1 FROM services WHERE id = $1) AS free`,
          [preferred],
        );
        const [created] = await m.query<{ id: string }[]>(
          `INSERT INTO services (id, name, host_municipality_id, network_id, region_id)
           VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5) RETURNING id`,
          [free?.free ? preferred : null, w.name, w.hostMunicipalityId, w.networkId, region],
        );
        const serviceId = created?.id ?? '';
        await this.reference.setMembers(m, serviceId, w.memberMunicipalityIds);
        const [after] = await this.reference.loadServices(m, serviceId);
        await change('service.created', serviceId, w.name, null, after ?? w);
        continue;
      }
      const old = before.get(row.id);
      const same =
        old !== undefined &&
        old.name === w.name &&
        old.hostMunicipalityId === w.hostMunicipalityId &&
        old.networkId === w.networkId &&
        [...old.memberMunicipalityIds].sort().join() === w.memberMunicipalityIds.join();
      if (same) continue;
      await m.query(
        `UPDATE services SET name = $2, host_municipality_id = $3, network_id = $4, region_id = $5 WHERE id = $1`,
        [row.id, w.name, w.hostMunicipalityId, w.networkId, region],
      );
      await this.reference.setMembers(m, row.id, w.memberMunicipalityIds);
      const [after] = await this.reference.loadServices(m, row.id);
      await change('service.updated', row.id, w.name, old ?? null, after ?? w);
    }
  }

  private async load(m: EntityManager, only?: string): Promise<RegionDto[]> {
    const rows = await m.query<
      (RegionRow & { municipalities: number; services: number; networks: number })[]
    >(
      `SELECT r.id, r.code, r.name, r.catalog_version, r.bufetat_office::text AS bufetat_office,
              (SELECT count(*)::int FROM municipalities x WHERE x.region_id = r.id) AS municipalities,
              (SELECT count(*)::int FROM services x WHERE x.region_id = r.id) AS services,
              (SELECT count(*)::int FROM learning_networks x WHERE x.region_id = r.id) AS networks
         FROM regions r WHERE $1::uuid IS NULL OR r.id = $1::uuid ORDER BY r.name`,
      [only ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      catalogVersion: r.catalog_version,
      bufetatOffice: r.bufetat_office,
      municipalities: r.municipalities,
      services: r.services,
      networks: r.networks,
    }));
  }
}

type Change = (
  action: ChangeAction,
  entityId: string,
  name: string,
  before: object | null,
  after: object,
) => Promise<void>;

/** What the file must say about itself (400, every offending field named). */
function checkFile(file: RegionFileDto): void {
  const errors: FieldError[] = [];
  const firstIndex = <T>(items: readonly T[], key: (t: T) => string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      if (!seen.has(k)) seen.set(k, i);
    });
    return seen;
  };
  const numbers = firstIndex(file.municipalities, (x) => x.number);
  file.municipalities.forEach((x, i) => {
    if (numbers.get(x.number) !== i)
      errors.push({ field: `municipalities.${i}.number`, reason: 'kommunenummeret står to ganger i filen' });
  });
  const networks = firstIndex(file.networks, (n) => norm(n.name));
  file.networks.forEach((n, i) => {
    if (networks.get(norm(n.name)) !== i)
      errors.push({ field: `networks.${i}.name`, reason: 'nettverket står to ganger i filen' });
  });
  const services = firstIndex(file.services, (s) => norm(s.name));
  const memberOf = new Map<string, number>();
  file.services.forEach((s, i) => {
    if (services.get(norm(s.name)) !== i)
      errors.push({ field: `services.${i}.name`, reason: 'tjenesten står to ganger i filen' });
    if (!s.members.includes(s.host))
      errors.push({ field: `services.${i}.host`, reason: 'vertskommunen må være en av medlemskommunene' });
    s.members.forEach((number, j) => {
      if (!numbers.has(number))
        errors.push({ field: `services.${i}.members.${j}`, reason: 'kommunen står ikke i filens kommuner' });
      else if (memberOf.has(number) && memberOf.get(number) !== i)
        errors.push({
          field: `services.${i}.members.${j}`,
          reason: 'kommunen hører til en annen tjeneste i filen',
        });
      else memberOf.set(number, i);
    });
    if (s.network !== null && !networks.has(norm(s.network)))
      errors.push({ field: `services.${i}.network`, reason: 'nettverket står ikke i filens nettverk' });
  });
  if (errors.length > 0) throw new ProblemException(400, INVALID, errors);
}
