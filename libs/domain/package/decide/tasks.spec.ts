import { fold, openWaiverRequest } from '../state.js';
import { caseworker, leader, packageWith, rejection, task } from '../test-support.js';
import {
  decideComplete,
  decideCosignWaiver,
  decideDeclineWaiver,
  decideReassign,
  decideRequestWaiver,
  decideWaive,
} from './tasks.js';

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

  it("decided a statutory step's waiver as before the four-eyes rule for commands recorded then", () => {
    const cmd = {
      commandId: 'c',
      actor: caseworker,
      taskId: 'oppfolgingsbesok#1',
      reason: 'ikke-relevant' as const,
    };
    const old = { fourEyes: false };
    expect(rejection(() => decideWaive(s, cmd, now, old))).toMatchObject({
      code: 'not-allowed',
      field: 'coSignedBy',
    });
    expect(rejection(() => decideWaive(s, { ...cmd, coSignedBy: caseworker }, now, old)).code).toBe(
      'not-allowed',
    );
    expect(decideWaive(s, { ...cmd, coSignedBy: leader }, now, old)).toHaveLength(1);
    expect(decideWaive(s, { ...cmd, actor: leader }, now, old)).toHaveLength(1);
  });

  it('waives a statutory step only through a request another leader co-signs (four eyes)', () => {
    const cmd = { commandId: 'c', taskId: 'oppfolgingsbesok#1', reason: 'ikke-relevant' as const };
    // Directly: refused for everyone, leaders too; a step without the need is still waived directly.
    for (const actor of [caseworker, leader])
      expect(rejection(() => decideWaive(s, { ...cmd, actor }, now))).toMatchObject({
        code: 'not-allowed',
        field: 'taskId',
      });
    expect(rejection(() => decideWaive(s, { ...cmd, actor: caseworker, coSignedBy: leader }, now)).code).toBe(
      'not-allowed',
    );
    expect(decideWaive(s, { ...cmd, actor: caseworker, taskId: 'kontakt-dag1#1' }, now)).toHaveLength(1);

    const ask = {
      commandId: 'r',
      actor: caseworker,
      taskId: 'oppfolgingsbesok#1',
      reason: 'barnet-onsker-ikke' as const,
      requestId: 'req-1',
    };
    // A step that needs no co-signature is not asked for; an unknown reason names the field.
    expect(rejection(() => decideRequestWaiver(s, { ...ask, taskId: 'kontakt-dag1#1' }, now)).field).toBe(
      'taskId',
    );
    expect(rejection(() => decideRequestWaiver(s, { ...ask, reason: 'lei' as never }, now)).field).toBe(
      'reason',
    );
    expect(
      rejection(() =>
        decideRequestWaiver(s, { ...ask, actor: { userId: 'u-tf', role: 'tilsynsforer' } }, now),
      ).code,
    ).toBe('not-allowed');
    const requested = decideRequestWaiver(s, ask, now);
    expect(requested).toEqual([
      {
        type: 'WaiverRequested',
        data: {
          taskId: 'oppfolgingsbesok#1',
          at: now,
          requestId: 'req-1',
          reason: 'barnet-onsker-ikke',
          by: caseworker,
        },
      },
    ]);
    const open = fold(requested, s)!;
    expect(open.tasks['oppfolgingsbesok#1'].status).toBe('planned'); // still runs, still escalates
    expect(openWaiverRequest(open.tasks['oppfolgingsbesok#1'])?.requestId).toBe('req-1');
    expect(rejection(() => decideRequestWaiver(open, { ...ask, requestId: 'req-2' }, now)).code).toBe(
      'conflict',
    );

    const sign = { commandId: 's', actor: leader, taskId: 'oppfolgingsbesok#1', requestId: 'req-1' };
    // Only a leader, never one's own request, only the request that was read.
    expect(rejection(() => decideCosignWaiver(open, { ...sign, actor: caseworker }, now)).code).toBe(
      'not-allowed',
    );
    expect(rejection(() => decideCosignWaiver(open, { ...sign, requestId: 'req-0' }, now)).code).toBe(
      'conflict',
    );
    const ownRequest = fold(decideRequestWaiver(s, { ...ask, actor: leader }, now), s)!;
    expect(rejection(() => decideCosignWaiver(ownRequest, sign, now))).toMatchObject({
      code: 'not-allowed',
      field: 'requestId',
    });
    expect(
      decideCosignWaiver(ownRequest, { ...sign, actor: { userId: 'u-led-2', role: 'leder' } }, now),
    ).toHaveLength(1);

    const signed = decideCosignWaiver(open, sign, now);
    expect(signed).toEqual([
      {
        type: 'TaskWaived',
        data: {
          taskId: 'oppfolgingsbesok#1',
          at: now,
          reason: 'barnet-onsker-ikke',
          by: caseworker,
          coSignedBy: leader,
          requestId: 'req-1',
          requestedAt: now,
        },
      },
    ]);
    const waived = fold(signed, open)!.tasks['oppfolgingsbesok#1'];
    expect(waived).toMatchObject({
      status: 'waived',
      waiverReason: 'barnet-onsker-ikke',
      waiver: { status: 'cosigned', requestedBy: caseworker, decidedBy: leader, decidedAt: now },
    });
    expect(rejection(() => decideCosignWaiver(fold(signed, open)!, sign, now)).code).toBe('conflict');

    // Declined: the task goes on, and may be asked for again.
    const declined = fold(decideDeclineWaiver(open, { ...sign, declineRef: 'd-1' }, now), open)!;
    expect(declined.tasks['oppfolgingsbesok#1']).toMatchObject({
      status: 'planned',
      waiver: { status: 'declined', decidedBy: leader, declineRef: 'd-1' },
    });
    expect(openWaiverRequest(declined.tasks['oppfolgingsbesok#1'])).toBeUndefined();
    expect(rejection(() => decideCosignWaiver(declined, sign, now)).code).toBe('conflict');
    expect(decideRequestWaiver(declined, { ...ask, requestId: 'req-2' }, now)).toHaveLength(1);
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
