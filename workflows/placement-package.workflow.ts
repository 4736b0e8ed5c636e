import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { PackageActivities } from '../activities/package.activities.js';
import { sameCause, type EventCause, type PackageEvent } from '../libs/domain/events.js';
import type { PlannedTask } from '../libs/domain/plan.js';
import type {
  AddAdHocTask,
  ChangePlacement,
  CompleteTask,
  EndPlacement,
  PausePlacement,
  ReassignTask,
  RecordReduction,
  RegisterPlacement,
  ResumePlacement,
  WaiveTask,
} from '../libs/domain/package/commands.js';
import {
  changedFacts,
  decideAdHoc,
  decideChange,
  decideComplete,
  decideEnd,
  decideFollowUps,
  decidePause,
  decideReassign,
  decideReduction,
  decideRegister,
  decideResume,
  decideTick,
  decideWaive,
  nextWakeUp,
  openTasks,
  validateAdHoc,
  validateChange,
  validateReduction,
  validateResume,
  type PlanChange,
} from '../libs/domain/package/decide.js';
import { CommandRejected } from '../libs/domain/package/rejection.js';
import { evolve, type PackageState } from '../libs/domain/package/state.js';
import {
  commandUpdates,
  planQuery,
  registerUpdate,
  type CarriedState,
  type CommandName,
  type CommandOf,
  type CommandResult,
  type PackageInput,
  type PackageOutcome,
} from './package-contracts.js';

/**
 * Planning runs as local activities too: its result (dates, timer instants) is still recorded in history,
 * as a marker, without a round trip through the server's task queue for every registration.
 */
const planning = proxyLocalActivities<PackageActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    // A conflict or a bad catalog will not heal by retrying; everything else (database down) will.
    nonRetryableErrorTypes: [
      'StreamVersionConflictError',
      'UnknownCatalogVersion',
      'CommandRejected',
      'InvalidPlanInput',
    ],
  },
});

/**
 * Appends run as local activities: one marker in history instead of three events, which keeps a year's
 * history small. They are idempotent (event ids derive from placement and stream version), so the
 * at-least-once retry of a local activity is harmless.
 */
const store = proxyLocalActivities<PackageActivities>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StreamVersionConflictError'],
  },
});
// (proxies: their members exist only on access, so they cannot be spread into one object)
const acts = planning;

/** Continue-as-new well before Temporal's limits, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 5000;

/** How many processed command ids are carried across continue-as-new for deduplication. */
const REMEMBERED_COMMANDS = 500;

const nowIso = (): string => new Date().toISOString(); // the workflow clock: deterministic on replay

function toFailure(error: unknown): unknown {
  if (error instanceof CommandRejected) {
    return ApplicationFailure.create({
      type: 'CommandRejected',
      message: error.message,
      details: [{ code: error.code, field: error.field }],
      nonRetryable: true,
    });
  }
  return error;
}

/** A command's Update handler and its validator (which refuses before anything reaches history). */
interface CommandHandler<C> {
  readonly validator: (cmd: C) => void;
  readonly handler: (cmd: C) => Promise<CommandResult>;
}

/**
 * One placement's care package, for its first year: tasks open, come due, get reminded, go overdue and
 * escalate on durable timers; people act on them through Updates. Every decision is appended to the
 * event store (by an activity) before the in-memory state changes, so the events are the record and the
 * state is their fold.
 */
