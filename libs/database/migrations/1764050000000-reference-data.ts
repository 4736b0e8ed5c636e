import { createHash } from 'node:crypto';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/*
 * Reference data (issue 4): municipalities, child-welfare services (a host municipality and member
 * municipalities) and learning networks, plus an append-only audit trail of the administrators' changes.
 *
 * - A municipality belongs to at most one service (unique municipality_id in service_municipalities);
 *   a service's host municipality is one of its members (deferred foreign key, checked at commit).
 * - learning_network_services (migration 1764000000000, read by the API's auth guard) becomes a view over
 *   services.network_id: a service is in at most one network, and one place holds that fact.
 * - Trøndelag is seeded here (../shared/domain/omsorgspakken.md §5). Ids are deterministic (UUID v5 of
 *   the municipality number, the host's number, the network's name), so every environment has the same
 *   ids for the same seeded rows (e.g. for an identity provider's organisation mapping).
 *
 * This file is a snapshot: later changes to reference data are made through the API (audited), or in a
 * new migration, never by editing the lists below.
 */

/** Kommunenummer (2024 numbering; Trøndelag is county 50) and name: the 38 municipalities of §5. */
const MUNICIPALITIES: readonly (readonly [number: string, name: string])[] = [
  ['5001', 'Trondheim'],
  ['5006', 'Steinkjer'],
  ['5007', 'Namsos'],
  ['5014', 'Frøya'],
  ['5020', 'Osen'],
  ['5021', 'Oppdal'],
  ['5022', 'Rennebu'],
  ['5025', 'Røros'],
  ['5026', 'Holtålen'],
  ['5027', 'Midtre Gauldal'],
  ['5028', 'Melhus'],
  ['5029', 'Skaun'],
  ['5031', 'Malvik'],
  ['5032', 'Selbu'],
  ['5033', 'Tydal'],
  ['5034', 'Meråker'],
  ['5035', 'Stjørdal'],
  ['5036', 'Frosta'],
  ['5037', 'Levanger'],
  ['5038', 'Verdal'],
  ['5041', 'Snåsa'],
  ['5042', 'Lierne'],
  ['5043', 'Røyrvik'],
  ['5044', 'Namsskogan'],
  ['5045', 'Grong'],
  ['5046', 'Høylandet'],
  ['5047', 'Overhalla'],
  ['5049', 'Flatanger'],
  ['5052', 'Leka'],
  ['5053', 'Inderøy'],
  ['5054', 'Indre Fosen'],
  ['5055', 'Heim'],
  ['5056', 'Hitra'],
  ['5057', 'Ørland'],
  ['5058', 'Åfjord'],
  ['5059', 'Orkland'],
  ['5060', 'Nærøysund'],
  ['5061', 'Rindal'],
];

/** The five regional learning networks. ASSUMPTION (§5): the geography, to confirm with Statsforvalteren. */
const NETWORKS = ['Namdalen', 'Innherred', 'Trondheimsregionen', 'Kystregionen', 'Fjellregionen'] as const;

interface SeedService {
  readonly name: string;
  /** Host municipality first, then the other members. */
  readonly members: readonly [host: string, ...others: string[]];
  readonly network: (typeof NETWORKS)[number];
}

/*
 * The 22 services. Known (§5): Værnesregionen (host Stjørdal), Midtre Namdal, Indre Namdal, Oppdal og
 * Rennebu, Melhus og Skaun, Hitra, Frøya, Trondheim, Steinkjer, Verdal: 10 services, 22 municipalities.
 * ASSUMPTION (hosts): Namsos hosts Midtre Namdal, Grong Indre Namdal, Oppdal "Oppdal og Rennebu", Melhus
 * "Melhus og Skaun" (the largest member; §5 names only Stjørdal's role).
 * ASSUMPTION (the rest, §5: UNK): the other 16 municipalities each on their own would make 26 services,
 * not the 22 of the mission; four plausible inter-municipal services among neighbours in the same
 * network reach 22: Røros og Holtålen, Ytre Namdal (Nærøysund, Leka), Åfjord og Osen, Orkland og
 * Rindal. The other 8 are single-municipality services. All of it is editable data (admin API).
 */
