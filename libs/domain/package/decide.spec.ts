import type { PackageEvent } from '../events.js';
import type { PlannedTask } from '../plan.js';
import type { Actor, PlacementFacts } from '../vocabulary.js';
import {
  changedFacts,
  decideComplete,
  decideEnd,
  decidePause,
  decideReassign,
  decideTick,
  decideWaive,
  diffPlan,
  expiresAt,
  nextWakeUp,
  replanEvents,
  rescheduled,
  validateChange,
  validateReduction,
  validateResume,
} from './decide.js';
import { CommandRejected } from './rejection.js';
import { fold, type PackageState } from './state.js';

const caseworker: Actor = { userId: 'u-kp', role: 'kontaktperson' };
const leader: Actor = { userId: 'u-led', role: 'leder' };
const facts: PlacementFacts = {
  placementType: 'omsorgsovertakelse',
  legalBasis: 'omsorgsovertakelse',
  placementDate: '2026-03-02',
  childAgeYears: 9,
  samvaer: true,
  parentsReachable: true,
  inSchoolOrKindergarten: true,
  bufetatHelp: false,
  beredskapshjem: false,
};

function task(stepId: string, dueOn: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return {
    taskId: `${stepId}#1`,
    stepId,
    occurrence: 1,
    title: stepId,
    track: 'barnet',
    role: 'kontaktperson',
    catalogVersion: '2026.1',
    opensOn: dueOn,
    dueOn,
    nominalDueOn: dueOn,
    requiresCoSignToWaive: false,
    timers: {
      opensAt: `${dueOn}T05:00:00.000Z`,
      remindAt: `${dueOn}T05:00:00.000Z`,
      overdueAt: `${dueOn}T23:00:00.000Z`,
      escalateAt: `${dueOn}T23:30:00.000Z`,
    },
    ...extra,
  };
}

function packageWith(tasks: PlannedTask[], more: PackageEvent[] = []): PackageState {
  return fold([
    {
      type: 'PlacementRegistered',
      data: {
        placementId: 'p1',
        childRef: 'c1',
        organisation: { serviceId: 's1', municipalityId: 'm1' },
        facts,
        catalogVersion: '2026.1',
        by: caseworker,
        at: '2026-03-01T10:00:00.000Z',
      },
    },
    { type: 'TasksPlanned', data: { tasks, reason: 'registered', at: '2026-03-01T10:00:00.000Z' } },
    ...more,
  ])!;
}

const rejection = (fn: () => unknown): CommandRejected => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandRejected) return error;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('decideTick', () => {
  const visit = task('besok-uke1', '2026-03-09', {
    timers: {
      opensAt: '2026-03-02T06:00:00.000Z',
      remindAt: '2026-03-06T06:00:00.000Z',
      overdueAt: '2026-03-09T23:00:00.000Z',
      escalateAt: '2026-03-16T23:00:00.000Z',
    },
  });
  const s = packageWith([visit]);

  it('opens, reminds, marks overdue and escalates at the planned instants, in order', () => {
    expect(decideTick(s, '2026-03-01T12:00:00.000Z')).toEqual([]);
    expect(decideTick(s, '2026-03-02T06:00:00.000Z').map((e) => e.type)).toEqual(['TaskOpened']);
    const late = decideTick(s, '2026-03-20T00:00:00.000Z');
    expect(late.map((e) => e.type)).toEqual(['TaskOpened', 'TaskDueSoon', 'TaskOverdue', 'TaskEscalated']);
    expect(late.map((e) => (e.data as { at: string }).at)).toEqual([
      '2026-03-02T06:00:00.000Z',
      '2026-03-06T06:00:00.000Z',
      '2026-03-09T23:00:00.000Z',
      '2026-03-16T23:00:00.000Z',
    ]);
    // Folding them makes the next tick quiet: nothing happens twice.
    expect(decideTick(fold(late, s)!, '2026-03-20T00:00:00.000Z')).toEqual([]);
  });

  it('does nothing while the placement is paused', () => {
    const paused = fold(
      decidePause(
        s,
        { commandId: 'c', actor: caseworker, reason: 'sykehusopphold', from: '2026-03-02' },
        '2026-03-02T12:00:00.000Z',
      ),
      s,
    )!;
    expect(decideTick(paused, '2026-04-01T00:00:00.000Z')).toEqual([]);
    expect(nextWakeUp(paused)).toBeUndefined();
  });

  it('wakes up at the earliest pending instant', () => {
    expect(nextWakeUp(s)).toBe('2026-03-02T06:00:00.000Z');
  });

  it('completes the package when every task is closed, and expires an abandoned one', () => {
    const done = fold(
      decideComplete(
        s,
        {
          commandId: 'c',
          actor: caseworker,
          taskId: 'besok-uke1#1',
          outcome: 'gjennomfort',
          completedOn: '2026-03-05',
        },
        '2026-03-05T12:00:00.000Z',
      ),
      s,
    )!;
    expect(decideTick(done, '2026-03-05T12:00:01.000Z').map((e) => e.type)).toEqual(['PackageCompleted']);
    const expiry = expiresAt(s)!;
    const expired = decideTick(s, expiry);
    expect(expired.at(-1)).toEqual({ type: 'PackageCompleted', data: { at: expiry } });
    expect(expired.filter((e) => e.type === 'TaskCancelled')).toEqual([
      { type: 'TaskCancelled', data: { taskId: 'besok-uke1#1', at: expiry, reason: 'package-expired' } },
    ]);
  });
});

