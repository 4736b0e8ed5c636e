import type { Exit } from './processes.js';

/**
 * Keeps a part of the local system running (`npm start`): when its process dies without being asked
 * to stop, it is started again after a delay that doubles with every failure in a row (a failed restart
 * counts too) up to a ceiling, and starts from the beginning once the part has run for a while.
 */
export interface RestartPolicy {
  /** Delay before the first restart. */
  readonly initialDelayMs: number;
  /** The delay never grows beyond this. */
  readonly maxDelayMs: number;
  /** A part that ran this long before it died counts as healthy: the next delay is the first again. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
};

/** The delay before restart number `failures` in a row (1, 2, …): initial · 2^(failures−1), capped. */
export function restartDelay(policy: RestartPolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
}

/** A running instance of a supervised part. */
export interface Supervisable {
  readonly exited: Promise<Exit>;
  stop(): Promise<unknown>;
}

export type SupervisorEvent =
  | {
      readonly type: 'exited';
      readonly name: string;
      readonly exit: Exit;
      readonly failures: number;
      readonly restartInMs: number;
    }
  | {
      readonly type: 'restart-failed';
      readonly name: string;
      readonly error: unknown;
      readonly failures: number;
      readonly restartInMs: number;
    }
  | { readonly type: 'restarted'; readonly name: string };

export interface Supervised<T extends Supervisable> {
  readonly name: string;
  /** The instance running now (the last one started). */
  current(): T;
  /** No more restarts from now on; the running instance is left running. */
  retire(): void;
  /** No more restarts; stops the running instance (and one being started). */
  stop(): Promise<void>;
}

export function supervise<T extends Supervisable>(
  name: string,
  first: T,
  start: () => Promise<T>,
  options: { readonly policy?: RestartPolicy; readonly onEvent?: (event: SupervisorEvent) => void } = {},
): Supervised<T> {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  const emit = options.onEvent ?? (() => undefined);
  let current = first;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<T | undefined> | undefined;

  const scheduleRestart = () => {
    const delay = restartDelay(policy, failures);
    timer = setTimeout(() => {
      timer = undefined;
      starting = start().then(
        async (next) => {
          if (stopped) {
            await next.stop();
            return undefined;
          }
          current = next;
          emit({ type: 'restarted', name });
          watch(next);
          return next;
        },
        (error: unknown) => {
          if (stopped) return undefined;
          failures++;
          emit({
            type: 'restart-failed',
            name,
            error,
            failures,
            restartInMs: restartDelay(policy, failures),
          });
          scheduleRestart();
          return undefined;
        },
      );
    }, delay);
    return delay;
  };

  const watch = (instance: T) => {
    const startedAt = Date.now();
    void instance.exited.then((exit) => {
      if (stopped || instance !== current) return;
      failures = Date.now() - startedAt >= policy.resetAfterMs ? 1 : failures + 1;
      const restartInMs = scheduleRestart();
      emit({ type: 'exited', name, exit, failures, restartInMs });
    });
  };
  watch(first);

  const retire = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  return {
    name,
    current: () => current,
    retire,
    stop: async () => {
      retire();
      await starting;
      await current.stop();
    },
  };
}
