import fc from 'fast-check';
import { suppress, SUPPRESSION_K } from './suppression.js';

/*
 * Tries to re-identify small groups from what a suppressed report shows. Each generated dataset is a set
 * of tasks, each in one cell and belonging to one placement; a placement may have tasks in several
 * cells. The report shows, per cell, its placement count and task count, and the total.
 *
 * What an attacker can learn: every shown cell, the total, and by subtraction the sums over the hidden
 * cells (the only linear combination the shown figures leave open). Each of these must describe at
 * least k placements.
 */
interface Task {
  readonly cell: string;
  readonly placement: number;
}

const cells = ['a', 'b', 'c', 'd', 'e', 'f'];
const dataset = fc.array(
  fc.record({ cell: fc.constantFrom(...cells), placement: fc.integer({ min: 0, max: 40 }) }),
  { maxLength: 200 },
);

function aggregate(tasks: readonly Task[]) {
  const placements = (ts: readonly Task[]) => new Set(ts.map((t) => t.placement));
  const used = [...new Set(tasks.map((t) => t.cell))].sort();
  return {
    total: { key: 'total', placements: placements(tasks).size, tasks: tasks.length },
    cells: used.map((key) => {
      const own = tasks.filter((t) => t.cell === key);
      return { key, placements: placements(own).size, tasks: own.length };
    }),
    placementsIn: (keys: ReadonlySet<string>) => placements(tasks.filter((t) => keys.has(t.cell))).size,
  };
}

describe('small-cell suppression', () => {
  it('never shows a group of fewer than k placements, directly or by subtraction from the total', () => {
    fc.assert(
      fc.property(dataset, (tasks) => {
        const data = aggregate(tasks);
        const result = suppress(data.total, data.cells);
        if (!result.total) {
          // A small total hides everything.
          expect(data.total.placements).toBeLessThan(SUPPRESSION_K);
          expect(result.cells.every((c) => c === undefined)).toBe(true);
          return;
        }
        for (const shown of result.cells)
          if (shown) expect(shown.placements).toBeGreaterThanOrEqual(SUPPRESSION_K);
        if (result.hidden.size === 0) return;
        // total − Σ shown = Σ hidden: it must cover at least k placements.
        const shownTasks = result.cells.reduce((n, c) => n + (c?.tasks ?? 0), 0);
        const hiddenTasks = data.cells
          .filter((c) => result.hidden.has(c.key))
          .reduce((n, c) => n + c.tasks, 0);
        expect(data.total.tasks - shownTasks).toBe(hiddenTasks); // the attack works as modelled
        expect(data.placementsIn(result.hidden)).toBeGreaterThanOrEqual(SUPPRESSION_K);
        // And no single hidden cell is the whole hidden group unless it is itself large enough.
        if (result.hidden.size === 1) {
          const [only] = [...result.hidden];
          expect(data.cells.find((c) => c.key === only)?.placements).toBeGreaterThanOrEqual(SUPPRESSION_K);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('hides nothing when every cell is large enough', () => {
    const result = suppress({ key: 'total', placements: 12 }, [
      { key: 'a', placements: 5 },
      { key: 'b', placements: 7 },
    ]);
    expect(result.hidden.size).toBe(0);
  });

  it('hides a small cell together with the smallest safe cell', () => {
    const result = suppress({ key: 'total', placements: 20 }, [
      { key: 'a', placements: 2 },
      { key: 'b', placements: 9 },
      { key: 'c', placements: 6 },
    ]);
    expect([...result.hidden].sort()).toEqual(['a', 'c']);
  });
});
