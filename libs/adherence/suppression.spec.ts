import fc from 'fast-check';
import { suppress, suppressNested, SUPPRESSION_K } from './suppression.js';

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

/*
 * Cross-report differencing. A learning-network lead can ask one period (a whole calendar quarter: no
 * period contains another, see ReportWindows) for every breakdown: the total, services and their
 * municipalities, tracks and their steps, and months. The attacker knows every shown figure of all these
 * reports and how the breakdowns nest, and combines them linearly in any way (subtracting cells and
 * totals across reports, e.g. a service minus its shown municipalities). The unknowns are the task
 * counts of every combination (municipality × step × month); what the attacker can compute exactly is
 * the span of the shown cells. It must not contain any group of fewer than k placements: not a hidden
 * cell, not any cross-classified cell (service × month, municipality × step, …), not any union of hidden
 * cells of one report.
 */
interface FineTask {
  readonly placement: number;
  readonly muni: number;
  readonly step: number;
  readonly month: number;
}

const MUNI_SERVICE = ['S1', 'S1', 'S2', 'S3', 'S3'];
const STEP_TRACK = ['T1', 'T1', 'T2', 'T3', 'T3'];
const MONTHS = 3;
/** Placements, each in one municipality, with tasks of any step in any month of the quarter. */
const fineDataset = fc
  .array(
    fc.record({
      muni: fc.integer({ min: 0, max: MUNI_SERVICE.length - 1 }),
      tasks: fc.array(
        fc.record({
          step: fc.integer({ min: 0, max: STEP_TRACK.length - 1 }),
          month: fc.integer({ min: 0, max: MONTHS - 1 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
    { minLength: 5, maxLength: 40 },
  )
  .map((placements) =>
    placements.flatMap((p, placement): FineTask[] => p.tasks.map((t) => ({ placement, muni: p.muni, ...t }))),
  );

/** A set of fine combinations, by predicate over (muni, step, month). */
type Region = (muni: number, step: number, month: number) => boolean;
const DIMS = MUNI_SERVICE.length * STEP_TRACK.length * MONTHS;
const vectorOf = (region: Region): number[] => {
  const v: number[] = [];
  for (let m = 0; m < MUNI_SERVICE.length; m++)
    for (let s = 0; s < STEP_TRACK.length; s++)
      for (let t = 0; t < MONTHS; t++) v.push(region(m, s, t) ? 1 : 0);
  return v;
};

/**
 * Row-reduced basis over GF(p), p prime: the rank over the rationals unless p divides a minor of the
 * 0/1 matrix (improbable at this size), with exact integer arithmetic.
 */
const P = 1_000_003;
/** a^(p−2) mod p: the inverse of a (Fermat). */
const inv = (a: number) => {
  let r = 1;
  let x = a % P;
  for (let e = P - 2; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = (r * x) % P;
    x = (x * x) % P;
  }
  return r;
};
class Span {
  private readonly rows: { pivot: number; v: number[] }[] = [];
  /** v minus its projection on the span: all zero iff v lies in the span. */
  reduce(vector: readonly number[]): number[] {
    const v = [...vector];
    for (const { pivot, v: row } of this.rows) {
      const f = v[pivot] ?? 0;
      if (f === 0) continue;
      for (let i = 0; i < DIMS; i++) v[i] = ((((v[i] ?? 0) - f * (row[i] ?? 0)) % P) + P) % P;
    }
    return v;
  }
  add(vector: readonly number[]): void {
    const v = this.reduce(vector);
    const pivot = v.findIndex((x) => x !== 0);
    if (pivot < 0) return;
    const s = inv(v[pivot] ?? 1);
    this.rows.push({ pivot, v: v.map((x) => (x * s) % P) });
  }
  contains(vector: readonly number[]): boolean {
    return this.reduce(vector).every((x) => x === 0);
  }
}

/**
 * The attack: every report of the period for one dataset, then every group of fewer than k placements
 * (with tasks) that the span of the shown cells contains. `nestedMunicipalities: false` suppresses the
 * municipalities on their own, as the single-report suppression does.
 */
function attack(tasks: readonly FineTask[], nestedMunicipalities = true): string[] {
  const placementsIn = (region: Region) =>
    new Set(tasks.filter((t) => region(t.muni, t.step, t.month)).map((t) => t.placement)).size;
  const tasksIn = (region: Region) => tasks.filter((t) => region(t.muni, t.step, t.month)).length;
  const cellsOf = (keys: readonly string[], regionOf: (key: string) => Region) =>
    keys
      .map((key) => ({ key, placements: placementsIn(regionOf(key)), region: regionOf(key) }))
      .filter((c) => tasksIn(c.region) > 0); // a report lists the cells that have tasks
  const total = { key: 'total', placements: placementsIn(() => true) };

  const services = cellsOf([...new Set(MUNI_SERVICE)], (k) => (m) => MUNI_SERVICE[m] === k);
  const munis = cellsOf(
    MUNI_SERVICE.map((_, i) => `m${i}`),
    (k) => (m) => `m${m}` === k,
  );
  const tracks = cellsOf([...new Set(STEP_TRACK)], (k) => (_m, s) => STEP_TRACK[s] === k);
  const steps = cellsOf(
    STEP_TRACK.map((_, i) => `x${i}`),
    (k) => (_m, s) => `x${s}` === k,
  );
  const months = cellsOf(
    Array.from({ length: MONTHS }, (_, i) => `t${i}`),
    (k) => (_m, _s, t) => `t${t}` === k,
  );
  const serviceCut = suppress(total, services);
  const trackCut = suppress(total, tracks);
  const reports = [
    { cells: services, cut: serviceCut },
    {
      cells: munis,
      cut: nestedMunicipalities
        ? suppressNested(total, munis, (k) => MUNI_SERVICE[Number(k.slice(1))], serviceCut.hidden)
        : suppress(total, munis),
    },
    { cells: tracks, cut: trackCut },
    {
      cells: steps,
      cut: suppressNested(total, steps, (k) => STEP_TRACK[Number(k.slice(1))], trackCut.hidden),
    },
    { cells: months, cut: suppress(total, months) },
  ];

  const span = new Span();
  if (total.placements >= SUPPRESSION_K) span.add(vectorOf(() => true));
  for (const { cells: list, cut } of reports) {
    if (!cut.total) expect(cut.hidden.size).toBe(list.length);
    for (const c of list) {
      if (cut.hidden.has(c.key)) continue;
      expect(c.placements).toBeGreaterThanOrEqual(SUPPRESSION_K);
      span.add(vectorOf(c.region));
    }
  }

  const leaks: string[] = [];
  const check = (name: string, region: Region) => {
    const n = placementsIn(region);
    if (tasksIn(region) > 0 && n < SUPPRESSION_K && span.contains(vectorOf(region)))
      leaks.push(`${name}: ${n} placements`);
  };
  // Every cross-classified cell: municipality or service or all × step or track or all × month or all.
  const geo: [string, (m: number) => boolean][] = [
    ['*', () => true],
    ...[...new Set(MUNI_SERVICE)].map((s): [string, (m: number) => boolean] => [
      s,
      (m) => MUNI_SERVICE[m] === s,
    ]),
    ...MUNI_SERVICE.map((_, i): [string, (m: number) => boolean] => [`m${i}`, (m) => m === i]),
  ];
  const task: [string, (s: number) => boolean][] = [
    ['*', () => true],
    ...[...new Set(STEP_TRACK)].map((t): [string, (s: number) => boolean] => [t, (s) => STEP_TRACK[s] === t]),
    ...STEP_TRACK.map((_, i): [string, (s: number) => boolean] => [`x${i}`, (s) => s === i]),
  ];
  const time: [string, (t: number) => boolean][] = [
    ['*', () => true],
    ...Array.from({ length: MONTHS }, (_, i): [string, (t: number) => boolean] => [`t${i}`, (t) => t === i]),
  ];
  for (const [g, inG] of geo)
    for (const [x, inX] of task)
      for (const [t, inT] of time) check(`${g}×${x}×${t}`, (m, s, mo) => inG(m) && inX(s) && inT(mo));
  // Every union of hidden cells of one report.
  for (const { cells: list, cut } of reports) {
    const hiddenCells = list.filter((c) => cut.hidden.has(c.key));
    for (let mask = 1; mask < 1 << hiddenCells.length; mask++) {
      const chosen = hiddenCells.filter((_, i) => mask & (1 << i));
      check(chosen.map((c) => c.key).join('+'), (m, s, t) => chosen.some((c) => c.region(m, s, t)));
    }
  }
  return leaks;
}

describe('small-cell suppression across the reports of one period', () => {
  it('leaves no group of fewer than k placements computable by combining the reports', () => {
    fc.assert(
      fc.property(fineDataset, (tasks) => {
        expect(attack(tasks)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the leak that single-report suppression leaves (the attack works)', () => {
    // S1 = m0 (2 placements) + m1 (8); S2 = m2 (6); S3 = m3 (7). Suppressed on their own, the
    // municipalities hide m0 with m2, and S1 − m1 = m0.
    const placements = [
      ...Array.from({ length: 2 }, () => 0),
      ...Array.from({ length: 8 }, () => 1),
      ...Array.from({ length: 6 }, () => 2),
      ...Array.from({ length: 7 }, () => 3),
    ];
    const tasks = placements.map((muni, placement) => ({ placement, muni, step: placement % 5, month: 0 }));
    expect(attack(tasks, false)).toContain('m0×*×*: 2 placements');
    expect(attack(tasks)).toEqual([]);
  });

  it('shows what it guards against: without nesting, a service minus its municipalities is a small group', () => {
    // S1 = m0 (2 placements) + m1 (8 placements); S1 and S2 are large. Flat suppression of the
    // municipalities hides m0 with the smallest safe municipality anywhere (m2, in S2), so
    // S1 − m1 = m0: two placements. Nested suppression hides m1 with m0 instead.
    const total = { key: 'total', placements: 20 };
    const munis = [
      { key: 'm0', placements: 2 },
      { key: 'm1', placements: 8 },
      { key: 'm2', placements: 6 },
      { key: 'm3', placements: 7 },
    ];
    const parent = (k: string) => (k === 'm0' || k === 'm1' ? 'S1' : 'S2');
    expect([...suppress(total, munis).hidden].sort()).toEqual(['m0', 'm2']);
    expect([...suppressNested(total, munis, parent, new Set()).hidden].sort()).toEqual(['m0', 'm1']);
    expect([...suppressNested(total, munis, parent, new Set(['S2'])).hidden].sort()).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
    ]);
  });
});
