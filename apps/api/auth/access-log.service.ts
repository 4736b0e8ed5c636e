import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupCommit, preparedQuery } from '../../../libs/database/index.js';
import { namesOf } from '../../../libs/notifications/index.js';
import type { Principal } from '../../../libs/security/index.js';

export type AccessOutcome = 'allowed' | 'forbidden' | 'hidden' | 'unauthenticated';

export interface AccessEntry {
  readonly principal?: Principal;
  readonly childRef?: string | null;
  readonly placementId?: string | null;
  /** A listing (inbox page, calendar feed): every child shown, childRef → placementId, in one row. */
  readonly children?: ReadonlyMap<string, string>;
  /** The route (`GET /api/placements/{placementId}`) or access-function action. */
  readonly action: string;
  readonly outcome: AccessOutcome;
  readonly requestId?: string;
  /** A fixed reason code (a refused login's), never text from the request. */
  readonly detail?: string;
}

export interface AccessLogRow {
  readonly at: string;
  readonly userId: string | null;
  /** The user's display name, when known (people.name). */
  readonly name?: string;
  readonly roles: string[];
  readonly organisation: string | null;
  readonly action: string;
  readonly outcome: AccessOutcome;
}

/** One statement text whatever the number of entries: the rows arrive as one jsonb array. */
const INSERT = `
  INSERT INTO access_log (user_id, roles, organisation, child_ref, placement_id, child_refs, placement_ids,
                          action, outcome, request_id, detail)
  SELECT user_id, roles, organisation, child_ref, placement_id, child_refs, placement_ids,
         action, outcome, request_id, detail
    FROM jsonb_to_recordset($1::jsonb) AS e(user_id text, roles text[], organisation text, child_ref uuid,
         placement_id uuid, child_refs uuid[], placement_ids uuid[], action text, outcome text,
         request_id text, detail text)`;

/** The append-only access log (table access_log; UPDATE/DELETE refused by a trigger). */
@Injectable()
export class AccessLogService {
  /** Entries logged outside a caller's transaction: written by group commit (libs/database/group-commit.ts). */
  private readonly outside = new GroupCommit<AccessEntry>((entries) => this.insert(entries));

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends entries and resolves once they are committed. With the write's EntityManager they go into
   * that transaction (a write and its log row commit together); without, they are committed by group
   * commit with the entries of concurrent requests.
   */
  async record(entries: readonly AccessEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    if (manager) return this.insert(entries, manager);
    await Promise.all(entries.map((e) => this.outside.add(e)));
  }

  /** A listing (inbox page, calendar feed) that showed these tasks: one row naming each child once. */
  async recordListing(
    principal: Principal,
    action: string,
    shown: readonly { child_ref: string; placement_id: string }[],
    requestId?: string,
  ): Promise<void> {
    if (shown.length === 0) return;
    const children = new Map(shown.map((r) => [r.child_ref, r.placement_id]));
    await this.record([{ principal, children, action, outcome: 'allowed', requestId }]);
  }

  private async insert(entries: readonly AccessEntry[], manager?: EntityManager): Promise<void> {
    const rows = JSON.stringify(
      entries.map((e) => ({
        user_id: e.principal?.userId ?? null,
        roles: e.principal?.roles ?? [],
        organisation: e.principal?.organisation ?? null,
        child_ref: e.childRef ?? null,
        placement_id: e.placementId ?? null,
        child_refs: e.children ? [...e.children.keys()] : null,
        placement_ids: e.children ? [...e.children.values()] : null,
        action: e.action,
        outcome: e.outcome,
        request_id: e.requestId ?? null,
        detail: e.detail ?? null,
      })),
    );
    // In the caller's transaction on its connection; otherwise a prepared statement on the pool.
    if (manager) await manager.query(INSERT, [rows]);
    else await preparedQuery(this.dataSource, INSERT, [rows]);
  }

  /**
   * Who accessed a child's data, newest first, one page: the rows naming the child and those tied to its
   * placement by id only (a denial at the role gate, logged before the placement is looked up). `after`
   * is the previous page's cursor (the id of its last row); `next` the cursor of the following page.
   */
  async forChild(
    childRef: string,
    placementId: string,
    page: { limit: number; after?: string },
  ): Promise<{ rows: AccessLogRow[]; next: string | null }> {
    const params: unknown[] = [childRef, placementId, page.limit + 1];
    const after =
      page.after === undefined
        ? ''
        : `AND (at, id) < (SELECT at, id FROM access_log WHERE id = $${params.push(page.after)})`;
    const found = await this.dataSource.query<
      {
        id: string;
        at: Date;
        user_id: string | null;
        roles: string[];
        organisation: string | null;
        action: string;
        outcome: AccessOutcome;
      }[]
    >(
      `SELECT id::text AS id, at, user_id, roles, organisation, action, outcome FROM access_log
        WHERE (child_ref = $1 OR child_refs @> ARRAY[$1::uuid] OR placement_id = $2) ${after}
        ORDER BY at DESC, id DESC LIMIT $3`,
      params,
    );
    const rows = found.slice(0, page.limit);
    const names = await namesOf(
      this.dataSource,
      rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
    );
    const next = found.length > page.limit ? (rows[rows.length - 1]?.id ?? null) : null;
    return {
      next,
      rows: rows.map((r) => ({
        at: r.at.toISOString(),
        userId: r.user_id,
        ...(r.user_id && names.has(r.user_id) ? { name: names.get(r.user_id) } : {}),
        roles: r.roles,
        organisation: r.organisation,
        action: r.action,
        outcome: r.outcome,
      })),
    };
  }

  /** Whether `id` is a row of the log (a cursor of forChild). */
  async exists(id: string): Promise<boolean> {
    if (!/^\d{1,18}$/.test(id)) return false;
    const [row] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM access_log WHERE id = $1`, [id]);
    return row !== undefined;
  }
}