const SERVICES: readonly SeedService[] = [
  {
    name: 'Værnesregionen barneverntjeneste',
    members: ['Stjørdal', 'Frosta', 'Meråker', 'Selbu', 'Tydal'],
    network: 'Trondheimsregionen',
  },
  {
    name: 'Midtre Namdal barneverntjeneste',
    members: ['Namsos', 'Overhalla', 'Flatanger'],
    network: 'Namdalen',
  },
  {
    name: 'Indre Namdal barneverntjeneste',
    members: ['Grong', 'Lierne', 'Namsskogan', 'Røyrvik', 'Høylandet'],
    network: 'Namdalen',
  },
  { name: 'Oppdal og Rennebu barneverntjeneste', members: ['Oppdal', 'Rennebu'], network: 'Fjellregionen' },
  { name: 'Melhus og Skaun barneverntjeneste', members: ['Melhus', 'Skaun'], network: 'Trondheimsregionen' },
  { name: 'Hitra barneverntjeneste', members: ['Hitra'], network: 'Kystregionen' },
  { name: 'Frøya barneverntjeneste', members: ['Frøya'], network: 'Kystregionen' },
  { name: 'Trondheim barneverntjeneste', members: ['Trondheim'], network: 'Trondheimsregionen' },
  { name: 'Steinkjer barneverntjeneste', members: ['Steinkjer'], network: 'Innherred' },
  { name: 'Verdal barneverntjeneste', members: ['Verdal'], network: 'Innherred' },
  // ASSUMPTION: merged services (see above).
  { name: 'Røros og Holtålen barneverntjeneste', members: ['Røros', 'Holtålen'], network: 'Fjellregionen' },
  { name: 'Ytre Namdal barneverntjeneste', members: ['Nærøysund', 'Leka'], network: 'Namdalen' },
  { name: 'Åfjord og Osen barneverntjeneste', members: ['Åfjord', 'Osen'], network: 'Kystregionen' },
  { name: 'Orkland og Rindal barneverntjeneste', members: ['Orkland', 'Rindal'], network: 'Kystregionen' },
  // ASSUMPTION: single-municipality services.
  { name: 'Heim barneverntjeneste', members: ['Heim'], network: 'Kystregionen' },
  { name: 'Ørland barneverntjeneste', members: ['Ørland'], network: 'Kystregionen' },
  { name: 'Indre Fosen barneverntjeneste', members: ['Indre Fosen'], network: 'Kystregionen' },
  { name: 'Inderøy barneverntjeneste', members: ['Inderøy'], network: 'Innherred' },
  { name: 'Levanger barneverntjeneste', members: ['Levanger'], network: 'Innherred' },
  { name: 'Snåsa barneverntjeneste', members: ['Snåsa'], network: 'Innherred' },
  { name: 'Malvik barneverntjeneste', members: ['Malvik'], network: 'Trondheimsregionen' },
  { name: 'Midtre Gauldal barneverntjeneste', members: ['Midtre Gauldal'], network: 'Fjellregionen' },
];

/** The demo learning network of the local issuer (libs/security/local-issuer.ts DEMO_NETWORK). */
const DEMO_NETWORK = '8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a50';

