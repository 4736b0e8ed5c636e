import { addDays, diffDays, yearOf } from '../calendar/dates.js';
import { norwegianWorkingDays } from '../calendar/working-days.js';
import { CATALOG_2026_1, DEFAULT_CATALOG, DEFAULT_ORDINARY_FOLLOW_UP } from '../catalog/default-catalog.js';
import { validateCatalog } from '../catalog/validate.js';
import type { PackageEvent } from '../events.js';
import { countedVisits } from '../package/decide.js';
import { fold, type PackageState } from '../package/state.js';
import type { PlannedTask } from '../plan.js';
import { statutoryLedger } from '../statutory/ledger.js';
import { dutySegment, statutoryRequirement } from '../statutory/rule.js';
import { STATUTORY_KINDS, type IsoDate, type PlacementFacts } from '../vocabulary.js';
import { planFollowUps } from './plan-follow-ups.js';
import { planOrdinaryYear, type CountedVisit } from './plan-ordinary.js';
import { planPackage } from './plan-package.js';
import { facts } from './test-support.js';

const calendar = norwegianWorkingDays();
const at = (date: IsoDate) => `${date}T10:00:00.000Z`;

/** A package planned and carried out on its due dates (every statutory visit done on its due day). */
function packageDone(f: PlacementFacts): { tasks: PlannedTask[]; visits: CountedVisit[] } {
  const tasks = planPackage(DEFAULT_CATALOG, { facts: f, reductions: [] }, calendar);
  const visits = tasks.flatMap((t) =>
    t.statutory ? [{ kind: t.statutory, dueOn: t.dueOn, completedOn: t.dueOn }] : [],
  );
  return { tasks, visits };
}

const statutory = (tasks: readonly PlannedTask[], kind: string) => tasks.filter((t) => t.statutory === kind);

describe('ordinary follow-up: catalog part', () => {
  it('is valid data, and catalogs without it fall back to the built-in part', () => {
    expect(validateCatalog({ ...DEFAULT_CATALOG, ordinaryFollowUp: DEFAULT_ORDINARY_FOLLOW_UP })).toEqual([]);
    expect(CATALOG_2026_1.ordinaryFollowUp).toBeUndefined();
    const plan = planOrdinaryYear(
      CATALOG_2026_1,
      { facts: facts(), reductions: [], year: 2027, from: '2027-01-01', visits: [] },
      calendar,
    );
    expect(plan.tasks.map((t) => t.stepId)).toContain('ordinaer-oppfolgingsbesok');
  });

  it('refuses a part without one statutory step per kind, or reusing a package id', () => {
    const steps = DEFAULT_ORDINARY_FOLLOW_UP.steps.filter((s) => s.statutory !== 'tilsynsbesok');
    const issues = validateCatalog({ ...DEFAULT_CATALOG, ordinaryFollowUp: { steps } });
    expect(issues.map((i) => i.path)).toContain('ordinaryFollowUp.steps');
    const dup = validateCatalog({
      ...DEFAULT_CATALOG,
      ordinaryFollowUp: {
        steps: [...DEFAULT_ORDINARY_FOLLOW_UP.steps, { ...DEFAULT_CATALOG.steps[0] }],
      },
    });
    expect(dup.map((i) => i.message).join(' ')).toMatch(/brukt i pakken/);
  });
});

