import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { READ_MODELS_PROJECTOR } from '../../../libs/projections/projector.js';

/**
 * Finished adherence reports, kept per API process while what they are computed from has not changed: a
 * report is a pure function of its request, its scope and the day, of the read models (moved only by the
 * projector) and of reference data (every change audited in reference_changes). The version of both is
 * read with every request (indexed lookups): for the task report, the last change the projector recorded
 * for facts due in its period at its services (adherence_changes); for the others, the projector's
 * checkpoint. When the version moves, earlier entries are never used again. Cached after access control
 * and suppression: the scope (who may see which services) is part of the key.
 *
 * Dashboards ask the same few reports again and again, and one report aggregates tens of thousands of
 * facts (~80–110 ms on `npm run bench:adherence`'s data).
 */
@Injectable()
export class ReportCache {
  private readonly entries = new LRUCache<string, object>({ max: 500, ttl: 15 * 60_000 });

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The cached report for `parts`, else `compute`'s. With `facts` (the services and due-date period the
   * report reads), only a change to facts due in that period for those services counts: a published
   * quarter's report then stays valid while the projector works on other months.
   */
  async get<T extends object>(
    parts: readonly unknown[],
    compute: () => Promise<T>,
    facts?: { readonly services: readonly string[]; readonly from: string; readonly to: string },
  ): Promise<T> {
    const key = JSON.stringify([await this.version(facts), ...parts]);
    const hit = this.entries.get(key);
    if (hit) return hit as T;
    const value = await compute();
    this.entries.set(key, value);
    return value;
  }

  private async version(facts?: {
    readonly services: readonly string[];
    readonly from: string;
    readonly to: string;
  }): Promise<string> {
    const [row] = await this.dataSource.query<{ facts: string | null; reference: string | null }[]>(
      facts
        ? // adherence_changes: migration 1764430000000, kept by the projector.
          `SELECT (SELECT coalesce(max(version), 0)::text FROM adherence_changes
                    WHERE service_id = ANY($1::uuid[])
                      AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date) AS facts,
                  (SELECT max(id)::text FROM reference_changes) AS reference`
        : `SELECT (SELECT position::text FROM projection_checkpoints WHERE name = $1) AS facts,
                  (SELECT max(id)::text FROM reference_changes) AS reference`,
      facts ? [facts.services, facts.from, facts.to] : [READ_MODELS_PROJECTOR],
    );
    return `${facts ? 'f' : 'p'}${row?.facts ?? '-'}/${row?.reference ?? '-'}`;
  }
}
