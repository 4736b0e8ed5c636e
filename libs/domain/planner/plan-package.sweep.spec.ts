import { addDays, diffDays, yearOf } from '../calendar/dates.js';
import { latestWorkingDay, norwegianWorkingDays } from '../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../catalog/default-catalog.js';
import { diffPlan } from '../package/decide.js';
import { fold, type PackageState } from '../package/state.js';
import type { PlannedTask } from '../plan.js';
import { statutoryLedger } from '../statutory/ledger.js';
import { statutoryRisk } from '../statutory/risk.js';
import { statutoryPeriod, statutoryRequirement, yearSegments } from '../statutory/rule.js';
import { STATUTORY_KINDS, type IsoDate, type PlacementFacts } from '../vocabulary.js';
import { planFollowUps } from './plan-follow-ups.js';
import { planPackage } from './plan-package.js';

/**
 * The planner checked on EVERY placement date from 2025-01-01 to 2035-12-31, for every placement type
 * and legal basis, for a child under and over 7 (48,204 plans), not on samples. The rules (domain doc §8
 * and the working-day rule):
 * - no task is due later than its nominal date, or before it opens;
 * - a task is due on a working day unless its whole window has none (then on its nominal day); a
 *   statutory visit always is, never on the move-in day, and supervision never before the supervisor is
 *   due to be appointed;
 * - each calendar year of the package gets at least its `statutoryRequirement` of each kind of visit,
 *   and at most one more; consecutive visits of a kind are at most 105 days apart;
 * - every statutory follow-up visit gets a private talk with a child of 7 or more, and none younger;
 * - a re-plan after the placement date moves ±1, ±7 or ±30 days never shows a task moving against the
 *   direction of the change;
 * - the statutory ledger requires what the planner planned for, and the early warning finds nothing
 *   wrong with a fresh plan, nor the compliance figure with a plan carried out on its due dates.
 */
const calendar = norwegianWorkingDays();
const FIRST = '2025-01-01';
const LAST = '2035-12-31';
const SHIFTS = [-30, -7, -1, 1, 7, 30];
const MAX_GAP_DAYS = 105;

const COMBINATIONS = [
  { placementType: 'omsorgsovertakelse', legalBasis: 'omsorgsovertakelse' },
  { placementType: 'frivillig', legalBasis: 'frivillig' },
  { placementType: 'akutt', legalBasis: 'omsorgsovertakelse' },
  { placementType: 'akutt', legalBasis: 'frivillig' },
  { placementType: 'slekt-nettverk', legalBasis: 'omsorgsovertakelse' },
  { placementType: 'slekt-nettverk', legalBasis: 'frivillig' },
] as const;
const AGES = [5, 9];

const factsOf = (
  combination: (typeof COMBINATIONS)[number],
  childAgeYears: number,
  placementDate: IsoDate,
): PlacementFacts => ({
  ...combination,
  placementDate,
  childAgeYears,
  samvaer: true,
  parentsReachable: true,
  inSchoolOrKindergarten: true,
  bufetatHelp: true,
  beredskapshjem: combination.placementType === 'akutt',
});

function registered(facts: PlacementFacts, tasks: readonly PlannedTask[]): PackageState {
  const at = `${facts.placementDate}T10:00:00.000Z`;
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p',
        childRef: 'c',
        organisation: { serviceId: 's', municipalityId: 'm' },
        facts,
        catalogVersion: DEFAULT_CATALOG.version,
        by: { userId: 'u', role: 'kontaktperson' },
        at,
      },
    },
    { type: 'TasksPlanned', data: { tasks, reason: 'registered', at } },
  ])!;
}

/** Every problem of one plan, as text (one `expect` per combination keeps 48,204 plans fast). */
function checkPlan(facts: PlacementFacts, tasks: readonly PlannedTask[], problems: string[]): void {
  const D = facts.placementDate;
  const fail = (task: PlannedTask | undefined, why: string) =>
    problems.push(
      `${facts.placementType}/${facts.legalBasis}/${facts.childAgeYears} ${D}` +
        (task ? ` ${task.taskId} ${task.opensOn}/${task.nominalDueOn}/${task.dueOn}` : '') +
        `: ${why}`,
    );
  const appointed = tasks.find((t) => t.stepId === 'tilsyn-organisert');
  for (const task of tasks) {
    if (task.dueOn > task.nominalDueOn) fail(task, 'due later than its nominal date');
    if (task.opensOn > task.dueOn) fail(task, 'due before it opens');
    if (!calendar.isWorkingDay(task.dueOn)) {
      if (task.statutory) fail(task, 'a statutory visit on a non-working day');
      else if (task.dueOn !== task.nominalDueOn) fail(task, 'moved onto a non-working day');
      else if (latestWorkingDay(task.opensOn, task.nominalDueOn, calendar))
        fail(task, 'left on a non-working day although its window has a working day');
    }
    if (task.statutory && task.dueOn <= D) fail(task, 'a statutory visit on or before the move-in day');
    if (task.statutory === 'tilsynsbesok' && appointed && task.dueOn <= appointed.dueOn)
      fail(task, `supervision before the supervisor is due (${appointed.dueOn})`);
  }

  const period = statutoryPeriod(D, 365);
  for (const kind of STATUTORY_KINDS) {
    const visits = tasks.filter((t) => t.statutory === kind).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
    if (visits.length === 0) {
      fail(undefined, `no ${kind} planned`);
      continue;
    }
    for (const segment of yearSegments(period.start, period.end)) {
      const count = visits.filter((t) => t.dueOn >= segment.start && t.dueOn <= segment.end).length;
      const required = statutoryRequirement(kind, segment, []);
      if (count < required || count > required + 1)
        fail(undefined, `${kind} ${segment.start}..${segment.end}: ${count} planned, ${required} required`);
    }
    for (let i = 1; i < visits.length; i += 1) {
      if (visits[i].dueOn > period.end) break;
      const gap = diffDays(visits[i - 1].dueOn, visits[i].dueOn);
      if (gap > MAX_GAP_DAYS) fail(visits[i], `${gap} days after ${visits[i - 1].taskId}`);
      if (gap === 0) fail(visits[i], `the same day as ${visits[i - 1].taskId}`);
    }
  }

  // A private talk with the child alone follows every statutory follow-up visit (from 7 years).
  for (const visit of tasks.filter((t) => t.statutory === 'oppfolgingsbesok')) {
    const talks = planFollowUps(DEFAULT_CATALOG, facts, visit, visit.dueOn, calendar).filter(
      (t) => t.stepId === 'barnesamtale',
    );
    const expected = facts.childAgeYears >= 7 ? 1 : 0;
    if (talks.length !== expected || talks.some((t) => t.follows !== visit.taskId))
      fail(visit, `${talks.length} private talks follow it, ${expected} expected`);
  }
}

