/**
 * Small-cell suppression for aggregate reports (k = 5 placements, domain doc §7).
 *
 * Primary: a cell with fewer than k placements is hidden. Secondary: task counts add up over a
 * breakdown (every breakdown partitions the tasks), so the shown cells and the total give away the sum
 * of the hidden cells; when anything is hidden, one more cell with at least k placements is hidden too,
 * so that what subtraction reveals always covers at least k placements. A total under k hides everything.
 */
export const SUPPRESSION_K = 5;

export interface CountedCell {
  readonly key: string;
  readonly placements: number;
}

export interface Suppression<T> {
  readonly total: T | undefined;
  readonly cells: readonly (T | undefined)[];
  /** Keys of the hidden cells, primary and secondary. */
  readonly hidden: ReadonlySet<string>;
}

export function suppress<T extends CountedCell>(
  total: T,
  cells: readonly T[],
  k = SUPPRESSION_K,
): Suppression<T> {
  if (total.placements < k) {
    return { total: undefined, cells: cells.map(() => undefined), hidden: new Set(cells.map((c) => c.key)) };
  }
  const hidden = new Set(cells.filter((c) => c.placements < k).map((c) => c.key));
  if (hidden.size > 0) {
    // The smallest cell that is safe on its own joins the hidden group (ties: by key, deterministic).
    const partner = cells
      .filter((c) => !hidden.has(c.key))
      .sort((a, b) => a.placements - b.placements || a.key.localeCompare(b.key))[0];
    if (partner) hidden.add(partner.key);
  }
  return { total, cells: cells.map((c) => (hidden.has(c.key) ? undefined : c)), hidden };
}

/**
 * Suppression of a breakdown nested in another one (municipalities in services, steps in tracks), so
 * that the two reports of the same period cannot be subtracted from each other: a parent shown in its
 * own report minus its shown children is the sum of its hidden children, so under every shown parent
 * the hidden children are hidden together with their smallest safe sibling (or are all its children),
 * and every child of a parent hidden in the parent's report is hidden too. What the two reports and
 * the total then give away by subtraction are sums over at least k placements: each shown parent's
 * hidden children together, and the hidden parents together (which the parent's suppression ensures).
 *
 * `parentHidden` must be the hidden keys of `suppress` on the parent breakdown of the same data; a child
 * without a known parent is hidden.
 */
export function suppressNested<T extends CountedCell>(
  total: T,
  cells: readonly T[],
  parentOf: (key: string) => string | undefined,
  parentHidden: ReadonlySet<string>,
  k = SUPPRESSION_K,
): Suppression<T> {
  if (total.placements < k) {
    return { total: undefined, cells: cells.map(() => undefined), hidden: new Set(cells.map((c) => c.key)) };
  }
  const hidden = new Set<string>();
  const siblings = new Map<string, T[]>();
  for (const c of cells) {
    const parent = parentOf(c.key);
    if (parent === undefined || parentHidden.has(parent) || c.placements < k) hidden.add(c.key);
    if (parent !== undefined && !parentHidden.has(parent)) {
      const list = siblings.get(parent) ?? [];
      list.push(c);
      siblings.set(parent, list);
    }
  }
  for (const list of siblings.values()) {
    if (!list.some((c) => hidden.has(c.key))) continue;
    const partner = list
      .filter((c) => !hidden.has(c.key))
      .sort((a, b) => a.placements - b.placements || a.key.localeCompare(b.key))[0];
    if (partner) hidden.add(partner.key);
  }
  return { total, cells: cells.map((c) => (hidden.has(c.key) ? undefined : c)), hidden };
}