export async function placementPackage(input: PackageInput): Promise<PackageOutcome> {
  let state: PackageState | undefined = input.carried?.state;
  const processed: string[] = [...(input.carried?.processed ?? [])];
  /** The package version after each remembered command: what a repeat of it answers. */
  const versions = new Map<string, number>(Object.entries(input.carried?.versions ?? {}));
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
  const commit = async (
    cause: EventCause,
    decide: (s: PackageState | undefined) => readonly PackageEvent[],
  ): Promise<void> => {
    for (;;) {
      const events = decide(state);
      if (events.length === 0) return;
      const result = await store.appendPackageEvents({
        placementId: input.registration.placementId,
        expectedVersion: state?.version ?? 0,
        events,
        cause,
      });
      wakeUp = true;
      if (!result.ahead) {
        for (const event of events) state = evolve(state, event);
        return;
      }
      const { events: stored, causes } = result.ahead;
      stored.forEach((event, i) => {
        state = evolve(state, event);
        const by = causes[i];
        if ('commandId' in by) remember(by.commandId, state.version);
      });
      if (causes.some((c) => sameCause(c, cause))) return;
    }
  };

  const current = (): PackageState => {
    if (!state) throw new CommandRejected('conflict', 'Plasseringen er ikke registrert ferdig ennå.');
    return state;
  };

  /**
   * A command handler: the validator rejects bad input before anything reaches history; the
   * handler decides again on the state it finds when its turn comes, commits, and returns the version.
   */
  function handle<C extends { commandId: string }>(
    validate: (s: PackageState, cmd: C) => void,
    run: (s: PackageState, cmd: C) => Promise<Pick<CommandResult, 'change'> | void>,
  ) {
    return {
      validator: (cmd: C) => {
        if (!cmd || typeof cmd.commandId !== 'string')
          throw new CommandRejected('invalid', 'Mangler commandId.', 'commandId');
        if (seen(cmd.commandId)) return; // a repeat: accepted, and answered without a second effect
        try {
          validate(current(), cmd);
        } catch (error) {
          throw toFailure(error);
        }
      },
      handler: (cmd: C): Promise<CommandResult> =>
        exclusive(async () => {
          // A repeat answers the first request's outcome: it took effect, at that version.
          if (seen(cmd.commandId))
            return {
              version: versions.get(cmd.commandId) ?? current().version,
              applied: true,
              repeated: true,
            };
          try {
            const extra = (await run(current(), cmd)) ?? {};
            remember(cmd.commandId, current().version);
            return { version: current().version, applied: true, repeated: false, ...extra };
          } catch (error) {
            throw toFailure(error);
          }
        }),
    };
  }

  // Each command: validate on the state (before anything reaches history), ask the planner what it
  // needs, decide on the state its turn finds, append. The events come from libs/domain/package/decide.
  const planningOf = (s: PackageState) => ({
    catalogVersion: s.catalogVersion,
    serviceId: s.organisation.serviceId,
  });

  const complete = handle(
    (s, cmd: CompleteTask) => void decideComplete(s, cmd, nowIso()),
    async (s, cmd) => {
      await commit({ commandId: cmd.commandId }, (st) => decideComplete(st!, cmd, nowIso()));
      const done = s.tasks[cmd.taskId];
      const followUps = await acts.planFollowUps({
        ...planningOf(s),
        facts: s.facts,
        stepId: done.stepId,
        occurrence: done.occurrence,
        completedOn: cmd.completedOn,
      });
      await commit({ commandId: cmd.commandId, step: 'follow-ups' }, (st) =>
        decideFollowUps(st!, followUps, nowIso()),
      );
    },
  );

  const waive = handle(
    (s, cmd: WaiveTask) => void decideWaive(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideWaive(st!, cmd, nowIso())),
  );

  const reassign = handle(
    (s, cmd: ReassignTask) => void decideReassign(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideReassign(st!, cmd, nowIso())),
  );

  const stepsOf = (s: PackageState) => new Set(Object.values(s.tasks).map((t) => t.stepId));
  const adHoc = handle(
    (s, cmd: AddAdHocTask) => validateAdHoc(s, cmd, (id) => stepsOf(s).has(id)),
    async (s, cmd) => {
      validateAdHoc(s, cmd, (id) => stepsOf(s).has(id));
      const task = await acts.planAdHoc({
        ...planningOf(s),
        stepId: cmd.stepId,
        dueOn: cmd.dueOn,
        role: cmd.role,
        taskId: `adhoc#${cmd.commandId}`,
      });
      await commit({ commandId: cmd.commandId }, (st) => decideAdHoc(st!, task, nowIso()));
    },
  );

  const change = handle(validateChange, async (s, cmd: ChangePlacement) => {
    validateChange(s, cmd);
    const proposed = await acts.planPackage({
      ...planningOf(s),
      facts: changedFacts(s.facts, cmd),
      reductions: s.reductions,
    });
    const now = nowIso();
    let change: PlanChange | undefined;
    await commit({ commandId: cmd.commandId }, (st) => {
      const decided = decideChange(st!, cmd, proposed, now);
      change ??= decided.change;
      return decided.events;
    });
    return change ? { change } : {};
  });

  const reduction = handle(validateReduction, async (s, cmd: RecordReduction) => {
    validateReduction(s, cmd);
    const proposed = await acts.planPackage({
      ...planningOf(s),
      facts: s.facts,
      reductions: [...s.reductions, cmd.decision],
    });
    const now = nowIso();
    await commit({ commandId: cmd.commandId }, (st) => decideReduction(st!, cmd, proposed, now));
  });

  const pause = handle(
    (s, cmd: PausePlacement) => void decidePause(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decidePause(st!, cmd, nowIso())),
  );

  const resume = handle(
    (s, cmd: ResumePlacement) => void validateResume(s, cmd, nowIso()),
    async (s, cmd) => {
      const days = validateResume(s, cmd, nowIso());
      const now = nowIso();
      const shifted: PlannedTask[] =
        days > 0 ? await acts.reschedule({ ...planningOf(s), tasks: openTasks(s), shiftDays: days }) : [];
      await commit({ commandId: cmd.commandId }, (st) => decideResume(st!, cmd, shifted, now));
    },
  );

  const end = handle(
    (s, cmd: EndPlacement) => void decideEnd(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideEnd(st!, cmd, nowIso())),
  );

  const commands: { [N in CommandName]: CommandHandler<CommandOf<N>> } = {
    completeTask: complete,
    waiveTask: waive,
    reassignTask: reassign,
    addAdHocTask: adHoc,
    changePlacement: change,
    recordReduction: reduction,
    pause,
    resume,
    endPlacement: end,
  };
  for (const name of Object.keys(commands) as CommandName[]) {
    const { handler, validator } = commands[name] as CommandHandler<{ commandId: string }>;
    setHandler(commandUpdates[name] as UpdateDefinition<CommandResult, [{ commandId: string }]>, handler, {
      validator,
    });
  }

  // Registration is the update sent with start (update-with-start): a repeat finds the same workflow and
  // simply waits for the registration to be recorded.
  setHandler(
    registerUpdate,
    async (cmd: RegisterPlacement): Promise<CommandResult> => {
      await condition(() => state !== undefined);
      // The registration was applied (the workflow exists for it); after continue-as-new this is a repeat.
      return {
        version: current().version,
        applied: cmd.commandId === input.registration.commandId,
        repeated: input.carried !== undefined,
      };
    },
    {
      validator: (cmd: RegisterPlacement) => {
        if (cmd?.placementId !== input.registration.placementId) {
          throw ApplicationFailure.create({
            type: 'CommandRejected',
            message: 'Feil plassering.',
            nonRetryable: true,
          });
        }
      },
    },
  );
  setHandler(planQuery, () => state);

  if (!state) {
    const reg = input.registration;
    const tasks = await acts.planPackage({
      catalogVersion: reg.catalogVersion,
      serviceId: reg.organisation.serviceId,
      facts: reg.facts,
      reductions: [],
    });
    const at = nowIso();
    await exclusive(() =>
      commit({ commandId: reg.commandId }, (st) => (st ? [] : decideRegister(reg, tasks, at))),
    );
    remember(reg.commandId, current().version);
  }

  for (;;) {
    const s = current();
    if (s.status === 'ended' || s.status === 'completed') break;
    const next = nextWakeUp(s);
    const timeout = next === undefined ? undefined : Math.max(0, Date.parse(next) - Date.now());
    if (timeout === undefined) await condition(() => wakeUp);
    else await condition(() => wakeUp, timeout);
    wakeUp = false;
    await exclusive(() => commit({ tick: true }, (st) => decideTick(st!, nowIso())));
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.maxHistoryEvents ?? MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      const carried: CarriedState = { state: current(), processed, versions: Object.fromEntries(versions) };
      await continueAsNew<typeof placementPackage>({ ...input, carried });
    }
  }
  await condition(allHandlersFinished);
  const final = current();
  return { placementId: final.placementId, status: final.status, version: final.version };
}
