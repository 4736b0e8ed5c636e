import type { DataSource } from 'typeorm';
import { DEMO_MUNICIPALITIES as IDS, DEMO_NETWORK, DEMO_SERVICES } from '../../../libs/security/index.js';

/*
 * The local issuer's fictional organisations as reference data (development and test databases only,
 * written at API start when the local issuer is on): two services, each with a fictional municipality
 * (numbers 99xx, which no Norwegian municipality has), in one fictional learning network. DEMO_BUFETAT
 * is Bufetat's region office, not a child-welfare service, so it is not here.
 * Rows that exist are left as they are: an administrator's edits survive a restart.
 */
const DEMO_MUNICIPALITIES = {
  nordby: { id: IDS.nordby, number: '9901', name: 'Nordby (fiktiv)' },
  sorvik: { id: IDS.sorvik, number: '9902', name: 'Sørvik (fiktiv)' },
} as const;

const DEMO_SERVICE_NAMES: Record<keyof typeof DEMO_SERVICES, string> = {
  nordby: 'Nordby barneverntjeneste (fiktiv)',
  sorvik: 'Sørvik barneverntjeneste (fiktiv)',
};

export async function seedDemoReferenceData(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (m) => {
    await m.query(
      `INSERT INTO learning_networks (id, name) VALUES ($1, 'Demonettverket (fiktivt)') ON CONFLICT DO NOTHING`,
      [DEMO_NETWORK],
    );
    for (const key of ['nordby', 'sorvik'] as const) {
      const municipality = DEMO_MUNICIPALITIES[key];
      await m.query(
        `INSERT INTO municipalities (id, number, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [municipality.id, municipality.number, municipality.name],
      );
      const created = await m.query<unknown[]>(
        `INSERT INTO services (id, name, host_municipality_id, network_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [DEMO_SERVICES[key], DEMO_SERVICE_NAMES[key], municipality.id, DEMO_NETWORK],
      );
      if (created.length > 0)
        await m.query(`INSERT INTO service_municipalities (service_id, municipality_id) VALUES ($1, $2)`, [
          DEMO_SERVICES[key],
          municipality.id,
        ]);
    }
  });
}
