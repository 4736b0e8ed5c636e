import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { READ_MODELS_PROJECTOR } from '../../../libs/projections/projector.js';

/**
 * What a report is computed from, and so when a computed report may be used again:
 * - `facts`: the facts as they stand now, due in a period at some services. Valid while the projector
 *   records no change to such facts (adherence_changes, per service and month of due date).
 * - `projector`: the facts as they stand now. Valid while the projector's checkpoint stands still.
 * - `recorded`: the facts as recorded at a past instant. Final once the projector has folded every event
 *   recorded by then (later events only add versions valid after it); before that, like `projector`.
 *   With `store`, a final report is also kept in PostgreSQL (adherence_published_reports), for every API
 *   process and every restart: the learning networks' publications.
 * Reference data (every change audited in reference_changes) is part of every version: labels, networks.
 */
export type ReportBasis =
  | {
      readonly kind: 'facts';
      readonly services: readonly string[];
      readonly from: string;
      readonly to: string;
    }
  | { readonly kind: 'projector' }
  | { readonly kind: 'recorded'; readonly at: Date; readonly store?: boolean };

/**
 * How long an event's transaction may still be running after its recorded time (recorded_at is the
 * transaction's start). Commands append in milliseconds; an instant older than this whose events the
 * projector has all folded can no longer change.
 */
const IN_FLIGHT_MARGIN = '5 minutes';

/**
 * Finished adherence reports, kept per API process while what they are computed from has not changed
 * (ReportBasis), after access control and suppression: the scope (who may see which services) is part of
 * the key. A report is a pure function of its request, its scope and its report date, of the read models
 * (moved only by the projector) and of reference data. Requests for a report being computed wait for that
 * computation rather than start their own.
 *
 * Dashboards ask the same few reports again and again, and one report aggregates tens of thousands of
 * facts (~60–100 ms on `npm run bench:adherence`'s data).
 */
@Injectable()
export class ReportCache {
  private readonly entries = new LRUCache<string, object>({ max: 500, ttl: 15 * 60_000 });
  private readonly computing = new Map<string, Promise<object>>();

  constructor(private readonly dataSource: DataSource) {}

  /** The report for `parts` on `basis`: kept in this process, stored, or else `compute`'s. */
  async get<T extends object>(
    parts: readonly unknown[],
    compute: () => Promise<T>,
    basis: ReportBasis,
  ): Promise<T> {
    const { version, final } = await this.version(basis);
    const key = JSON.stringify([version, ...parts]);
    const hit = this.entries.get(key);
    if (hit) return hit as T;
    let pending = this.computing.get(key);
    if (!pending) {
      const store = final && basis.kind === 'recorded' && basis.store === true;
      pending = (store ? this.stored(key, compute) : compute()).finally(() => this.computing.delete(key));
      this.computing.set(key, pending);
    }
    const value = await pending;
    this.entries.set(key, value);
    return value as T;
  }

  /** A final report from adherence_published_reports, else computed and stored there. */
  private async stored(key: string, compute: () => Promise<object>): Promise<object> {
    const digest = createHash('sha256').update(key).digest('base64url');
    const [row] = await this.dataSource.query<{ body: object }[]>(
      `SELECT body FROM adherence_published_reports WHERE key = $1`,
      [digest],
    );
    if (row) return row.body;
    const value = await compute();
    await this.dataSource.query(
      `INSERT INTO adherence_published_reports (key, body) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [digest, JSON.stringify(value)],
    );
    return value;
  }

  private async version(basis: ReportBasis): Promise<{ version: string; final: boolean }> {
    const at = basis.kind === 'recorded' ? basis.at.toISOString() : undefined;
    const [row] = await this.dataSource.query<
      {
        facts: string | null;
        tx_id: string | null;
        position: string | null;
        reference: string | null;
        settled: boolean;
      }[]
    >(
      `SELECT ${
        basis.kind === 'facts'
          ? // adherence_changes: migration 1764430000000, kept by the projector.
            `(SELECT coalesce(max(version), 0)::text FROM adherence_changes
               WHERE service_id = ANY($2::uuid[])
                 AND month BETWEEN date_trunc('month', $3::date)::date AND $4::date)`
          : 'NULL'
      } AS facts,
              c.tx_id::text AS tx_id, c.position::text AS position,
              (SELECT max(id)::text FROM reference_changes) AS reference,
              ${at ? `$2::timestamptz < now() - interval '${IN_FLIGHT_MARGIN}'` : 'false'} AS settled
         FROM (SELECT 1) AS one LEFT JOIN projection_checkpoints c ON c.name = $1`,
      basis.kind === 'facts'
        ? [READ_MODELS_PROJECTOR, basis.services, basis.from, basis.to]
        : at
          ? [READ_MODELS_PROJECTOR, at]
          : [READ_MODELS_PROJECTOR],
    );
    const reference = row?.reference ?? '-';
    // Asked each time, not remembered: a rebuild of the read models empties them and starts over.
    if (at && row?.settled && (await this.folded(at, row))) return { version: `x/${reference}`, final: true };
    if (basis.kind === 'facts') return { version: `f${row?.facts ?? '-'}/${reference}`, final: false };
    return { version: `p${row?.position ?? '-'}/${reference}`, final: false };
  }

  /**
   * Whether the projector has folded every event recorded by `at`: none after its checkpoint was recorded
   * by then. The checkpoint's values as parameters, so that PostgreSQL reads the few events after it
   * from the index rather than scanning the table.
   */
  private async folded(
    at: string,
    checkpoint: { tx_id: string | null; position: string | null },
  ): Promise<boolean> {
    if (checkpoint.tx_id === null || checkpoint.position === null) return false;
    const [row] = await this.dataSource.query<{ pending: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM events WHERE (tx_id, global_position) > ($1::xid8, $2::bigint)
                                              AND recorded_at <= $3::timestamptz) AS pending`,
      [checkpoint.tx_id, checkpoint.position, at],
    );
    return row?.pending === false;
  }
}
