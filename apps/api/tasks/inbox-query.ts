import type { WaiverRecord } from '../../../libs/domain/package/state.js';
import { visibleTasksSql, type Scoped } from '../../../libs/security/index.js';
import { TASK_ROLES } from '../../../libs/domain/vocabulary.js';
import { ASSIGNMENT_ROLES } from '../../../libs/domain/kompetansebase/vocabulary.js';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import { badCursor, decodeJsonCursor, encodeJsonCursor, escapeLike } from '../common/cursor.js';
import { isIsoDate } from '../common/dates.js';
import { ProblemException } from '../common/problem.js';
import type { InboxSortKey, InboxView } from './inbox-options.js';
import type { InboxQueryDto } from './tasks.dto.js';

/*
 * The SQL of the inbox, built in one place: TasksService runs it, and the API benchmark
 * (bench/api.mjs) runs the very same text and parameters directly against PostgreSQL as its ceiling.
 */

export interface InboxRow {
  /** The row's sort key (inboxSql only): the next page's cursor is made of the last one's. */
  sort_key?: unknown[];
  /** What the task belongs to: a placement's care package, or a kompetansebase assignment. */
  case_kind: 'placement' | 'kompetansebase';
  /** The placement's or the assignment's id. */
  case_id: string;
  /** Null for an assignment's task (as are child_ref and service_id). */
  placement_id: string | null;
  assignment_id: string | null;
  /** An assignment's: the network of its base, its request type and the ordering service. */
  network_id: string | null;
  request_type: string | null;
  ordering_service_id: string | null;
  task_id: string;
  step_id: string;
  occurrence: number;
  title: string;
  /** Null for an assignment's task (no track), as is opens_on. */
  track: string | null;
  role: string;
  origin: string;
  assignee_id: string | null;
  opens_on: string | null;
  due_on: string;
  status: string;
  escalated: boolean;
  overdue_at_registration: boolean;
  completed_on: string | null;
  outcome: string | null;
  statutory: string | null;
  child_ref: string | null;
  service_id: string | null;
  /** The last waiver request and what became of it (libs/domain WaiverRecord), or null. */
  waiver: WaiverRecord | null;
}

/** A placement's task: the row names its placement, child, owning service and track. */
export interface PlacementInboxRow extends InboxRow {
  case_kind: 'placement';
  placement_id: string;
  assignment_id: null;
  track: string;
  opens_on: string;
  child_ref: string;
  service_id: string;
}

/** A task with what the access function needs to decide on it. */
export interface AnyTaskRow extends InboxRow {
  bufetat_help: boolean;
}

/**
 * A placement's task with what the access function needs (the task routes act on these only: they look
 * a task up by its placement).
 */
export interface TaskRow extends PlacementInboxRow {
  bufetat_help: boolean;
}

/*
 * Bufetat help is a fact of the registration; the placements read model has no column for it yet, so it
 * is read from the projector's folded state (projection_placement_state). That state is a large jsonb
 * (TOASTed), so the inbox does not select it: read for every candidate row before the sort, it cost
 * ~65 µs a task (10,000 placements: seconds per page). Only a principal whose visibility depends on it
 * (Bufetat) makes the query use `s`; for everyone else PostgreSQL removes the unused LEFT JOIN.
 */
/** What a task shows (the inbox's columns). */
export const INBOX_COLUMNS = `t.case_kind, t.case_id, t.placement_id, t.assignment_id, t.network_id,
  t.request_type, t.ordering_service_id, t.task_id, t.step_id, t.occurrence, t.title, t.track, t.role, t.origin,
  t.assignee_id, t.opens_on::text AS opens_on, t.due_on::text AS due_on, t.status, t.escalated,
  t.overdue_at_registration,
  t.completed_on::text AS completed_on, t.outcome, t.statutory, t.child_ref, t.service_id, t.waiver`;
/** A task with what the access function needs to decide on it (see TasksService.authorized). */
export const TASK_COLUMNS = `${INBOX_COLUMNS}, COALESCE(s.bufetat_help, false) AS bufetat_help`;
export const TASK_FROM = `inbox_tasks t LEFT JOIN LATERAL (
    SELECT (ps.state->'package'->'facts'->>'bufetatHelp')::boolean AS bufetat_help
      FROM projection_placement_state ps WHERE ps.placement_id = t.placement_id) s ON true`;

export const DEFAULT_INBOX_LIMIT = 50;

/** How far back «done» looks: tasks completed in the last 30 days (today in Oslo included). */
export const DONE_DAYS = 30;

/** A task not closed: what the «mine» and «pool» views list. */
const NOT_CLOSED = `t.status IN ('planned', 'open', 'due-soon', 'overdue')`;

