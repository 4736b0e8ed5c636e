import { addDays, dayOfWeek, diffDays } from '../../calendar/dates.js';
import { osloInstant, osloWallClock } from '../../calendar/oslo-time.js';
import { norwegianWorkingDays } from '../../calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../catalog/default-catalog.js';
import type { TaskCompleted } from '../../events.js';
import { planPackage } from '../../planner/plan-package.js';
import type { IsoDate } from '../../vocabulary.js';
import type { RegisterPlacement } from '../commands.js';
import { addMs } from '../clock.js';
import { fold } from '../state.js';
import { caseworker, facts, rejection } from '../test-support.js';
import { decideRegister, resolveCompletedBefore } from './placement.js';
import {
  addWeekdays,
  decideTick,
  REGISTRATION_GRACE_WORKING_DAYS,
  registrationGraceEnd,
  withRegistrationGrace,
} from './time.js';

const calendar = norwegianWorkingDays();
const planFor = (placementDate: IsoDate) =>
  planPackage(DEFAULT_CATALOG, { facts: { ...facts, placementDate }, reductions: [] }, calendar);

const registration = (placementDate: IsoDate, more: Partial<RegisterPlacement> = {}): RegisterPlacement => ({
  commandId: 'reg',
  actor: caseworker,
  placementId: 'p1',
  childRef: 'c1',
  organisation: { serviceId: 's1', municipalityId: 'm1' },
  facts: { ...facts, placementDate },
  catalogVersion: DEFAULT_CATALOG.version,
  ...more,
});

/** Every day of two years, so the grace is checked across weekends, holidays and both DST changes. */
const everyDay = (from: IsoDate, days: number): IsoDate[] =>
  Array.from({ length: days }, (_, i) => addDays(from, i));

describe('registration grace for steps already overdue', () => {
  it('ends after five weekdays, at midnight Oslo, for a registration at any time of any day', () => {
    for (const day of everyDay('2026-01-01', 731)) {
      for (const hour of [0, 9, 23]) {
        const at = osloInstant(day, hour);
        const end = registrationGraceEnd(at);
        expect(osloWallClock(end)).toMatchObject({ hour: 0, minute: 0 });
        const lastDay = addDays(osloWallClock(end).date, -1);
        // The last day of grace is a weekday, and exactly five weekdays follow the registration day.
        expect(dayOfWeek(lastDay)).toBeLessThanOrEqual(5);
        const weekdays = everyDay(addDays(day, 1), diffDays(day, lastDay)).filter((d) => dayOfWeek(d) <= 5);
        expect(weekdays).toHaveLength(REGISTRATION_GRACE_WORKING_DAYS);
        expect(addWeekdays(day, REGISTRATION_GRACE_WORKING_DAYS)).toBe(lastDay);
      }
    }
  });

  it('registered four days late, marks what is overdue and escalates none of it at once (any date)', () => {
    for (const placementDate of everyDay('2026-01-01', 731)) {
      const now = osloInstant(addDays(placementDate, 4), 10);
      const tasks = planFor(placementDate);
      const events = decideRegister(registration(placementDate), tasks, now, { arrearsGrace: true });
      expect(events.filter((e) => e.type === 'TaskEscalated')).toEqual([]);
      const state = fold(events)!;
      const overdue = Object.values(state.tasks).filter((t) => t.overdue);
      expect(overdue.length).toBeGreaterThan(0);
      for (const t of Object.values(state.tasks))
        expect(t.overdueAtRegistration === true).toBe(t.timers.overdueAt <= now);
      for (const t of overdue) expect(t.timers.escalateAt >= registrationGraceEnd(now)).toBe(true);
      // Not a moment before the grace ends, and then they do escalate (nothing is lost, only delayed).
      const escalatedBy = (at: string) =>
        new Set(decideTick(state, at).flatMap((e) => (e.type === 'TaskEscalated' ? [e.data.taskId] : [])));
      const before = escalatedBy(addMs(registrationGraceEnd(now), -1));
      const after = escalatedBy(registrationGraceEnd(now));
      for (const t of overdue) {
        expect(before.has(t.taskId)).toBe(false);
        expect(after.has(t.taskId)).toBe(true);
      }
    }
  });

  it('takes the configured number of working days; none with 0', () => {
    const placementDate = '2026-03-02';
    const now = osloInstant('2026-03-16', 10); // a Monday
    const tasks = planFor(placementDate);
    const escalations = (graceWorkingDays: number) =>
      decideRegister(registration(placementDate, { graceWorkingDays }), tasks, now, {
        arrearsGrace: true,
      }).filter((e) => e.type === 'TaskEscalated');
    expect(escalations(0).length).toBeGreaterThan(0);
    expect(escalations(1)).toEqual([]);
    const planned = (days: number) =>
      fold(
        decideRegister(registration(placementDate, { graceWorkingDays: days }), tasks, now, {
          arrearsGrace: true,
        }),
      )!;
    // Two working days after Monday: from Thursday 00:00 Oslo.
    const graced = Object.values(planned(2).tasks).filter((t) => t.overdueAtRegistration);
    expect(graced.length).toBeGreaterThan(0);
    for (const t of graced) expect(t.timers.escalateAt >= osloInstant('2026-03-19', 0)).toBe(true);
    expect(Object.values(planned(0).tasks).some((t) => t.overdueAtRegistration)).toBe(false);
  });

  it('without the flag (registrations recorded before the grace), decides as it always did', () => {
    const placementDate = '2026-03-02';
    const now = osloInstant('2026-03-16', 10);
    const tasks = planFor(placementDate);
    const events = decideRegister(registration(placementDate), tasks, now);
    expect(events[1]).toEqual({ type: 'TasksPlanned', data: { tasks, reason: 'registered', at: now } });
    expect(events.some((e) => e.type === 'TaskEscalated')).toBe(true);
  });

  it('moves only the escalation of what is overdue, and never earlier than the task’s own', () => {
    const tasks = planFor('2026-03-02');
    const now = osloInstant('2026-03-02', 10);
    const end = registrationGraceEnd(now);
    const graced = withRegistrationGrace(tasks, now);
    expect(graced.some((t) => t.overdueAtRegistration)).toBe(true);
    graced.forEach((t, i) => {
      const own = tasks[i];
      if (own.timers.overdueAt > now) expect(t).toBe(own);
      else
        expect(t).toEqual({
          ...own,
          overdueAtRegistration: true,
          timers: { ...own.timers, escalateAt: own.timers.escalateAt < end ? end : own.timers.escalateAt },
        });
    });
  });
});

