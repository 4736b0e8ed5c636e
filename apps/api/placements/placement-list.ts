import { ANNULLED } from '../../../libs/domain/vocabulary.js';
import { visiblePlacementsSql, type Scoped } from '../../../libs/security/index.js';
import { badCursor, decodeJsonCursor, encodeJsonCursor, escapeLike } from '../common/cursor.js';
import {
  DEFAULT_PLACEMENT_LIST_LIMIT,
  type PlacementListQueryDto,
  type PlacementListStatus,
} from './placements.dto.js';

/*
 * The SQL of the placements list (GET /api/placements): the `placements` read model, visible rows only
 * (visiblePlacementsSql, the twin of `placement:read`), sorted by the service's case number (placements
 * without one last) and the placement id, keyset-paginated. What a page shows of its tasks and phase is
 * read for the page's rows only (pageDetailsSql), so the cost of a page does not grow with the service.
 */

export interface PlacementListRow {
  placement_id: string;
  child_ref: string;
  case_number: string | null;
  status: string;
  end_reason: string | null;
  placement_date: string;
  paused_from: string | null;
  ended_on: string | null;
  sort_key: [boolean, string, string];
}

export interface PageDetailsRow {
  placement_id: string;
  ordinary_year: number | null;
  open_tasks: number;
  overdue_tasks: number;
  next_due_on: string | null;
}

/** A list status as the read model stores it: the package's status, an annulment told apart by its reason. */
const STATUS_SQL: Record<PlacementListStatus, (arg: (v: unknown) => string) => string> = {
  active: () => `pl.status = 'active'`,
  paused: () => `pl.status = 'paused'`,
  completed: () => `pl.status = 'completed'`,
  ended: (arg) => `(pl.status = 'ended' AND pl.end_reason IS DISTINCT FROM ${arg(ANNULLED)})`,
  annulled: (arg) => `(pl.status = 'ended' AND pl.end_reason = ${arg(ANNULLED)})`,
};

export const listStatusOf = (r: Pick<PlacementListRow, 'status' | 'end_reason'>): PlacementListStatus =>
  r.status === 'ended' && r.end_reason === ANNULLED ? 'annulled' : (r.status as PlacementListStatus);

const SORT_KEY = `(c.case_number IS NULL), COALESCE(c.case_number, ''), pl.placement_id`;

export const encodeListCursor = (key: PlacementListRow['sort_key']) => encodeJsonCursor({ p: key });

function decodeListCursor(cursor: string): PlacementListRow['sort_key'] {
  const value = decodeJsonCursor(cursor);
  const key = (value as { p?: unknown } | null)?.p;
  if (
    !Array.isArray(key) ||
    key.length !== 3 ||
    typeof key[0] !== 'boolean' ||
    typeof key[1] !== 'string' ||
    key[1].length > 100 ||
    typeof key[2] !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key[2])
  )
    throw badCursor();
  return key as PlacementListRow['sort_key'];
}

/** `%`, `_` and `\` match themselves in a prefix search. */
const prefixPattern = (q: string) => `${escapeLike(q)}%`;

export function placementListSql(principal: Scoped, query: PlacementListQueryDto) {
  const params: unknown[] = [];
  const arg = (v: unknown) => (params.push(v), `$${params.length}`);
  const where = [visiblePlacementsSql(principal, params)];
  // Only the owning service's staff see its case numbers (CaseNumbers.forPlacements), as in the inbox.
  const join = `LEFT JOIN placement_case_numbers c ON c.placement_id = pl.placement_id
        AND c.service_id::text = ${arg(principal.organisation)}`;
  if (query.status) {
    const statuses = [...new Set(query.status)];
    where.push(`(${statuses.map((s) => STATUS_SQL[s](arg)).join(' OR ')})`);
  }
  if (query.q) where.push(`c.case_number ILIKE ${arg(prefixPattern(query.q))}`);
  if (query.cursor) {
    const [noNumber, number, id] = decodeListCursor(query.cursor);
    where.push(`(${SORT_KEY}) > (${arg(noNumber)}::boolean, ${arg(number)}::text, ${arg(id)}::uuid)`);
  }
  const limit = query.limit ?? DEFAULT_PLACEMENT_LIST_LIMIT;
  const text = `SELECT pl.placement_id, pl.child_ref, c.case_number, pl.status, pl.end_reason,
        pl.placement_date::text AS placement_date, pl.paused_from::text AS paused_from,
        pl.ended_on::text AS ended_on, json_build_array(${SORT_KEY}) AS sort_key
        FROM placements pl ${join}
        WHERE ${where.join(' AND ')}
        ORDER BY ${SORT_KEY} LIMIT ${arg(limit + 1)}`;
  return { text, params, limit };
}

/**
 * A page's figures, per placement: its open tasks (open, due soon, overdue), the overdue ones, the next
 * due date, and the phase (the year of ordinary follow-up begun last, from the projector's folded state;
 * read for the page's rows only, as that state is a large TOASTed jsonb).
 */
export const PAGE_DETAILS_SQL = `SELECT pg.id::text AS placement_id,
    (SELECT (ps.state->'package'->>'ordinaryYear')::int FROM projection_placement_state ps
      WHERE ps.placement_id = pg.id) AS ordinary_year,
    t.open_tasks, t.overdue_tasks, t.next_due_on
  FROM unnest($1::uuid[]) AS pg(id)
  -- Per placement, by task_inbox's primary key (a join over the whole table reads every task).
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE i.status IN ('open', 'due-soon', 'overdue'))::int AS open_tasks,
      count(*) FILTER (WHERE i.status = 'overdue')::int AS overdue_tasks,
      (min(i.due_on) FILTER (WHERE i.status IN ('open', 'due-soon', 'overdue')))::text AS next_due_on
    FROM task_inbox i WHERE i.placement_id = pg.id) t`;
