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