/** The ledger, early warning and compliance figure agree with the plan (one statutory rule). */
function checkAgreement(facts: PlacementFacts, tasks: readonly PlannedTask[], problems: string[]): void {
  const D = facts.placementDate;
  const state = registered(facts, tasks);
  const period = statutoryPeriod(D, 365);
  for (const row of statutoryLedger(state, null)) {
    const segment = yearSegments(period.start, period.end).find((s) => s.year === row.year);
    const expected = segment ? statutoryRequirement(row.kind, segment, []) : 0;
    if (row.required !== expected)
      problems.push(`${D} ledger ${row.kind} ${row.year}: requires ${row.required}, the planner ${expected}`);
    if (row.planned < row.required)
      problems.push(`${D} ledger ${row.kind} ${row.year}: ${row.planned} planned < ${row.required}`);
    if (row.year === yearOf(D)) {
      const plannedAhead = tasks.filter(
        (t) => t.statutory === row.kind && t.dueOn >= D && yearOf(t.dueOn) === row.year,
      ).length;
      const { level } = statutoryRisk(
        { required: row.required, completed: 0, plannedAhead, overdue: 0, lastDay: `${row.year}-12-31` },
        D,
        calendar,
      );
      if (level) problems.push(`${D} early warning ${row.kind} ${row.year}: ${level} for a fresh plan`);
    }
  }
  // Carried out on the due dates, every year of the plan is compliant (completed ≥ required).
  const done = fold(
    tasks
      .filter((t) => t.statutory)
      .map((t) => ({
        type: 'TaskCompleted' as const,
        data: {
          taskId: t.taskId,
          completedOn: t.dueOn,
          outcome: 'gjennomfort' as const,
          by: { userId: 'u', role: 'kontaktperson' as const },
          at: `${t.dueOn}T10:00:00.000Z`,
        },
      })),
    state,
  )!;
  for (const row of statutoryLedger(done, null)) {
    if (row.completed < row.required)
      problems.push(`${D} compliance ${row.kind} ${row.year}: ${row.completed} done < ${row.required}`);
  }
}

/**
 * A re-plan after moving the date by `shift` days never moves a task against that direction; returns
 * how many visits the preview reports as replaced instead.
 */
function checkReplan(
  facts: PlacementFacts,
  current: PackageState,
  proposed: readonly PlannedTask[],
  shift: number,
  problems: string[],
): number {
  const change = diffPlan(current, proposed, { dateShiftDays: shift });
  for (const moved of change.moved) {
    const against = shift < 0 ? moved.toDueOn > moved.fromDueOn : moved.toDueOn < moved.fromDueOn;
    if (against)
      problems.push(
        `${facts.placementType} ${facts.placementDate} ${shift > 0 ? '+' : ''}${shift}: ${moved.taskId} ` +
          `moved ${moved.fromDueOn} → ${moved.toDueOn}`,
      );
  }
  for (const replaced of change.replaced) {
    const task = current.tasks[replaced.taskId];
    if (!task?.statutory) problems.push(`${facts.placementDate} ${shift}: ${replaced.taskId} replaced`);
  }
  return change.replaced.length;
}

describe('planPackage on every placement date 2025–2035', () => {
  for (const combination of COMBINATIONS) {
    for (const age of AGES) {
      it(`${combination.placementType} (${combination.legalBasis}), child aged ${age}`, () => {
        const plans = new Map<IsoDate, PlannedTask[]>();
        const planOn = (date: IsoDate) => {
          let tasks = plans.get(date);
          if (!tasks) {
            tasks = planPackage(
              DEFAULT_CATALOG,
              { facts: factsOf(combination, age, date), reductions: [] },
              calendar,
            );
            plans.set(date, tasks);
          }
          return tasks;
        };
        const problems: string[] = [];
        let replaced = 0;
        for (let date = FIRST; date <= LAST; date = addDays(date, 1)) {
          const facts = factsOf(combination, age, date);
          const tasks = planOn(date);
          checkPlan(facts, tasks, problems);
          checkAgreement(facts, tasks, problems);
          const current = registered(facts, tasks);
          for (const shift of SHIFTS) {
            replaced += checkReplan(facts, current, planOn(addDays(date, shift)), shift, problems);
          }
          if (problems.length > 50) break;
        }
        expect(problems).toEqual([]);
        // With the default catalog every visit keeps its slot: none is even reported as replaced.
        expect(replaced).toBe(0);
      });
    }
  }
});