describe('commands', () => {
  const statutory = task('oppfolgingsbesok', '2026-06-01', {
    requiresCoSignToWaive: true,
    statutory: 'oppfolgingsbesok',
  });
  const s = packageWith([task('kontakt-dag1', '2026-03-03'), statutory]);
  const now = '2026-03-10T12:00:00.000Z';

  it('completes with a past date, never a future one', () => {
    expect(
      decideComplete(
        s,
        {
          commandId: 'c',
          actor: caseworker,
          taskId: 'kontakt-dag1#1',
          outcome: 'gjennomfort',
          completedOn: '2026-03-03',
        },
        now,
      ),
    ).toHaveLength(1);
    const future = rejection(() =>
      decideComplete(
        s,
        {
          commandId: 'c',
          actor: caseworker,
          taskId: 'kontakt-dag1#1',
          outcome: 'gjennomfort',
          completedOn: '2026-03-11',
        },
        now,
      ),
    );
    expect(future).toMatchObject({ code: 'invalid', field: 'completedOn' });
    expect(
      rejection(() =>
        decideComplete(
          s,
          {
            commandId: 'c',
            actor: caseworker,
            taskId: 'nope',
            outcome: 'gjennomfort',
            completedOn: '2026-03-03',
          },
          now,
        ),
      ).code,
    ).toBe('not-found');
    expect(
      rejection(() =>
        decideComplete(
          s,
          {
            commandId: 'c',
            actor: caseworker,
            taskId: 'kontakt-dag1#1',
            outcome: 'x' as never,
            completedOn: '2026-03-03',
          },
          now,
        ),
      ).field,
    ).toBe('outcome');
    expect(
      rejection(() =>
        decideComplete(
          s,
          {
            commandId: 'c',
            actor: caseworker,
            taskId: 'kontakt-dag1#1',
            outcome: 'gjennomfort',
            completedOn: '2026-02-30',
          },
          now,
        ),
      ).field,
    ).toBe('completedOn');
  });

  it('uses the Oslo date for "today": 00:30 in Oslo is already the next day', () => {
    // 2026-03-10T23:30Z is 00:30 on 11 March in Oslo.
    const events = decideComplete(
      s,
      {
        commandId: 'c',
        actor: caseworker,
        taskId: 'kontakt-dag1#1',
        outcome: 'gjennomfort',
        completedOn: '2026-03-11',
      },
      '2026-03-10T23:30:00.000Z',
    );
    expect(events).toHaveLength(1);
  });

  it('rejects closing a task twice', () => {
    const done = fold(
      decideComplete(
        s,
        {
          commandId: 'c',
          actor: caseworker,
          taskId: 'kontakt-dag1#1',
          outcome: 'gjennomfort',
          completedOn: '2026-03-03',
        },
        now,
      ),
      s,
    )!;
    expect(
      rejection(() =>
        decideWaive(
          done,
          { commandId: 'd', actor: caseworker, taskId: 'kontakt-dag1#1', reason: 'annet' },
          now,
        ),
      ).code,
    ).toBe('conflict');
  });

  it('needs a leader to co-sign the waiver of a statutory step', () => {
    const cmd = {
      commandId: 'c',
      actor: caseworker,
      taskId: 'oppfolgingsbesok#1',
      reason: 'ikke-relevant' as const,
    };
    expect(rejection(() => decideWaive(s, cmd, now))).toMatchObject({
      code: 'not-allowed',
      field: 'coSignedBy',
    });
    expect(rejection(() => decideWaive(s, { ...cmd, coSignedBy: caseworker }, now)).code).toBe('not-allowed');
    expect(decideWaive(s, { ...cmd, coSignedBy: leader }, now)).toHaveLength(1);
    expect(decideWaive(s, { ...cmd, actor: leader }, now)).toHaveLength(1);
    expect(decideWaive(s, { ...cmd, taskId: 'kontakt-dag1#1' }, now)).toHaveLength(1);
  });

  it('reassigns only when something changes', () => {
    expect(
      decideReassign(s, { commandId: 'c', actor: leader, taskId: 'kontakt-dag1#1', assigneeId: null }, now),
    ).toEqual([]);
    expect(
      decideReassign(s, { commandId: 'c', actor: leader, taskId: 'kontakt-dag1#1', assigneeId: 'u-2' }, now),
    ).toHaveLength(1);
    expect(
      rejection(() =>
        decideReassign(
          s,
          {
            commandId: 'c',
            actor: leader,
            taskId: 'kontakt-dag1#1',
            assigneeId: null,
            role: 'admin' as never,
          },
          now,
        ),
      ).field,
    ).toBe('role');
  });

  it('ends a placement by cancelling what is left', () => {
    const events = decideEnd(
      s,
      { commandId: 'c', actor: caseworker, endedOn: '2026-03-09', reason: 'brudd' },
      now,
    );
    expect(events.map((e) => e.type)).toEqual(['TaskCancelled', 'TaskCancelled', 'PlacementEnded']);
    const ended = fold(events, s)!;
    expect(ended.status).toBe('ended');
    expect(
      rejection(() =>
        decideEnd(ended, { commandId: 'c', actor: caseworker, endedOn: '2026-03-09', reason: 'brudd' }, now),
      ).code,
    ).toBe('conflict');
  });

  it('pauses and resumes with the length of the pause', () => {
    const paused = fold(
      decidePause(
        s,
        { commandId: 'c', actor: caseworker, reason: 'sykehusopphold', from: '2026-03-04' },
        now,
      ),
      s,
    )!;
    expect(validateResume(paused, { commandId: 'r', actor: caseworker, on: '2026-03-09' }, now)).toBe(5);
    expect(
      rejection(() => validateResume(s, { commandId: 'r', actor: caseworker, on: '2026-03-09' }, now)).code,
    ).toBe('conflict');
    expect(
      rejection(() => validateResume(paused, { commandId: 'r', actor: caseworker, on: '2026-03-01' }, now))
        .field,
    ).toBe('on');
  });

  it('checks a change against the version it was previewed on', () => {
    expect(
      rejection(() =>
        validateChange(s, {
          commandId: 'c',
          actor: caseworker,
          placementDate: '2026-03-09',
          expectedVersion: 1,
        }),
      ).code,
    ).toBe('conflict');
    expect(() =>
      validateChange(s, {
        commandId: 'c',
        actor: caseworker,
        placementDate: '2026-03-09',
        expectedVersion: s.version,
      }),
    ).not.toThrow();
    expect(rejection(() => validateChange(s, { commandId: 'c', actor: caseworker })).code).toBe('invalid');
  });

  it('keeps the legal basis consistent with a new placement type', () => {
    const change = (over: Partial<Parameters<typeof validateChange>[1]>) => ({
      commandId: 'c',
      actor: caseworker,
      ...over,
    });
    const emergency: PlacementFacts = { ...facts, placementType: 'akutt', legalBasis: 'frivillig' };
    // A care-order type brings its basis along; an emergency type keeps the current one unless given.
    expect(changedFacts(emergency, change({ placementType: 'omsorgsovertakelse' })).legalBasis).toBe(
      'omsorgsovertakelse',
    );
    expect(changedFacts(facts, change({ placementType: 'akutt' })).legalBasis).toBe('omsorgsovertakelse');
    expect(
      changedFacts(facts, change({ placementType: 'slekt-nettverk', legalBasis: 'frivillig' })),
    ).toMatchObject({
      placementType: 'slekt-nettverk',
      legalBasis: 'frivillig',
      placementDate: '2026-03-02',
    });
    expect(changedFacts(emergency, change({ placementDate: '2026-03-05' }))).toEqual({
      ...emergency,
      placementDate: '2026-03-05',
    });

    const refused = (over: Partial<Parameters<typeof validateChange>[1]>) =>
      rejection(() => validateChange(s, change(over)));
    expect(refused({ placementType: 'omsorgsovertakelse', legalBasis: 'frivillig' })).toMatchObject({
      code: 'invalid',
      field: 'legalBasis',
    });
    expect(refused({ placementDate: '2026-03-09', legalBasis: 'frivillig' })).toMatchObject({
      code: 'invalid',
      field: 'legalBasis',
    });
    expect(refused({ placementType: 'akutt', legalBasis: 'x' as never })).toMatchObject({
      field: 'legalBasis',
    });
    expect(refused({ placementType: 'x' as never })).toMatchObject({ field: 'placementType' });
    expect(() =>
      validateChange(s, change({ placementType: 'akutt', legalBasis: 'frivillig' })),
    ).not.toThrow();

    // The fold applies a basis that changed with the type.
    const changed = packageWith(
      [],
      [
        {
          type: 'PlacementTypeChanged',
          data: {
            from: 'omsorgsovertakelse',
            to: 'akutt',
            legalBasis: { from: 'omsorgsovertakelse', to: 'frivillig' },
            by: caseworker,
            at: now,
          },
        },
      ],
    );
    expect(changed.facts).toMatchObject({ placementType: 'akutt', legalBasis: 'frivillig' });
  });

  it('lets only a leader record a reduction, within bounds', () => {
    const decision = { kind: 'oppfolgingsbesok' as const, minimumPerYear: 2, effectiveFrom: '2026-09-01' };
    expect(rejection(() => validateReduction(s, { commandId: 'c', actor: caseworker, decision })).code).toBe(
      'not-allowed',
    );
    expect(() => validateReduction(s, { commandId: 'c', actor: leader, decision })).not.toThrow();
    expect(
      rejection(() =>
        validateReduction(s, { commandId: 'c', actor: leader, decision: { ...decision, minimumPerYear: 0 } }),
      ).field,
    ).toBe('decision.minimumPerYear');
  });
});

