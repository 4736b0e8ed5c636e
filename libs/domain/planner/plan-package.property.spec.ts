import fc from 'fast-check';
import { addDays, diffDays } from '../calendar/dates.js';
import { osloWallClock } from '../calendar/oslo-time.js';
import { norwegianWorkingDays } from '../calendar/working-days.js';
import { effectiveOffsetDays } from '../catalog/applicability.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { DEFAULT_PLANNING_POLICY, type PlannedTask, type ReductionDecision } from '../plan.js';
import {
  LEGAL_BASES,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  type IsoDate,
  type PlacementFacts,
} from '../vocabulary.js';
import { occurrenceDays } from './occurrences.js';
import { planFollowUps } from './plan-follow-ups.js';
import { planPackage } from './plan-package.js';
import { statutoryPeriod, statutoryRequirement, yearSegments } from '../statutory/rule.js';

/**
 * Properties of the planner over placement dates 2025-01-01..2035-12-31, every placement type and
 * random facts, with and without recorded reductions.
 */
const calendar = norwegianWorkingDays();
const RUNS = { numRuns: 200 };
const FIRST = '2025-01-01';
const LAST = '2035-12-31';
const { packageDays } = DEFAULT_PLANNING_POLICY;

const arbDate = (from: IsoDate, to: IsoDate) =>
  fc.integer({ min: 0, max: diffDays(from, to) }).map((n) => addDays(from, n));

const arbFacts: fc.Arbitrary<PlacementFacts> = fc
  .record({
    placementType: fc.constantFrom(...PLACEMENT_TYPES),
    legalBasis: fc.constantFrom(...LEGAL_BASES),
    placementDate: arbDate(FIRST, LAST),
    childAgeYears: fc.integer({ min: 0, max: 19 }),
    samvaer: fc.boolean(),
    parentsReachable: fc.boolean(),
    inSchoolOrKindergarten: fc.boolean(),
    bufetatHelp: fc.boolean(),
    beredskapshjem: fc.boolean(),
  })
  .map((f) =>
    // Care orders and voluntary placements have their own basis; emergency and kinship ones either.
    f.placementType === 'omsorgsovertakelse' || f.placementType === 'frivillig'
      ? { ...f, legalBasis: f.placementType }
      : f,
  );

