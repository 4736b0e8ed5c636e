/* The inbox's views and sort orders, as the query DTO validates them and inbox-query.ts runs them. */

/** Sort keys: due date, case number, step title, completion date. */
export const INBOX_SORT_KEYS = ['dueOn', 'caseNumber', 'step', 'completedOn'] as const;
export type InboxSortKey = (typeof INBOX_SORT_KEYS)[number];
/** `sort` values: a key, ascending, or `-` and a key, descending. */
export const INBOX_SORTS = INBOX_SORT_KEYS.flatMap((k) => [k, `-${k}`]);
export const INBOX_VIEWS = ['all', 'open', 'mine', 'pool', 'done'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
