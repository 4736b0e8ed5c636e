import { spawn } from 'node:child_process';
import { manage, type ManagedProcess } from './processes.js';
import { restartDelay, supervise, type SupervisorEvent } from './supervisor.js';

/* Real processes (sh, sleep), a fast policy: the restart loop as npm start runs it. */
const policy = { initialDelayMs: 50, maxDelayMs: 200, resetAfterMs: 60_000 };
const start = (script: string) => (): Promise<ManagedProcess> =>
  Promise.resolve(manage('part', spawn('sh', ['-c', script], { stdio: 'ignore' }), { stopGraceMs: 1_000 }));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('restartDelay', () => {
  it('doubles with every failure in a row, up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay({ ...policy, maxDelayMs: 1_000 }, n))).toEqual([
      50, 100, 200, 400, 800, 1_000,
    ]);
  });
});

describe('supervise', () => {
  it('starts a part that keeps dying again and again, waiting longer each time', async () => {
    const events: SupervisorEvent[] = [];
    const dying = start('exit 3');
    const slot = supervise('part', await dying(), dying, { policy, onEvent: (e) => events.push(e) });
    while (events.filter((e) => e.type === 'exited').length < 5) await new Promise((r) => setTimeout(r, 20));
    await slot.stop();
    const exits = events.filter((e) => e.type === 'exited');
    expect(exits.map((e) => e.restartInMs)).toEqual([50, 100, 200, 200, 200]);
    expect(exits[0]).toMatchObject({ exit: { code: 3, signal: null } });
  });

  it('brings back a killed part, and stops it for good on stop()', async () => {
    const events: SupervisorEvent[] = [];
    const sleeper = start('exec sleep 60');
    const slot = supervise('part', await sleeper(), sleeper, { policy, onEvent: (e) => events.push(e) });
    const first = slot.current();
    process.kill(first.pid, 'SIGKILL');
    while (slot.current() === first) await new Promise((r) => setTimeout(r, 20));
    const second = slot.current();
    expect(alive(second.pid)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['exited', 'restarted']);
    expect(events[0]).toMatchObject({ exit: { code: null, signal: 'SIGKILL' } });

    await slot.stop();
    expect(second.hasExited()).toBe(true);
    await new Promise((r) => setTimeout(r, 200)); // longer than any restart delay
    expect(slot.current()).toBe(second);
    expect(events).toHaveLength(2);
  });
});