describe('planOrdinaryYear', () => {
  it('plans only what the package did not have due in the year, to the whole year’s requirement', () => {
    const f = facts({ placementDate: '2026-03-02' });
    const { visits } = packageDone(f);
    const plan = planOrdinaryYear(
      DEFAULT_CATALOG,
      { facts: f, reductions: [], year: 2027, from: '2027-04-20', visits },
      calendar,
    );
    for (const kind of STATUTORY_KINDS) {
      const fromPackage = visits.filter((v) => v.kind === kind && yearOf(v.dueOn) === 2027).length;
      expect(plan.required[kind]).toBe(4); // the whole year, never two rounded halves
      expect(fromPackage + statutory(plan.tasks, kind).length).toBe(4);
      for (const t of statutory(plan.tasks, kind)) {
        expect(calendar.isWorkingDay(t.dueOn)).toBe(true);
        expect(t.dueOn >= '2027-04-20' && t.dueOn <= '2027-12-31').toBe(true);
      }
    }
    // The cadence continues from the package's last visit: the first ordinary visit ≤ 105 days after it.
    const last = visits.filter((v) => v.kind === 'oppfolgingsbesok').at(-1)!.dueOn;
    const first = statutory(plan.tasks, 'oppfolgingsbesok')[0].dueOn;
    expect(diffDays(last, first)).toBeLessThanOrEqual(105);
    // The yearly evaluation falls on the anniversary (2 March): before ordinary follow-up began this year.
    expect(plan.tasks.some((t) => t.stepId === 'arlig-evaluering-omsorgsplan')).toBe(false);
  });

  it('a whole later year: four of each, 91 days apart from the last, ids naming the year', () => {
    const f = facts({ placementDate: '2025-06-10', placementType: 'frivillig' });
    const plan = planOrdinaryYear(
      DEFAULT_CATALOG,
      {
        facts: f,
        reductions: [],
        year: 2028,
        from: '2028-01-01',
        visits: [
          { kind: 'oppfolgingsbesok', dueOn: '2027-11-15', completedOn: '2027-11-15' },
          { kind: 'tilsynsbesok', dueOn: '2027-12-01' },
        ],
      },
      calendar,
    );
    expect(statutory(plan.tasks, 'oppfolgingsbesok').map((t) => t.taskId)).toEqual([
      'ordinaer-oppfolgingsbesok#202801',
      'ordinaer-oppfolgingsbesok#202802',
      'ordinaer-oppfolgingsbesok#202803',
      'ordinaer-oppfolgingsbesok#202804',
    ]);
    expect(statutory(plan.tasks, 'oppfolgingsbesok')[0].nominalDueOn).toBe(addDays('2027-11-15', 91));
    expect(statutory(plan.tasks, 'tilsynsbesok')).toHaveLength(4);
    expect(plan.tasks.find((t) => t.stepId === 'arlig-evaluering-tiltaksplan')?.nominalDueOn).toBe(
      '2028-06-10',
    );
    expect(plan.tasks.some((t) => t.stepId === 'arlig-evaluering-omsorgsplan')).toBe(false);
  });

  it('registered mid-year: the visits done this year count and become tasks, the rest is planned', () => {
    const plan = planOrdinaryYear(
      DEFAULT_CATALOG,
      {
        facts: facts({ placementDate: '2019-05-01' }),
        reductions: [],
        year: 2026,
        from: '2026-06-15',
        visits: [],
        doneThisYear: [
          { kind: 'oppfolgingsbesok', on: '2026-02-10' },
          { kind: 'oppfolgingsbesok', on: '2026-05-05' },
          { kind: 'tilsynsbesok', on: '2026-03-01' },
        ],
      },
      calendar,
    );
    expect(plan.required).toEqual({ oppfolgingsbesok: 4, tilsynsbesok: 4 });
    expect(plan.done).toEqual([
      { taskId: 'ordinaer-oppfolgingsbesok#202601', completedOn: '2026-02-10' },
      { taskId: 'ordinaer-oppfolgingsbesok#202602', completedOn: '2026-05-05' },
      { taskId: 'ordinaer-tilsynsbesok#202601', completedOn: '2026-03-01' },
    ]);
    expect(statutory(plan.tasks, 'oppfolgingsbesok')).toHaveLength(4);
    expect(statutory(plan.tasks, 'tilsynsbesok')).toHaveLength(4);
    const ahead = statutory(plan.tasks, 'oppfolgingsbesok').filter((t) => t.dueOn >= '2026-06-15');
    expect(ahead).toHaveLength(2);
    expect(ahead[0].nominalDueOn).toBe(addDays('2026-05-05', 91));
  });

  it('a reduction lowers the minimum from its effective date; supervision stops with its month', () => {
    const f = facts({ placementDate: '2024-01-15' });
    const plan = planOrdinaryYear(
      DEFAULT_CATALOG,
      {
        facts: f,
        reductions: [{ kind: 'oppfolgingsbesok', minimumPerYear: 2, effectiveFrom: '2027-01-01' }],
        year: 2027,
        from: '2027-01-01',
        supervisionEndsMonth: '2027-05',
        visits: [{ kind: 'oppfolgingsbesok', dueOn: '2026-12-01', completedOn: '2026-12-01' }],
      },
      calendar,
    );
    expect(plan.required.oppfolgingsbesok).toBe(2);
    expect(statutory(plan.tasks, 'oppfolgingsbesok')).toHaveLength(2);
    // 1 January to 31 May 2027: 151 days → round(4 × 151 / 365) = 2.
    expect(plan.required.tilsynsbesok).toBe(2);
    expect(statutory(plan.tasks, 'tilsynsbesok').every((t) => t.dueOn <= '2027-05-31')).toBe(true);
    const after = planOrdinaryYear(
      DEFAULT_CATALOG,
      {
        facts: f,
        reductions: [],
        year: 2028,
        from: '2028-01-01',
        supervisionEndsMonth: '2027-05',
        visits: [],
      },
      calendar,
    );
    expect(statutory(after.tasks, 'tilsynsbesok')).toEqual([]);
    expect(statutory(after.tasks, 'oppfolgingsbesok')).toHaveLength(4);
  });
});