/** Facts plus one to three reductions, effective from a month before to a month after the package. */
const arbReduced = arbFacts.chain((facts) =>
  fc.tuple(
    fc.constant(facts),
    fc.array(
      fc.record({
        kind: fc.constantFrom(...STATUTORY_KINDS),
        minimumPerYear: fc.integer({ min: 1, max: 3 }),
        effectiveFrom: fc
          .integer({ min: -30, max: packageDays + 30 })
          .map((d) => addDays(facts.placementDate, d)),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  ),
);

const plan = (facts: PlacementFacts, reductions: readonly ReductionDecision[] = []) =>
  planPackage(DEFAULT_CATALOG, { facts, reductions }, calendar);

function workingDayIn(from: IsoDate, to: IsoDate): boolean {
  for (let day = from; day <= to; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) return true;
  return false;
}

/**
 * The checks return a list of problems rather than calling `expect` per task: a plan has ~65 tasks and
 * each property runs 200 plans, and one `expect` per plan keeps the suite fast.
 */
type Problems = string[];

/**
 * Never later than nominal, never before opening; on the nearest earlier working day in the window,
 * else (no working day in the window) on the nominal day. Statutory visits are always on a working day
 * after the move-in day (they may open earlier than their window to be so).
 */
function checkDates(facts: PlacementFacts, task: PlannedTask, problems: Problems): void {
  const fail = (why: string) =>
    problems.push(`${task.taskId} ${task.opensOn}/${task.nominalDueOn}/${task.dueOn}: ${why}`);
  if (task.opensOn > task.dueOn) fail('opens after due');
  if (task.dueOn > task.nominalDueOn) fail('due later than nominal');
  if (task.statutory) {
    if (!calendar.isWorkingDay(task.dueOn)) fail('a statutory visit on a non-working day');
    if (task.dueOn <= facts.placementDate) fail('a statutory visit on or before the move-in day');
  } else if (!calendar.isWorkingDay(task.dueOn)) {
    if (task.dueOn !== task.nominalDueOn || workingDayIn(task.opensOn, task.nominalDueOn))
      fail('on a non-working day although the window has a working day');
  } else if (task.dueOn < task.nominalDueOn && workingDayIn(addDays(task.dueOn, 1), task.nominalDueOn)) {
    fail('not the nearest earlier working day');
  }
}

function checkTimers(task: PlannedTask, problems: Problems): void {
  const fail = (why: string) => problems.push(`${task.taskId} ${JSON.stringify(task.timers)}: ${why}`);
  const { opensAt, remindAt, overdueAt, escalateAt } = task.timers;
  const [opens, remind, overdue, escalate] = [opensAt, remindAt, overdueAt, escalateAt].map((i) =>
    Date.parse(i),
  );
  if (!(opens <= remind && remind < overdue && overdue < escalate)) fail('timers out of order');
  const at = (instant: string, date: IsoDate, hour: number) => {
    const wall = osloWallClock(instant);
    return wall.date === date && wall.hour === hour && wall.minute === 0;
  };
  const { reminderDaysBefore, escalationDelayDays } = DEFAULT_PLANNING_POLICY;
  if (!at(opensAt, task.opensOn, 7)) fail('opensAt is not 07:00 Oslo on opensOn');
  if (!at(overdueAt, addDays(task.dueOn, 1), 0)) fail('overdueAt is not 00:00 Oslo after dueOn');
  if (!at(escalateAt, addDays(task.dueOn, 1 + escalationDelayDays), 0))
    fail('escalateAt is not overdue + delay');
  if (remindAt !== opensAt && !at(remindAt, addDays(task.dueOn, -reminderDaysBefore), 7))
    fail('remindAt is neither opensAt nor 07:00 Oslo before dueOn');
}

function checkStatutoryMinimums(
  facts: PlacementFacts,
  tasks: readonly PlannedTask[],
  reductions: readonly ReductionDecision[],
  problems: Problems,
): void {
  const period = statutoryPeriod(facts.placementDate, packageDays);
  for (const kind of STATUTORY_KINDS) {
    const visits = tasks.filter((t) => t.statutory === kind);
    if (visits.length === 0) {
      // Only when the duty does not apply to this placement (supervision ends at 18).
      if (!(kind === 'tilsynsbesok' && facts.childAgeYears >= 18)) problems.push(`no ${kind} planned`);
      continue;
    }
    for (const segment of yearSegments(period.start, period.end)) {
      const count = visits.filter((t) => t.dueOn >= segment.start && t.dueOn <= segment.end).length;
      const required = statutoryRequirement(kind, segment, reductions);
      if (count < required) problems.push(`${kind} ${segment.start}..${segment.end}: ${count} < ${required}`);
    }
  }
}

function checkTasks(facts: PlacementFacts, tasks: readonly PlannedTask[], problems: Problems): void {
  for (const task of tasks) {
    checkDates(facts, task, problems);
    checkTimers(task, problems);
  }
}

/** Statutory tasks that come from the catalog cadence (not fill-ins) in a plan without reductions. */
function cadenceTasks(facts: PlacementFacts, tasks: readonly PlannedTask[]): PlannedTask[] {
  const cadenceLength = new Map(
    DEFAULT_CATALOG.steps.map((step) => {
      const offset = effectiveOffsetDays(step, facts);
      return [step.id, offset === null ? 0 : occurrenceDays(offset, step.recurrence, packageDays).length];
    }),
  );
  return tasks.filter((t) => t.statutory && t.occurrence <= (cadenceLength.get(t.stepId) ?? 0));
}

describe('planPackage properties', () => {
  it('due dates are working days, moved back within the window, else forward', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const problems: Problems = [];
        for (const task of plan(facts)) checkDates(facts, task, problems);
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('timers are ordered and on the Oslo wall clock (07:00 / 00:00), across DST', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const problems: Problems = [];
        for (const task of plan(facts)) checkTimers(task, problems);
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('task ids are unique, well-formed and the plan is sorted and deterministic', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const tasks = plan(facts);
        const ids = tasks.map((t) => t.taskId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(tasks.filter((t) => t.taskId !== `${t.stepId}#${t.occurrence}`)).toEqual([]);
        const keys = tasks.map((t) => `${t.dueOn} ${t.taskId}`);
        expect(keys).toEqual([...keys].sort());
        expect(plan(facts)).toEqual(tasks);
      }),
      RUNS,
    );
  });

  it('every calendar-year segment gets at least its pro-rata statutory minimum', () => {
    fc.assert(
      fc.property(arbFacts, (facts) => {
        const problems: Problems = [];
        checkStatutoryMinimums(facts, plan(facts), [], problems);
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('also holds on the DST change days and around New Year', () => {
    const edges = ['03-2', '03-3', '10-2', '10-3', '12-2', '12-3', '01-0'].flatMap((prefix) =>
      Array.from({ length: 10 }, (_, i) => `${prefix}${i}`),
    );
    const arbEdge = fc
      .tuple(fc.integer({ min: 2025, max: 2035 }), fc.constantFrom(...edges), arbFacts)
      .map(([year, monthDay, facts]) => ({ ...facts, placementDate: `${year}-${monthDay}` }))
      .filter(
        (facts) => !Number.isNaN(Date.parse(facts.placementDate)) && facts.placementDate.slice(8) !== '00',
      );
    fc.assert(
      fc.property(arbEdge, (facts) => {
        const tasks = plan(facts);
        const problems: Problems = [];
        checkTasks(facts, tasks, problems);
        checkStatutoryMinimums(facts, tasks, [], problems);
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('with reductions: minimums still met, nothing statutory dropped before effectiveFrom', () => {
    fc.assert(
      fc.property(arbReduced, ([facts, reductions]) => {
        const reduced = plan(facts, reductions);
        const unreduced = plan(facts);
        const problems: Problems = [];
        checkStatutoryMinimums(facts, reduced, reductions, problems);
        checkTasks(facts, reduced, problems);
        const firstEffective = (kind: string) =>
          reductions
            .filter((r) => r.kind === kind)
            .map((r) => r.effectiveFrom)
            .sort()[0];
        const reducedById = new Map(reduced.map((t) => [t.taskId, t]));
        for (const task of cadenceTasks(facts, unreduced)) {
          const from = firstEffective(task.statutory!);
          if (from === undefined || task.nominalDueOn >= from) continue;
          if (JSON.stringify(reducedById.get(task.taskId)) !== JSON.stringify(task))
            problems.push(`${task.taskId} before ${from} changed or dropped`);
        }
        expect(problems).toEqual([]);
        // Reductions touch statutory visits only.
        expect(reduced.filter((t) => !t.statutory)).toEqual(unreduced.filter((t) => !t.statutory));
      }),
      RUNS,
    );
  });
});

describe('planFollowUps properties', () => {
  it('follow-ups keep the occurrence, open on completion and obey the date and timer rules', () => {
    const arbCompletion = fc.record({
      facts: arbFacts,
      stepId: fc.constantFrom('tilsynsbesok', 'oppfolgingsbesok'),
      occurrence: fc.integer({ min: 1, max: 8 }),
      completedOn: arbDate(FIRST, LAST),
    });
    fc.assert(
      fc.property(arbCompletion, ({ facts, stepId, occurrence, completedOn }) => {
        const tasks = planFollowUps(DEFAULT_CATALOG, facts, { stepId, occurrence }, completedOn, calendar);
        const expected =
          stepId === 'tilsynsbesok' ? 'tilsynsrapport' : facts.childAgeYears >= 7 ? 'barnesamtale' : null;
        expect(tasks.map((t) => t.taskId)).toEqual(expected ? [`${expected}#${occurrence}`] : []);
        expect(
          tasks.every((t) => t.opensOn === completedOn && t.nominalDueOn === addDays(completedOn, 14)),
        ).toBe(true);
        const problems: Problems = [];
        checkTasks(facts, tasks, problems);
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });
});
