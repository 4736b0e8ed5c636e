import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';

/** How long an API process trusts what it read about a learning network's services. */
export const NETWORK_TTL_MS = 5_000;

/**
 * The services of a learning network (who a foster-home resource or network lead may see), read for
 * nearly every request of theirs. Remembered for NETWORK_TTL_MS per API process; a reference-data write
 * makes the process that made it forget at once, and any other process within NETWORK_TTL_MS.
 */
@Injectable()
export class NetworkDirectory {
  private readonly remembered = new LRUCache<string, readonly string[]>({ max: 1000, ttl: NETWORK_TTL_MS });
  private readonly regions = new LRUCache<string, { region: string | null }>({
    max: 1000,
    ttl: NETWORK_TTL_MS,
  });

  constructor(private readonly dataSource: DataSource) {}

  async servicesOf(network: string): Promise<readonly string[]> {
    const known = this.remembered.get(network);
    if (known) return known;
    // learning_network_services is a view over services.network_id (migration 1764050000000).
    const rows = await this.dataSource.query<{ service_id: string }[]>(
      `SELECT service_id FROM learning_network_services WHERE network_id = $1`,
      [network],
    );
    const services = Object.freeze(rows.map((r) => r.service_id));
    this.remembered.set(network, services);
    return services;
  }

  /**
   * The region a principal works in: its organisation's (a service), else its learning network's;
   * undefined for an organisation that is neither (e.g. Bufetat's region office).
   */
  async regionOf(organisation: string, network: string | undefined): Promise<string | undefined> {
    const key = `${organisation}|${network ?? ''}`;
    const known = this.regions.get(key);
    if (known) return known.region ?? undefined;
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const [row] = await this.dataSource.query<{ region: string | null }[]>(
      `SELECT coalesce((SELECT region_id FROM services WHERE id = $1::uuid),
                       (SELECT region_id FROM learning_networks WHERE id = $2::uuid))::text AS region`,
      [UUID.test(organisation) ? organisation : null, network && UUID.test(network) ? network : null],
    );
    const region = row?.region ?? null;
    this.regions.set(key, { region });
    return region ?? undefined;
  }

  /** The services of the regions a Bufetat region office serves (regions.bufetat_office); may be empty. */
  async bufetatServicesOf(organisation: string): Promise<readonly string[]> {
    const key = `bufetat|${organisation}`;
    const known = this.remembered.get(key);
    if (known) return known;
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const rows = UUID.test(organisation)
      ? await this.dataSource.query<{ service_id: string }[]>(
          `SELECT s.id::text AS service_id FROM services s JOIN regions r ON r.id = s.region_id
            WHERE r.bufetat_office = $1::uuid`,
          [organisation],
        )
      : [];
    const services = Object.freeze(rows.map((r) => r.service_id));
    this.remembered.set(key, services);
    return services;
  }

  /** After a change to networks or services has committed. */
  forget(): void {
    this.remembered.clear();
    this.regions.clear();
  }
}