/** One column of a sort key: its SQL, the type its cursor value is cast to, and the check of that value. */
interface KeyPart {
  readonly sql: string;
  readonly cast: 'date' | 'uuid' | 'text' | 'boolean';
  readonly valid: (value: unknown) => boolean;
}

const text = (value: unknown) => typeof value === 'string' && value.length <= 300;
const TIE: readonly KeyPart[] = [
  { sql: 't.due_on', cast: 'date', valid: isIsoDate },
  { sql: 't.case_id', cast: 'uuid', valid: (v) => /^[0-9a-f-]{36}$/i.test(String(v)) },
  { sql: 't.task_id', cast: 'text', valid: text },
];

/** The sort orders of the inbox, each ending in the due date and the task's key (so every row has one place). */
const SORT_KEYS = {
  dueOn: TIE,
  // Tasks of placements without a case number the reader may see (another service's) come last.
  caseNumber: [
    { sql: '(c.case_number IS NULL)', cast: 'boolean', valid: (v) => typeof v === 'boolean' },
    { sql: `COALESCE(c.case_number, '')`, cast: 'text', valid: text },
    ...TIE,
  ],
  step: [{ sql: 't.title', cast: 'text', valid: text }, ...TIE],
  completedOn: [
    { sql: `COALESCE(t.completed_on, DATE '1900-01-01')`, cast: 'date', valid: isIsoDate },
    ...TIE,
  ],
} satisfies Record<InboxSortKey, readonly KeyPart[]>;

/** A cursor: the sort it was made for and the sort key of the last row of its page. */
function decodeCursor(cursor: string, sort: string): unknown[] {
  const value = decodeJsonCursor(cursor);
  const parts = sortParts(sort);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badCursor();
  const { s, k } = value as { s?: unknown; k?: unknown };
  if (typeof s !== 'string' || !Array.isArray(k)) throw badCursor();
  if (s !== sort) throw badCursor('hører til en annen sortering (hent første side på nytt)');
  if (k.length !== parts.length || !parts.every((p, i) => p.valid(k[i]))) throw badCursor();
  return k;
}

const sortParts = (sort: string): readonly KeyPart[] =>
  SORT_KEYS[sort.replace(/^-/, '') as InboxSortKey] ?? SORT_KEYS.dueOn;

export const encodeCursor = (sort: string, sortKey: unknown[]) => encodeJsonCursor({ s: sort, k: sortKey });

/** `%`, `_` and `\` match themselves in a search. */
const likePattern = (q: string) => `%${escapeLike(q)}%`;

export interface InboxSql {
  readonly text: string;
  readonly params: unknown[];
  /** The page size; the query asks for one row more, to know whether there is a next page. */
  readonly limit: number;
  /** The sort the page is in (its cursor carries it). */
  readonly sort: string;
}

/** Roles whose pools hold tasks: a care package's, and a kompetansebase base's staff. */
const POOL_ROLES: readonly string[] = [...TASK_ROLES, ...ASSIGNMENT_ROLES];

/** The roles whose pool a principal works from (their task roles). */
const poolRoles = (principal: Scoped) => principal.roles.filter((r) => POOL_ROLES.includes(r));

/**
 * A view's condition on visible tasks (`t`): «mine» is what is assigned to me, or lies in my role's pool
 * in a placement I work with (one where I hold, or held, a task), or in my role's pool at my kompetansebase
 * (its tasks are not assigned to one counsellor), and for the base's leader its escalated tasks; «pool» every unassigned task of my roles
 * I may see; «done» what was completed in the last DONE_DAYS days; «open» every visible task not closed;
 * «all» every visible task.
 */
/** «Mine» of a kompetansebase assignment's tasks (visibility has already kept them to the own base). */
function assignmentMine(principal: Scoped, arg: (v: unknown) => string): string {
  const roles = principal.roles.filter((r) => (ASSIGNMENT_ROLES as readonly string[]).includes(r));
  if (roles.length === 0) return '';
  const escalated = roles.includes('kompetansebase-leder') ? ' OR t.escalated' : '';
  return ` OR (t.case_kind = 'kompetansebase' AND t.assignee_id IS NULL
        AND (t.role = ANY(${arg(roles)}::text[])${escalated}))`;
}