describe('re-planning', () => {
  const a = task('a', '2026-04-01');
  const b = task('b', '2026-05-01');
  const c = task('c', '2026-06-01');
  const s = packageWith(
    [a, b, c],
    [
      {
        type: 'TaskCompleted',
        data: {
          taskId: 'a#1',
          at: '2026-03-30T10:00:00.000Z',
          completedOn: '2026-03-30',
          outcome: 'gjennomfort',
          by: caseworker,
        },
      },
    ],
  );

  it('keeps closed tasks, moves, cancels and adds the rest', () => {
    const proposed = [task('a', '2026-04-08'), task('b', '2026-05-08'), task('d', '2026-07-01')];
    const change = diffPlan(s, proposed);
    expect(change.kept).toBe(1); // a is completed: it stays as it was
    expect(change.moved).toEqual([
      { taskId: 'b#1', title: 'b', fromDueOn: '2026-05-01', toDueOn: '2026-05-08' },
    ]);
    expect(change.cancelled).toEqual([{ taskId: 'c#1', title: 'c', dueOn: '2026-06-01' }]);
    expect(change.added.map((t) => t.taskId)).toEqual(['d#1']);
    const events = replanEvents(s, proposed, 'placement-date-changed', '2026-04-01T00:00:00.000Z');
    expect(events.map((e) => e.type)).toEqual(['TaskCancelled', 'TaskRescheduled', 'TasksPlanned']);
    const after = fold(events, s)!;
    expect(after.tasks['a#1'].dueOn).toBe('2026-04-01');
    expect(after.tasks['b#1'].dueOn).toBe('2026-05-08');
    expect(after.tasks['c#1'].status).toBe('cancelled');
    expect(after.tasks['d#1'].status).toBe('planned');
  });
});