describe('work done before registration', () => {
  const placementDate = '2026-03-02';
  const now = osloInstant('2026-03-09', 10);
  const tasks = planFor(placementDate);
  const first = [...tasks].sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
  const resolve = (completedBefore: RegisterPlacement['completedBefore']) =>
    resolveCompletedBefore(completedBefore, tasks, { ...facts, placementDate }, now);

  it('becomes completed tasks in the registration, on the day given, and is neither overdue nor escalated', () => {
    const reg = registration(placementDate, {
      completedBefore: [{ stepId: first.stepId, completedOn: '2026-03-03' }],
    });
    const events = decideRegister(reg, tasks, now, { arrearsGrace: true });
    const completed = events.filter((e): e is TaskCompleted => e.type === 'TaskCompleted');
    expect(completed.map((e) => e.data)).toEqual([
      { taskId: first.taskId, at: now, completedOn: '2026-03-03', outcome: 'gjennomfort', by: caseworker },
    ]);
    const done = fold(events)!.tasks[first.taskId];
    expect(done).toMatchObject({ status: 'completed', completedOn: '2026-03-03', overdue: false });
    expect(done.overdueAtRegistration).toBeUndefined();
  });

  it('takes a step’s occurrences in order, or a task by its id', () => {
    const recurring = tasks.find((t) => t.occurrence === 2)!;
    const stepId = recurring.stepId;
    const ofStep = tasks.filter((t) => t.stepId === stepId).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    expect(
      resolve([
        { stepId, completedOn: '2026-03-03' },
        { stepId, completedOn: '2026-03-04' },
      ]).map((d) => d.taskId),
    ).toEqual([ofStep[0].taskId, ofStep[1].taskId]);
    expect(resolve([{ taskId: recurring.taskId, completedOn: '2026-03-05' }])).toEqual([
      { taskId: recurring.taskId, completedOn: '2026-03-05' },
    ]);
  });

  it('refuses, naming the field: an unknown step or task, both or neither, a task twice, a bad date', () => {
    const field = (entries: unknown) =>
      rejection(() => resolve(entries as RegisterPlacement['completedBefore'])).field;
    expect(field([{ completedOn: '2026-03-03' }, { stepId: 'finnes-ikke', completedOn: '2026-03-03' }])).toBe(
      'completedBefore.0.stepId',
    );
    expect(
      field([
        { stepId: first.stepId, completedOn: '2026-03-03' },
        { stepId: 'finnes-ikke', completedOn: '2026-03-03' },
      ]),
    ).toBe('completedBefore.1.stepId');
    expect(field([{ taskId: 'finnes-ikke#1', completedOn: '2026-03-03' }])).toBe('completedBefore.0.taskId');
    expect(field([{ taskId: first.taskId, stepId: first.stepId, completedOn: '2026-03-03' }])).toBe(
      'completedBefore.0.stepId',
    );
    expect(
      field([
        { taskId: first.taskId, completedOn: '2026-03-03' },
        { taskId: first.taskId, completedOn: '2026-03-04' },
      ]),
    ).toBe('completedBefore.1.taskId');
    expect(field([{ stepId: first.stepId, completedOn: '2026-02-30' }])).toBe(
      'completedBefore.0.completedOn',
    );
    expect(field('x')).toBe('completedBefore');
  });

  it('accepts the registration day and the earliest day a task can be done, and not a day beyond (any date)', () => {
    for (const registeredOn of everyDay('2026-01-01', 731)) {
      const at = osloInstant(registeredOn, 23, 30);
      const pd = addDays(registeredOn, -10);
      const plan = planFor(pd);
      const stepId = plan[0].stepId;
      const check = (completedOn: IsoDate) => () =>
        resolveCompletedBefore([{ stepId, completedOn }], plan, { ...facts, placementDate: pd }, at);
      expect(check(registeredOn)()).toHaveLength(1);
      expect(check(addDays(pd, -60))()).toHaveLength(1);
      expect(rejection(check(addDays(registeredOn, 1))).field).toBe('completedBefore.0.completedOn');
      expect(rejection(check(addDays(pd, -61))).field).toBe('completedBefore.0.completedOn');
    }
  });
});
