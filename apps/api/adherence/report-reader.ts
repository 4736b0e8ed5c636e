import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_CATALOG } from '../../../libs/domain/catalog/default-catalog.js';
import { PLACEMENT_TYPE_LABEL, TRACK_LABEL } from '../../../libs/domain/labels.js';
import type { Breakdown } from './adherence.dto.js';
import { ReportCache } from './report-cache.js';
import { hiddenKeys, type Protection } from './report-cells.js';
import type { Scope, Window } from './report-window.js';

/** The domain's word for a code (libs/domain/labels.ts), else the code. */
const wordFor =
  (labels: Readonly<Record<string, string>>) =>
  (key: string): string =>
    labels[key] ?? key;
const STEP_LABELS = new Map(DEFAULT_CATALOG.steps.map((s) => [s.id, s.title]));

/** The breakdowns a lead's cells nest in: what the parent's report minus this one must not reveal. */
const PARENT_BREAKDOWN: Partial<Record<Breakdown, Breakdown>> = { municipality: 'service', step: 'track' };
const STEP_TRACK = new Map(DEFAULT_CATALOG.steps.map((s) => [s.id, s.track]));

/** Sort memory of one report query (see ReportReader.aggregate). */
const REPORT_WORK_MEM = '64MB';

/**
 * What every adherence report reads besides its own query: the report from the cache while what it is
 * computed from stands still (ReportCache), its aggregation's room to sort, the labels of its breakdown,
 * and how a learning-network lead's cells nest in their parent breakdown.
 */
@Injectable()
export class ReportReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: ReportCache,
  ) {}

  /**
   * Report `report` in window `w` for request `q`, from the cache or else `compute`'s. Its key: which
   * report, whose facts, the request (its instant as the window's), the day.
   */
  cached<T extends object>(report: string, w: Window, q: object, compute: () => Promise<T>): Promise<T> {
    const key = [report, w.kind, w.owner, { ...q, asOf: undefined }, w.reportDate, w.asOf?.toISOString()];
    return this.cache.get(key, compute, w.basis);
  }

  /**
   * An aggregation over tens of thousands of facts: its sorts (the cells, distinct placements, the
   * percentiles) get the memory to run in RAM rather than spill to disk (PostgreSQL's default work_mem,
   * 4 MB, spilled a network lead's quarter: `npm run bench:adherence`), for this transaction only.
   */
  aggregate<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET TRANSACTION READ ONLY`);
      await m.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      return m.query<T[]>(text, params);
    });
  }

  /** The label of each key of breakdown `by`: a name from reference data, the domain's word, a step. */
  async labels(by: Breakdown): Promise<(key: string) => string> {
    const table =
      by === 'service'
        ? 'services'
        : by === 'municipality'
          ? 'municipalities'
          : by === 'network'
            ? 'learning_networks'
            : undefined;
    if (table) {
      const rows = await this.dataSource.query<{ id: string; name: string }[]>(
        `SELECT id::text, name FROM ${table}`,
      );
      const names = new Map(rows.map((r) => [r.id, r.name]));
      return (key) => names.get(key) ?? (key === 'uten-nettverk' ? 'Uten nettverk' : 'Ukjent');
    }
    if (by === 'track') return wordFor(TRACK_LABEL);
    if (by === 'placementType') return wordFor(PLACEMENT_TYPE_LABEL);
    if (by === 'step') return (key) => STEP_LABELS.get(key) ?? key;
    return (key) => (key === 'total' ? 'Totalt' : key);
  }

  /** For a lead: how the cells of `by` nest in its parent breakdown, from the parent's rows. */
  async protection(
    scope: Scope,
    by: Breakdown,
    parentRows: (parent: Breakdown) => Promise<readonly { key: string | null; placements: number }[]>,
  ): Promise<Protection | undefined> {
    if (scope.kind !== 'network') return undefined;
    const parent = PARENT_BREAKDOWN[by];
    if (!parent) return {};
    const [rows, parentOf] = await Promise.all([parentRows(parent), this.parentOf(by, scope.services)]);
    return { nesting: { parentOf, parentHidden: hiddenKeys(rows) } };
  }

  /** A municipality's service (from the placements' facts), a step's track (the catalog). */
  private async parentOf(by: Breakdown, services: string[]): Promise<(key: string) => string | undefined> {
    if (by === 'step') return (key) => STEP_TRACK.get(key);
    const rows = await this.dataSource.query<{ child: string; parent: string }[]>(
      `SELECT DISTINCT municipality_id::text AS child, service_id::text AS parent
         FROM adherence_placements WHERE service_id = ANY($1::uuid[])`,
      [services],
    );
    const parents = new Map<string, string | undefined>();
    // A municipality under two services has no single parent: its cells are hidden.
    for (const r of rows) parents.set(r.child, parents.has(r.child) ? undefined : r.parent);
    return (key) => parents.get(key);
  }
}