describe('rescheduling keeps what has already happened', () => {
  const overdue = task('a', '2026-03-05', {
    timers: {
      opensAt: '2026-03-01T06:00:00.000Z',
      remindAt: '2026-03-02T06:00:00.000Z',
      overdueAt: '2026-03-05T23:00:00.000Z',
      escalateAt: '2026-03-12T23:00:00.000Z',
    },
  });
  const s = packageWith([overdue]);
  const late = fold(decideTick(s, '2026-04-01T00:00:00.000Z'), s)!;

  it('does not escalate a long-overdue task again after a short move', () => {
    const moved = {
      ...overdue,
      timers: {
        ...overdue.timers,
        overdueAt: '2026-03-08T23:00:00.000Z',
        escalateAt: '2026-03-15T23:00:00.000Z',
      },
    };
    const after = fold([rescheduled(moved, 'resumed', '2026-04-01T00:00:00.000Z')], late)!;
    expect(after.tasks['a#1']).toMatchObject({
      status: 'open',
      dueSoon: true,
      overdue: true,
      escalated: true,
    });
    expect(decideTick(after, '2026-04-01T00:00:01.000Z')).toEqual([]);
  });

  it('lets a transition that moved into the future happen again then', () => {
    const moved = {
      ...overdue,
      timers: {
        ...overdue.timers,
        overdueAt: '2026-04-05T22:00:00.000Z',
        escalateAt: '2026-04-12T22:00:00.000Z',
      },
    };
    const after = fold([rescheduled(moved, 'resumed', '2026-04-01T00:00:00.000Z')], late)!;
    expect(after.tasks['a#1']).toMatchObject({ overdue: false, escalated: false, dueSoon: true });
    expect(decideTick(after, '2026-04-06T00:00:00.000Z').map((e) => e.type)).toEqual(['TaskOverdue']);
  });
});
