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

  /** After a change to networks or services has committed. */
  forget(): void {
    this.remembered.clear();
  }
}