/** UUID v5 (RFC 9562) in a namespace of our own: deterministic ids for seeded rows. */
const NAMESPACE = Buffer.from('6f6d736f-7267-4b8e-9a1c-726566646174'.replace(/-/g, ''), 'hex');
export function referenceId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ReferenceData1764050000000 implements MigrationInterface {
  name = 'ReferenceData1764050000000';

  async up(q: QueryRunner): Promise<void> {
    // The old table's rows, but the demo network's (the API writes those at start, when the local
    // issuer is on): they must land on seeded services and networks below, or the migration refuses.
    const kept = (await q.query(
      `SELECT network_id, service_id FROM learning_network_services WHERE network_id <> $1`,
      [DEMO_NETWORK],
    )) as { network_id: string; service_id: string }[];
    await q.query(`DROP TABLE learning_network_services`);

    await q.query(`
      CREATE TABLE municipalities (
        id     uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        number char(4) NOT NULL UNIQUE CHECK (number ~ '^[0-9]{4}$'),
        name   text    NOT NULL CHECK (length(name) BETWEEN 1 AND 120)
      )`);
    await q.query(`
      CREATE TABLE learning_networks (
        id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120)
      )`);
    // Names are unique regardless of case ("Namdalen" and "namdalen" are the same network).
    await q.query(`CREATE UNIQUE INDEX learning_networks_name_key ON learning_networks (lower(name))`);
    await q.query(`
      CREATE TABLE services (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        host_municipality_id uuid NOT NULL REFERENCES municipalities (id),
        network_id           uuid REFERENCES learning_networks (id)
      )`);
    await q.query(`CREATE UNIQUE INDEX services_name_key ON services (lower(name))`);
    await q.query(`CREATE INDEX services_network_idx ON services (network_id) WHERE network_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE service_municipalities (
        service_id      uuid NOT NULL REFERENCES services (id),
        municipality_id uuid NOT NULL REFERENCES municipalities (id),
        PRIMARY KEY (service_id, municipality_id),
        CONSTRAINT service_municipalities_one_service UNIQUE (municipality_id)
      )`);
    await q.query(`
      ALTER TABLE services ADD CONSTRAINT services_host_is_member
        FOREIGN KEY (id, host_municipality_id) REFERENCES service_municipalities (service_id, municipality_id)
        DEFERRABLE INITIALLY DEFERRED`);
    await q.query(`
      CREATE VIEW learning_network_services AS
        SELECT network_id, id AS service_id FROM services WHERE network_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE reference_changes (
        id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at              timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id         text        NOT NULL,
        issuer          text        NOT NULL,
        organisation    text,
        roles           text[]      NOT NULL,
        action          text        NOT NULL
          CHECK (action IN ('network.created', 'network.updated', 'service.created', 'service.updated')),
        entity_id       uuid        NOT NULL,
        before          jsonb,
        after           jsonb       NOT NULL,
        request_id      text
      )`);
    await q.query(`CREATE INDEX reference_changes_entity_idx ON reference_changes (entity_id, at)`);
    await q.query(`
      CREATE FUNCTION reference_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'reference_changes is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER reference_changes_no_update_delete BEFORE UPDATE OR DELETE ON reference_changes
        FOR EACH ROW EXECUTE FUNCTION reference_changes_append_only()`);
    await q.query(`
      CREATE TRIGGER reference_changes_no_truncate BEFORE TRUNCATE ON reference_changes
        FOR EACH STATEMENT EXECUTE FUNCTION reference_changes_append_only()`);

    await this.seed(q);
    await this.keep(q, kept);
  }

  /** Old network memberships onto the seeded rows (e.g. after a `down`); refuses what does not fit. */
  private async keep(q: QueryRunner, rows: readonly { network_id: string; service_id: string }[]) {
    if (rows.length === 0) return;
    const params = [rows.map((r) => r.network_id), rows.map((r) => r.service_id)];
    const misfits = (await q.query(
      `SELECT o.network_id, o.service_id FROM unnest($1::uuid[], $2::uuid[]) AS o (network_id, service_id)
        WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.id = o.service_id)
           OR NOT EXISTS (SELECT 1 FROM learning_networks n WHERE n.id = o.network_id)
           OR (SELECT count(*) FROM unnest($2::uuid[]) AS d (service_id) WHERE d.service_id = o.service_id) > 1`,
      params,
    )) as unknown[];
    if (misfits.length > 0)
      throw new Error(
        `learning_network_services has ${misfits.length} rows that are not seeded services and networks ` +
          '(or a service in two networks): record them as reference data by hand before this migration',
      );
    await q.query(
      `UPDATE services s SET network_id = o.network_id
         FROM unnest($1::uuid[], $2::uuid[]) AS o (network_id, service_id) WHERE s.id = o.service_id`,
      params,
    );
  }

  private async seed(q: QueryRunner): Promise<void> {
    const municipalityId = new Map(
      MUNICIPALITIES.map(([n, name]) => [name, referenceId(`municipality:${n}`)]),
    );
    const idOf = (name: string) => {
      const id = municipalityId.get(name);
      if (!id) throw new Error(`seed: no municipality ${name}`);
      return id;
    };
    await q.query(
      `INSERT INTO municipalities (id, number, name) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [
        MUNICIPALITIES.map(([, name]) => idOf(name)),
        MUNICIPALITIES.map(([n]) => n),
        MUNICIPALITIES.map(([, name]) => name),
      ],
    );
    const networkId = (name: string) => referenceId(`network:${name}`);
    await q.query(`INSERT INTO learning_networks (id, name) SELECT * FROM unnest($1::uuid[], $2::text[])`, [
      NETWORKS.map(networkId),
      [...NETWORKS],
    ]);
    const number = new Map(MUNICIPALITIES.map(([n, name]) => [name, n]));
    const serviceId = (s: SeedService) => referenceId(`service:${number.get(s.members[0]) ?? ''}`);
    await q.query(
      `INSERT INTO services (id, name, host_municipality_id, network_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[])`,
      [
        SERVICES.map(serviceId),
        SERVICES.map((s) => s.name),
        SERVICES.map((s) => idOf(s.members[0])),
        SERVICES.map((s) => networkId(s.network)),
      ],
    );
    const members = SERVICES.flatMap((s) => s.members.map((m) => [serviceId(s), idOf(m)] as const));
    await q.query(
      `INSERT INTO service_municipalities (service_id, municipality_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
      [members.map(([s]) => s), members.map(([, m]) => m)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW learning_network_services`);
    await q.query(`
      CREATE TABLE learning_network_services (
        network_id uuid NOT NULL,
        service_id uuid NOT NULL,
        PRIMARY KEY (network_id, service_id)
      )`);
    await q.query(`
      INSERT INTO learning_network_services (network_id, service_id)
      SELECT network_id, id FROM services WHERE network_id IS NOT NULL`);
    await q.query(`DROP TABLE reference_changes`);
    await q.query(`DROP FUNCTION reference_changes_append_only()`);
    await q.query(`ALTER TABLE services DROP CONSTRAINT services_host_is_member`);
    await q.query(`DROP TABLE service_municipalities`);
    await q.query(`DROP TABLE services`);
    await q.query(`DROP TABLE learning_networks`);
    await q.query(`DROP TABLE municipalities`);
  }
}
