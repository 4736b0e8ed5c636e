import type { DataSource } from 'typeorm';
import {
  DEMO_BUFETAT,
  DEMO_FJORD_MUNICIPALITIES,
  DEMO_FJORD_NETWORK,
  DEMO_FJORD_SERVICES,
  DEMO_MUNICIPALITIES,
  DEMO_NETWORK,
  DEMO_SERVICES,
} from '../../../libs/security/index.js';

/*
 * The local issuer's fictional organisations as reference data (development and test databases only,
 * written at API start when the local issuer is on): two learning networks, each with two services, each
 * service with a fictional municipality (numbers 99xx, which no Norwegian municipality has). DEMO_BUFETAT
 * is Bufetat's region office, not a child-welfare service: it is set as the office serving Trøndelag (the
 * region of every demo service), unless the region has one already.
 * Rows that exist are left as they are: an administrator's edits survive a restart.
 */
const DEMO_NETWORKS = [
  {
    id: DEMO_NETWORK,
    name: 'Demonettverket (fiktivt)',
    services: [
      {
        id: DEMO_SERVICES.nordby,
        name: 'Nordby barneverntjeneste (fiktiv)',
        municipality: { id: DEMO_MUNICIPALITIES.nordby, number: '9901', name: 'Nordby (fiktiv)' },
      },
      {
        id: DEMO_SERVICES.sorvik,
        name: 'Sørvik barneverntjeneste (fiktiv)',
        municipality: { id: DEMO_MUNICIPALITIES.sorvik, number: '9902', name: 'Sørvik (fiktiv)' },
      },
    ],
  },
  {
    id: DEMO_FJORD_NETWORK,
    name: 'Fjordnettverket (fiktivt)',
    services: [
      {
        id: DEMO_FJORD_SERVICES.vestby,
        name: 'Vestby barneverntjeneste (fiktiv)',
        municipality: { id: DEMO_FJORD_MUNICIPALITIES.vestby, number: '9903', name: 'Vestby (fiktiv)' },
      },
      {
        id: DEMO_FJORD_SERVICES.elvdal,
        name: 'Elvdal barneverntjeneste (fiktiv)',
        municipality: { id: DEMO_FJORD_MUNICIPALITIES.elvdal, number: '9904', name: 'Elvdal (fiktiv)' },
      },
    ],
  },
] as const;

export async function seedDemoReferenceData(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (m) => {
    for (const network of DEMO_NETWORKS) {
      await m.query(`INSERT INTO learning_networks (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        network.id,
        network.name,
      ]);
      // Its kompetansebase (as migration 1765460000000 seeds one for each network that existed then).
      await m.query(
        `INSERT INTO kompetansebaser (id, name, network_id, capacity)
         VALUES (md5('kompetansebase:' || $1::text)::uuid, 'Kompetansebase ' || $2::text, $1::text::uuid, 8) ON CONFLICT DO NOTHING`,
        [network.id, network.name],
      );
      for (const service of network.services) {
        const { municipality } = service;
        await m.query(
          `INSERT INTO municipalities (id, number, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [municipality.id, municipality.number, municipality.name],
        );
        const created = await m.query<unknown[]>(
          `INSERT INTO services (id, name, host_municipality_id, network_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING id`,
          [service.id, service.name, municipality.id, network.id],
        );
        if (created.length > 0)
          await m.query(`INSERT INTO service_municipalities (service_id, municipality_id) VALUES ($1, $2)`, [
            service.id,
            municipality.id,
          ]);
      }
    }
    // Bufetat works by region (migration 1765530000000): the demo office serves Trøndelag.
    await m.query(
      `UPDATE regions SET bufetat_office = $1 WHERE code = 'trondelag' AND bufetat_office IS NULL`,
      [DEMO_BUFETAT],
    );
  });
}