function state(f: PlacementFacts, tasks: readonly PlannedTask[]): PackageState {
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p',
        childRef: 'c',
        organisation: { serviceId: 's', municipalityId: 'm' },
        facts: f,
        catalogVersion: DEFAULT_CATALOG.version,
        by: { userId: 'u', role: 'kontaktperson' },
        at: at(f.placementDate),
      },
    },
    { type: 'TasksPlanned', data: { tasks, reason: 'registered', at: at(f.placementDate) } },
  ])!;
}

/**
 * The rule over EVERY placement date of two years (731 plans), not samples: the package, then the
 * ordinary follow-up of the year the package ends and of the next three, each visit done on its due day.
 * Every year of the placement then has exactly its `statutoryRequirement` (over the whole year's segment)
 * of each kind due in it, the statutory ledger says so for each year, no visit is due on a non-working
 * day, and consecutive visits of a kind in ordinary follow-up are at most 105 days apart.
 */
describe('planOrdinaryYear over every placement date (sweep)', () => {
  it('meets the one statutory rule in every year after the package', () => {
    const problems: string[] = [];
    for (let date = '2025-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      const f = facts({ placementDate: date, childAgeYears: 9 });
      const { tasks } = packageDone(f);
      let s = state(f, tasks);
      const done: PackageEvent[] = tasks
        .filter((t) => t.statutory)
        .map((t) => ({
          type: 'TaskCompleted',
          data: {
            taskId: t.taskId,
            at: at(t.dueOn),
            completedOn: t.dueOn,
            outcome: 'gjennomfort',
            by: { userId: 'u', role: 'kontaktperson' },
          },
        }));
      s = fold(done, s)!;
      const firstYear = yearOf(addDays(date, 364));
      for (let year = firstYear; year <= firstYear + 3; year++) {
        const from = year === firstYear ? addDays(date, 365) : `${year}-01-01`;
        const plan = planOrdinaryYear(
          DEFAULT_CATALOG,
          {
            facts: f,
            reductions: [],
            year,
            from: yearOf(from) === year ? from : `${year}-01-01`,
            visits: countedVisits(s),
          },
          calendar,
        );
        const events: PackageEvent[] = [
          { type: 'OrdinaryYearPlanned', data: { year, from, required: plan.required, at: at(from) } },
          { type: 'TasksPlanned', data: { tasks: plan.tasks, reason: 'ordinary', at: at(from) } },
          ...plan.tasks
            .filter((t) => t.statutory)
            .map((t): PackageEvent => ({
              type: 'TaskCompleted',
              data: {
                taskId: t.taskId,
                at: at(t.dueOn),
                completedOn: t.dueOn,
                outcome: 'gjennomfort',
                by: { userId: 'u', role: 'kontaktperson' },
              },
            })),
        ];
        s = fold(events, s)!;
        for (const t of plan.tasks)
          if (t.statutory && !calendar.isWorkingDay(t.dueOn))
            problems.push(`${date}: ${t.taskId} on ${t.dueOn}`);
        for (const kind of STATUTORY_KINDS) {
          const segment = dutySegment(kind, year, { placementDate: date, periodEnd: `${year}-12-31` })!;
          const required = statutoryRequirement(kind, segment, []);
          const due = Object.values(s.tasks).filter((t) => t.statutory === kind && yearOf(t.dueOn) === year);
          const fromPackage = due.some((t) => !t.stepId.startsWith('ordinaer-'));
          // A year the package has visits in may have one more (the package's own rule); later years exactly.
          if (due.length < required || due.length > required + (fromPackage ? 1 : 0))
            problems.push(`${date} ${year} ${kind}: ${due.length} due, ${required} required`);
          const dates = Object.values(s.tasks)
            .filter((t) => t.statutory === kind && t.stepId.startsWith('ordinaer-'))
            .map((t) => t.dueOn)
            .sort();
          for (let i = 1; i < dates.length; i++)
            if (diffDays(dates[i - 1], dates[i]) > 105)
              problems.push(`${date} ${kind}: gap ${dates[i - 1]}→${dates[i]}`);
        }
      }
      for (const row of statutoryLedger(s, null))
        if (row.year > firstYear && row.planned !== row.required && row.year <= firstYear + 3)
          problems.push(
            `${date} ledger ${row.year} ${row.kind}: planned ${row.planned}, required ${row.required}`,
          );
      // The private talk follows each ordinary follow-up visit (a child of 9).
      const visit = Object.values(s.tasks).find((t) => t.stepId === 'ordinaer-oppfolgingsbesok')!;
      const talk = planFollowUps(DEFAULT_CATALOG, f, visit, visit.dueOn, calendar);
      if (talk.map((t) => t.taskId).join() !== `ordinaer-barnesamtale#${visit.occurrence}`)
        problems.push(`${date}: talk ${talk.map((t) => t.taskId).join()}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});

/**
 * Registered into ordinary follow-up on any day (`from`) of two years, with the placement's anniversary
 * a week either side of it: nothing the year's plan holds is due or opens before `from`, and every due
 * day is a working day. (A child registered on a Saturday that is its placement's anniversary would
 * otherwise start with the yearly evaluation overdue, moved back to the Friday.)
 */
describe('planOrdinaryYear from any registration day (sweep)', () => {
  it('plans nothing due or opening before the day it starts from', () => {
    const problems: string[] = [];
    for (let from = '2026-01-01'; from <= '2027-12-31'; from = addDays(from, 1)) {
      for (let shift = -7; shift <= 7; shift++) {
        const placementDate = addDays(from, shift - 3 * 365);
        const f = facts({ placementDate, childAgeYears: 9, legalBasis: 'omsorgsovertakelse' });
        const year = yearOf(from);
        const { tasks } = planOrdinaryYear(
          DEFAULT_CATALOG,
          { facts: f, reductions: [], year, from, visits: [] },
          calendar,
        );
        for (const t of tasks) {
          if (t.dueOn < from || t.opensOn < from)
            problems.push(`${placementDate} from ${from}: ${t.taskId} opens ${t.opensOn}, due ${t.dueOn}`);
          if (!calendar.isWorkingDay(t.dueOn))
            problems.push(`${placementDate} from ${from}: ${t.taskId} on ${t.dueOn}`);
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