export function viewSql(
  view: InboxView,
  principal: Scoped,
  arg: (v: unknown) => string,
  today: string,
): string {
  switch (view) {
    case 'mine': {
      const me = arg(principal.userId);
      return `${NOT_CLOSED} AND (t.assignee_id = ${me} OR (t.assignee_id IS NULL
        AND t.role = ANY(${arg(poolRoles(principal))}::text[])
        AND EXISTS (SELECT 1 FROM task_inbox m WHERE m.assignee_id = ${me} AND m.placement_id = t.placement_id))${assignmentMine(principal, arg)})`;
    }
    case 'pool':
      return `${NOT_CLOSED} AND t.assignee_id IS NULL AND t.role = ANY(${arg(poolRoles(principal))}::text[])`;
    case 'done':
      return `t.status = 'completed' AND t.completed_on > ${arg(addDays(today, -DONE_DAYS))}::date`;
    case 'open':
      return NOT_CLOSED;
    case 'all':
      return 'true';
  }
}

const caseNumberJoin = (principal: Scoped, arg: (v: unknown) => string) =>
  // Only the owning service's staff see a placement's case number (CaseNumbers.forPlacements), so only
  // they can sort or search by it.
  ` LEFT JOIN placement_case_numbers c ON c.placement_id = t.placement_id AND c.service_id::text = ${arg(principal.organisation)}`;

/** The principal's inbox query: visible tasks only, in the asked sort (soonest due first), keyset-paginated. */
export function inboxSql(principal: Scoped, query: InboxQueryDto, today = osloDateOf(Date.now())): InboxSql {
  if (query.dueFrom && query.dueTo && query.dueFrom > query.dueTo)
    throw new ProblemException(400, 'Ugyldig datoområde.', [
      { field: 'dueTo', reason: 'kan ikke være før fra-datoen (dueFrom)' },
    ]);
  const params: unknown[] = [];
  const arg = (v: unknown) => (params.push(v), `$${params.length}`);
  const sort = query.sort ?? 'dueOn';
  const parts = sortParts(sort);
  const descending = sort.startsWith('-');
  const needsCaseNumber = sort.replace(/^-/, '') === 'caseNumber' || Boolean(query.q);
  const join = needsCaseNumber ? caseNumberJoin(principal, arg) : '';
  const where = [visibleTasksSql(principal, params)];
  if (query.view && query.view !== 'all') where.push(viewSql(query.view, principal, arg, today));
  if (query.status) where.push(`t.status = ${arg(query.status)}`);
  if (query.dueFrom) where.push(`t.due_on >= ${arg(query.dueFrom)}::date`);
  if (query.dueTo) where.push(`t.due_on <= ${arg(query.dueTo)}::date`);
  if (query.track) where.push(`t.track = ${arg(query.track)}`);
  if (query.role) where.push(`t.role = ${arg(query.role)}`);
  if (query.assignee === 'none') where.push(`t.assignee_id IS NULL`);
  else if (query.assignee)
    where.push(`t.assignee_id = ${arg(query.assignee === 'me' ? principal.userId : query.assignee)}`);
  if (query.placementId) where.push(`t.placement_id = ${arg(query.placementId)}::uuid`);
  if (query.q) {
    const pattern = arg(likePattern(query.q));
    where.push(`(t.title ILIKE ${pattern} OR c.case_number ILIKE ${pattern})`);
  }
  const key = `(${parts.map((p) => p.sql).join(', ')})`;
  if (query.cursor) {
    const after = decodeCursor(query.cursor, sort);
    const values = parts.map((p, i) => `${arg(after[i])}::${p.cast}`);
    where.push(`${key} ${descending ? '<' : '>'} (${values.join(', ')})`);
  }
  const limit = query.limit ?? DEFAULT_INBOX_LIMIT;
  const order = parts.map((p) => `${p.sql}${descending ? ' DESC' : ''}`).join(', ');
  const text = `SELECT ${INBOX_COLUMNS}, json_build_array${key} AS sort_key FROM ${TASK_FROM}${join}
        WHERE ${where.join(' AND ')}
        ORDER BY ${order} LIMIT ${arg(limit + 1)}`;
  return { text, params, limit, sort };
}

/** How many tasks each view of the principal's inbox holds (same visibility as the listing). */
export function inboxCountsSql(principal: Scoped, today = osloDateOf(Date.now())): InboxSql {
  const params: unknown[] = [];
  const arg = (v: unknown) => (params.push(v), `$${params.length}`);
  const visible = visibleTasksSql(principal, params);
  const mine = viewSql('mine', principal, arg, today);
  const pool = viewSql('pool', principal, arg, today);
  const done = viewSql('done', principal, arg, today);
  const text = `SELECT count(*) FILTER (WHERE ${mine})::int AS mine, count(*) FILTER (WHERE ${pool})::int AS pool,
        count(*) FILTER (WHERE ${done})::int AS done
        FROM ${TASK_FROM} WHERE ${visible} AND (${NOT_CLOSED} OR t.status = 'completed')`;
  return { text, params, limit: 0, sort: 'dueOn' };
}
