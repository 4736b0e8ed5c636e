import { fold } from '../state.js';
import { caseworker, leader, packageWith, rejection, task } from '../test-support.js';
import { decideComplete, decideReassign, decideWaive } from './tasks.js';

describe('task commands', () => {
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
});
