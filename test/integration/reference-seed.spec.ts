import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { NETWORKS } from '../support/reference.js';

/*
 * Reference data (issue 4): the Trøndelag seed of migration 1764050000000 in real PostgreSQL, and its
 * way down and up again.
 */
describe('reference data seed (migration)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const rows = <T>(sql: string, params: unknown[] = []) => db.dataSource.query<T[]>(sql, params);

  it('has the 38 municipalities of Trøndelag with their 2024 municipality numbers', async () => {
    const municipalities = await rows<{ number: string; name: string }>(
      `SELECT number, name FROM municipalities ORDER BY number`,
    );
    expect(municipalities).toHaveLength(38);
    expect(municipalities.every((m) => /^50\d\d$/.test(m.number))).toBe(true);
    const byName = Object.fromEntries(municipalities.map((m) => [m.name, m.number]));
    expect(byName).toMatchObject({
      Trondheim: '5001',
      Steinkjer: '5006',
      Namsos: '5007',
      Frøya: '5014',
      Røros: '5025',
      Stjørdal: '5035',
      Verdal: '5038',
      Hitra: '5056',
      Orkland: '5059',
      Nærøysund: '5060',
      Rindal: '5061',
    });
  });

  it('has 22 services, each municipality in exactly one, each host a member', async () => {
    expect(await rows(`SELECT id FROM services`)).toHaveLength(22);
    const perMunicipality = await rows<{ services: number }>(
      `SELECT count(sm.service_id)::int AS services
         FROM municipalities m LEFT JOIN service_municipalities sm ON sm.municipality_id = m.id
        GROUP BY m.id`,
    );
    expect(perMunicipality).toHaveLength(38);
    expect(perMunicipality.every((r) => r.services === 1)).toBe(true);
    const hostsOutside = await rows(
      `SELECT s.id FROM services s
        WHERE NOT EXISTS (SELECT 1 FROM service_municipalities sm
                           WHERE sm.service_id = s.id AND sm.municipality_id = s.host_municipality_id)`,
    );
    expect(hostsOutside).toEqual([]);
    const members = await rows<{ service: string; host: string; members: string[] }>(
      `SELECT s.name AS service, h.name AS host, array_agg(m.name::text ORDER BY m.name) AS members
         FROM services s JOIN municipalities h ON h.id = s.host_municipality_id
         JOIN service_municipalities sm ON sm.service_id = s.id JOIN municipalities m ON m.id = sm.municipality_id
        GROUP BY s.id, h.name`,
    );
    const service = (name: string) => members.find((r) => r.service === name);
    expect(service('Værnesregionen barneverntjeneste')).toEqual({
      service: 'Værnesregionen barneverntjeneste',
      host: 'Stjørdal',
      members: ['Frosta', 'Meråker', 'Selbu', 'Stjørdal', 'Tydal'],
    });
    expect(service('Midtre Namdal barneverntjeneste')?.members).toEqual(['Flatanger', 'Namsos', 'Overhalla']);
    expect(service('Indre Namdal barneverntjeneste')?.members).toEqual([
      'Grong',
      'Høylandet',
      'Lierne',
      'Namsskogan',
      'Røyrvik',
    ]);
    expect(service('Oppdal og Rennebu barneverntjeneste')?.members).toEqual(['Oppdal', 'Rennebu']);
    expect(service('Melhus og Skaun barneverntjeneste')?.members).toEqual(['Melhus', 'Skaun']);
    for (const own of ['Hitra', 'Frøya', 'Trondheim', 'Steinkjer', 'Verdal'])
      expect(service(`${own} barneverntjeneste`)?.members).toEqual([own]);
  });

  it('has the 5 learning networks of §5, every service in one, matching the assumed geography', async () => {
    const networks = await rows<{ name: string; municipalities: string[] }>(
      `SELECT n.name, array_agg(m.name::text ORDER BY m.name) AS municipalities
         FROM learning_networks n JOIN services s ON s.network_id = n.id
         JOIN service_municipalities sm ON sm.service_id = s.id JOIN municipalities m ON m.id = sm.municipality_id
        GROUP BY n.id ORDER BY n.name`,
    );
    expect(networks.map((n) => n.name)).toEqual(NETWORKS);
    const of = (name: string) => networks.find((n) => n.name === name)?.municipalities;
    expect(of('Namdalen')).toEqual(
      [
        'Namsos',
        'Overhalla',
        'Flatanger',
        'Grong',
        'Høylandet',
        'Lierne',
        'Namsskogan',
        'Røyrvik',
        'Nærøysund',
        'Leka',
      ].sort(),
    );
    expect(of('Innherred')).toEqual(['Steinkjer', 'Snåsa', 'Inderøy', 'Verdal', 'Levanger'].sort());
    expect(of('Fjellregionen')).toEqual(['Røros', 'Holtålen', 'Midtre Gauldal', 'Oppdal', 'Rennebu'].sort());
    expect(of('Trondheimsregionen')).toHaveLength(9);
    expect(of('Kystregionen')).toHaveLength(9);
    expect(await rows(`SELECT id FROM services WHERE network_id IS NULL`)).toEqual([]);
    // The view the auth guard reads.
    expect(await rows(`SELECT * FROM learning_network_services`)).toHaveLength(22);
  });

  it('migrates down to the old table and up again to the same data, same ids', async () => {
    const dump = () =>
      rows(
        `SELECT s.id, s.name, s.host_municipality_id, n.id AS network, n.name AS network_name
           FROM services s JOIN learning_networks n ON n.id = s.network_id ORDER BY s.id`,
      );
    const before = await dump();
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await rows(`SELECT * FROM learning_network_services`)).toHaveLength(22);
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await dump()).toEqual(before);
  });
});
