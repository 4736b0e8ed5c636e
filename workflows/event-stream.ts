import { condition } from '@temporalio/workflow';
import { sameCause, type EventCause } from '../libs/domain/events.js';
import { CommandRejected } from '../libs/domain/package/rejection.js';

/** How many processed command ids are carried across continue-as-new for deduplication. */
const REMEMBERED_COMMANDS = 500;

/** What continue-as-new carries over of a stream. */
export interface CarriedStream<S> {
  readonly state: S;
  /** Recently processed command ids: a repeat after continue-as-new still has one effect. */
  readonly processed: readonly string[];
  /** The stream version after each of them (absent in runs carried over before it was kept). */
  readonly versions?: Readonly<Record<string, number>>;
}

/** What an append answers: the new version, or the events a stream ahead of the state holds. */
export interface AppendResult<E> {
  readonly version: number;
  readonly ahead?: { readonly events: readonly E[]; readonly causes: readonly EventCause[] };
}

/**
 * One event stream as a workflow holds it (a placement's package, a kompetansebase assignment, …): the
 * state (the fold of the events appended so far), the commands it has processed (so a repeat has one
 * effect), and the one way to change the state: `commit`, which appends the decided events and then
 * folds them. Commands and timer ticks commit one at a time, in arrival order (`exclusive`).
 */
export interface EventStream<S extends { readonly version: number }, E> {
  /** The fold of the stream; undefined until its first event is recorded. */
  readonly state: S | undefined;
  /** The state, or a conflict while the first event is not recorded yet. */
  readonly current: () => S;
  /** Runs `fn` after everything queued before it: one commit at a time, in arrival order. */
  readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Whether the command was processed (and is remembered). */
  readonly seen: (commandId: string) => boolean;
  /** The stream version after a remembered command: what a repeat of it answers. */
  readonly versionAfter: (commandId: string) => number | undefined;
  readonly remember: (commandId: string, version: number) => void;
  /** Decides, appends, folds (see `createEventStream`). */
  readonly commit: (cause: EventCause, decide: (s: S | undefined) => readonly E[]) => Promise<void>;
  /** Waits until something was appended or `timeoutMs` passed (forever if undefined). */
  readonly waitForAppend: (timeoutMs: number | undefined) => Promise<void>;
  /** What continue-as-new carries over. */
  readonly carried: () => CarriedStream<S>;
}

export interface EventStreamOptions<S, E> {
  readonly carried?: CarriedStream<S>;
  readonly evolve: (s: S | undefined, event: E) => S;
  /** Appends at `expectedVersion` (an activity: idempotent, answers `ahead` when the stream moved on). */
  readonly append: (input: {
    readonly expectedVersion: number;
    readonly events: readonly E[];
    readonly cause: EventCause;
  }) => Promise<AppendResult<E>>;
  /** The conflict's message (bokmål) while the first event is not recorded. */
  readonly notReady: string;
}

export function createEventStream<S extends { readonly version: number }, E>(
  options: EventStreamOptions<S, E>,
): EventStream<S, E> {
  const { evolve, append } = options;
  let state: S | undefined = options.carried?.state;
  const processed: string[] = [...(options.carried?.processed ?? [])];
  /** The stream version after each remembered command: what a repeat of it answers. */
  const versions = new Map<string, number>(Object.entries(options.carried?.versions ?? {}));
  let wakeUp = false;

  // Commands and timer ticks each append events and then fold them; one at a time, in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const seen = (commandId: string) => versions.has(commandId) || processed.includes(commandId);
  const remember = (commandId: string, version: number) => {
    if (!versions.has(commandId)) processed.push(commandId);
    versions.set(commandId, version);
    while (processed.length > REMEMBERED_COMMANDS) versions.delete(processed.shift()!);
  };

  /**
   * Decides, appends, folds: the events are the record and the state is their fold. If the stream is
   * ahead of the state (an earlier attempt of this workflow task committed its append, and the worker
   * died before the task completed; the retried task decided again, at another instant), the stored
   * events come back instead: they are folded first and their commands remembered, and if they are
   * this decision's own (the same cause) that is its outcome, else it is decided again on the caught-up
   * state. So a crash in that window never leaves the workflow behind its stream.
   */
  const commit = async (cause: EventCause, decide: (s: S | undefined) => readonly E[]): Promise<void> => {
    for (;;) {
      const events = decide(state);
      if (events.length === 0) return;
      const result = await append({ expectedVersion: state?.version ?? 0, events, cause });
      wakeUp = true;
      if (!result.ahead) {
        for (const event of events) state = evolve(state, event);
        return;
      }
      const { events: stored, causes } = result.ahead;
      stored.forEach((event, i) => {
        state = evolve(state, event);
        const by = causes[i];
        if (by && 'commandId' in by) remember(by.commandId, state.version);
      });
      if (causes.some((c) => sameCause(c, cause))) return;
    }
  };

  const current = (): S => {
    if (!state) throw new CommandRejected('conflict', options.notReady);
    return state;
  };

  return {
    get state() {
      return state;
    },
    current,
    exclusive,
    seen,
    versionAfter: (commandId) => versions.get(commandId),
    remember,
    commit,
    waitForAppend: async (timeoutMs) => {
      if (timeoutMs === undefined) await condition(() => wakeUp);
      else await condition(() => wakeUp, timeoutMs);
      wakeUp = false;
    },
    carried: () => ({ state: current(), processed, versions: Object.fromEntries(versions) }),
  };
}
