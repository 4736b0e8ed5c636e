import { fold } from '../state.js';
import { caseworker, packageWith, task } from '../test-support.js';
import { decidePause } from './placement.js';
import { decideComplete } from './tasks.js';
import { decideTick, expiresAt, nextWakeUp } from './time.js';

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
