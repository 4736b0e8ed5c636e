import type { PackageEvent } from '../../events.js';
import { fold } from '../state.js';
import { caseworker, facts, leader, packageWith, rejection, task } from '../test-support.js';
import {
  compactForNewYear,
  decideOrdinaryYear,
  decideSupervisionEnd,
  supervisionEndsMonthOf,
  validateFollowUp,
} from './ordinary.js';
import { decideOrdinaryReduction, validateReductionRules } from './placement.js';
import { decideTick, nextWakeUp } from './time.js';

const at = '2028-03-01T10:00:00.000Z';
const ordinary = (year: number): PackageEvent => ({
  type: 'OrdinaryYearPlanned',
  data: { year, from: `${year}-01-01`, required: { oppfolgingsbesok: 4, tilsynsbesok: 4 }, at },
});
const visit = (n: number, dueOn: string) =>
  task('ordinaer-oppfolgingsbesok', dueOn, {
    taskId: `ordinaer-oppfolgingsbesok#2028${String(n).padStart(2, '0')}`,
    occurrence: 202800 + n,
    statutory: 'oppfolgingsbesok',
  });

describe('ordinary follow-up decisions', () => {
  it('refuses an ordinary registration for a placement under a year old, and bad visits, naming the field', () => {
    const reg = { facts: { ...facts, placementDate: '2027-06-01' }, followUp: 'ordinary' as const };
    expect(rejection(() => validateFollowUp(reg, at)).field).toBe('facts.placementDate');
    const old = { ...reg, facts: { ...facts, placementDate: '2024-06-01' } };
    expect(() => validateFollowUp(old, at)).not.toThrow();
    const done = (on: string) => ({ ...old, doneThisYear: [{ kind: 'oppfolgingsbesok' as const, on }] });
    expect(rejection(() => validateFollowUp(done('2028-03-02'), at)).field).toBe('doneThisYear.0.on');
    expect(rejection(() => validateFollowUp(done('2027-12-31'), at)).message).toMatch(/i år/);
    expect(() => validateFollowUp(done('2028-01-10'), at)).not.toThrow();
    expect(rejection(() => validateFollowUp({ ...done('2028-01-10'), followUp: 'package' }, at)).field).toBe(
      'doneThisYear',
    );
  });

  it('a reduction takes effect two years after move-in at the earliest, with the child’s view and consent', () => {
    const state = packageWith([]); // placed 2026-03-02
    const cmd = (decision: object) => ({
      commandId: 'c',
      actor: leader,
      decision: {
        kind: 'tilsynsbesok' as const,
        minimumPerYear: 2,
        effectiveFrom: '2028-03-02',
        ...decision,
      },
    });
    expect(rejection(() => validateReductionRules(state, cmd({ effectiveFrom: '2028-03-01' }))).field).toBe(
      'decision.effectiveFrom',
    );
    expect(rejection(() => validateReductionRules(state, cmd({ childConsent: true }))).field).toBe(
      'decision.childView',
    );
    expect(rejection(() => validateReductionRules(state, cmd({ childView: 'enig' }))).field).toBe(
      'decision.childConsent',
    );
    expect(() =>
      validateReductionRules(state, cmd({ childView: 'uenig', childConsent: true })),
    ).not.toThrow();
    expect(() =>
      validateReductionRules(state, cmd({ kind: 'oppfolgingsbesok', childView: 'ikke-uttalt' })),
    ).not.toThrow();
  });

  it('in ordinary follow-up a reduction cancels the year’s latest open visits beyond the new requirement', () => {
    const tasks = [
      visit(1, '2028-02-01'),
      visit(2, '2028-05-02'),
      visit(3, '2028-08-01'),
      visit(4, '2028-11-01'),
    ];
    const state = packageWith(
      [],
      [ordinary(2028), { type: 'TasksPlanned', data: { tasks, reason: 'ordinary', at } }],
    );
    const events = decideOrdinaryReduction(
      state,
      {
        commandId: 'r',
        actor: leader,
        decision: {
          kind: 'oppfolgingsbesok',
          minimumPerYear: 2,
          effectiveFrom: '2028-07-01',
          childView: 'enig',
        },
      },
      at,
    );
    // 4 × 182 days + 2 × 184 days over 366 → round(3.0) = 3: one visit too many, the last one goes.
    expect(events.map((e) => (e.type === 'TaskCancelled' ? e.data.taskId : e.type))).toEqual([
      'ReductionRecorded',
      'ordinaer-oppfolgingsbesok#202804',
    ]);
  });

  it('never runs out: no expiry or completion while in ordinary follow-up, and a year is planned once', () => {
    const tasks = [visit(1, '2028-02-01')];
    const state = packageWith(
      [],
      [ordinary(2028), { type: 'TasksPlanned', data: { tasks, reason: 'ordinary', at } }],
    );
    const done = fold(
      [
        {
          type: 'TaskCompleted',
          data: {
            taskId: tasks[0].taskId,
            at,
            completedOn: '2028-02-01',
            outcome: 'gjennomfort',
            by: caseworker,
          },
        },
      ],
      state,
    )!;
    expect(decideTick(done, '2030-01-01T00:00:00.000Z')).toEqual([]);
    expect(nextWakeUp(done)).toBeUndefined();
    expect(
      decideOrdinaryYear(
        done,
        { year: 2028, required: { oppfolgingsbesok: 4, tilsynsbesok: 4 }, tasks: [], done: [] },
        '2028-01-01',
        at,
      ),
    ).toEqual([]);
  });

  it('a new year carries only what it needs: open tasks, and the last visit of each kind', () => {
    const tasks = [
      visit(1, '2028-02-01'),
      visit(2, '2028-05-02'),
      visit(3, '2028-12-01'),
      task('ordinaer-barnesamtale', '2028-02-15'),
    ];
    let state = packageWith(
      [],
      [ordinary(2028), { type: 'TasksPlanned', data: { tasks, reason: 'ordinary', at } }],
    );
    state = fold(
      ['ordinaer-oppfolgingsbesok#202801', 'ordinaer-oppfolgingsbesok#202802', 'ordinaer-barnesamtale#1'].map(
        (taskId): PackageEvent => ({
          type: 'TaskCompleted',
          data: { taskId, at, completedOn: '2028-05-02', outcome: 'gjennomfort', by: caseworker },
        }),
      ),
      state,
    )!;
    const next = compactForNewYear(state, 2029);
    // The finished visits and the talk are dropped; #202803 is open (and the last visit).
    expect(Object.keys(next.tasks)).toEqual(['ordinaer-oppfolgingsbesok#202803']);
    // Once done, the last visit stays all the same: the next year's cadence continues from it.
    const allDone = fold(
      [
        {
          type: 'TaskCompleted',
          data: {
            taskId: 'ordinaer-oppfolgingsbesok#202803',
            at,
            completedOn: '2028-12-01',
            outcome: 'gjennomfort',
            by: caseworker,
          },
        },
      ],
      state,
    )!;
    expect(Object.keys(compactForNewYear(allDone, 2029).tasks)).toEqual(['ordinaer-oppfolgingsbesok#202803']);
    expect(next.version).toBe(state.version);
  });

  it('supervision ends the month the child turns 18', () => {
    expect(supervisionEndsMonthOf('2010-05')).toBe('2028-05');
    expect(supervisionEndsMonthOf('2012-12')).toBe('2030-12');
    expect(() => supervisionEndsMonthOf('2012-13')).toThrow(RangeError);
  });

  it('the month supervision ends cancels the supervision visits due after it, not follow-up visits', () => {
    const supervision = (n: number, dueOn: string) =>
      task('ordinaer-tilsynsbesok', dueOn, {
        taskId: `ordinaer-tilsynsbesok#2028${String(n).padStart(2, '0')}`,
        occurrence: 202800 + n,
        statutory: 'tilsynsbesok',
        role: 'tilsynsforer',
      });
    const tasks = [
      visit(1, '2028-02-01'),
      visit(2, '2028-09-01'),
      supervision(1, '2028-03-15'),
      supervision(2, '2028-05-31'),
      supervision(3, '2028-06-01'),
      supervision(4, '2028-10-01'),
    ];
    const state = packageWith(
      [],
      [ordinary(2028), { type: 'TasksPlanned', data: { tasks, reason: 'ordinary', at } }],
    );
    const cmd = (month: string | null) => ({ commandId: 's', actor: caseworker, month });
    const events = decideSupervisionEnd(state, cmd('2028-05'), at);
    expect(
      events.map((e) => (e.type === 'TaskCancelled' ? `${e.data.taskId} ${e.data.reason}` : e.type)),
    ).toEqual([
      'SupervisionEndSet',
      'ordinaer-tilsynsbesok#202803 supervision-ended',
      'ordinaer-tilsynsbesok#202804 supervision-ended',
    ]);
    expect(events[0]).toMatchObject({ data: { month: '2028-05' } });
    const after = fold(events, state)!;
    expect(after.supervisionEndsMonth).toBe('2028-05');
    // The same month again decides nothing; a bad month is refused naming the field.
    expect(decideSupervisionEnd(after, cmd('2028-05'), at)).toEqual([]);
    expect(rejection(() => decideSupervisionEnd(after, cmd('2028-13'), at)).field).toBe('month');
    // Cleared: recorded, nothing cancelled.
    expect(decideSupervisionEnd(after, cmd(null), at).map((e) => e.type)).toEqual(['SupervisionEndSet']);
  });
});
