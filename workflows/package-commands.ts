import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { PlannedTask } from '../libs/domain/plan.js';
import type {
  AddAdHocTask,
  ChangePlacement,
  CompleteTask,
  CosignWaiver,
  DeclineWaiver,
  AnnulPlacement,
  EndPlacement,
  PausePlacement,
  ReassignTask,
  RecordReduction,
  SetSupervisionEnd,
  RegisterPlacement,
  RequestWaiver,
  ResumePlacement,
  WaiveTask,
} from '../libs/domain/package/commands.js';
import {
  changedFacts,
  decideAdHoc,
  decideAnnul,
  decideChange,
  decideComplete,
  decideCosignWaiver,
  decideDeclineWaiver,
  decideEnd,
  decideFollowUps,
  decidePause,
  decideOrdinaryReduction,
  decideReassign,
  decideReduction,
  decideRequestWaiver,
  decideResume,
  decideSupervisionEnd,
  decideWaive,
  openTasks,
  validateAdHoc,
  validateChange,
  validateReduction,
  validateReductionRules,
  validateResume,
  type PlanChange,
} from '../libs/domain/package/decide.js';
import type { PackageState } from '../libs/domain/package/state.js';
import {
  commandUpdates,
  planQuery,
  registerUpdate,
  type CommandName,
  type CommandOf,
  type CommandResult,
  type PackageInput,
  WAIVER_COSIGN_PATCH,
} from './package-contracts.js';
import { nowIso, planning } from './package-effects.js';
import type { PackageStream } from './package-stream.js';
import { streamCommand, type CommandHandler } from './stream-commands.js';

/*
 * The placement workflow's message handlers: one Update per command (package-contracts.ts names them),
 * the registration sent with start, and the plan query. Each command: validate on the state (before
 * anything reaches history), ask the planner what it needs, decide on the state its turn finds, append.
 * The events come from libs/domain/package/decide.
 */

/** Sets the handlers of every message the workflow answers; call before the workflow's first await. */
export function setPackageHandlers(input: PackageInput, stream: PackageStream): void {
  const { commit, current } = stream;

  /** A command handler on the placement's stream (./stream-commands.ts). */
  const handle = <C extends { commandId: string }>(
    validate: (s: PackageState, cmd: C) => void,
    run: (s: PackageState, cmd: C) => Promise<Pick<CommandResult, 'change'> | void>,
  ): CommandHandler<C, CommandResult> => streamCommand(stream, validate, run);

  const planningOf = (s: PackageState) => ({
    catalogVersion: s.catalogVersion,
    serviceId: s.organisation.serviceId,
  });

  const complete = handle(
    (s, cmd: CompleteTask) => void decideComplete(s, cmd, nowIso()),
    async (s, cmd) => {
      await commit({ commandId: cmd.commandId }, (st) => decideComplete(st!, cmd, nowIso()));
      const done = s.tasks[cmd.taskId];
      const followUps = await planning.planFollowUps({
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

  // The validator runs only for new commands: always the four-eyes rule. The handler also replays old
  // ones: those recorded before the patch are decided as they were (a leader alone could waive).
  const waive = handle(
    (s, cmd: WaiveTask) => void decideWaive(s, cmd, nowIso(), { fourEyes: true }),
    (_, cmd) => {
      const fourEyes = patched(WAIVER_COSIGN_PATCH);
      return commit({ commandId: cmd.commandId }, (st) => decideWaive(st!, cmd, nowIso(), { fourEyes }));
    },
  );

  const requestWaiver = handle(
    (s, cmd: RequestWaiver) => void decideRequestWaiver(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideRequestWaiver(st!, cmd, nowIso())),
  );

  const cosignWaiver = handle(
    (s, cmd: CosignWaiver) => void decideCosignWaiver(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideCosignWaiver(st!, cmd, nowIso())),
  );

  const declineWaiver = handle(
    (s, cmd: DeclineWaiver) => void decideDeclineWaiver(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideDeclineWaiver(st!, cmd, nowIso())),
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
      const task = await planning.planAdHoc({
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
    const proposed = await planning.planPackage({
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

  // New decisions follow the rules of ordinary follow-up (two years, the child's view and consent); the
  // validator runs only for new commands, so decisions recorded before replay as they were.
  const validateNewReduction = (s: PackageState, cmd: RecordReduction) => {
    validateReduction(s, cmd);
    validateReductionRules(s, cmd);
  };
  const reduction = handle(validateNewReduction, async (s, cmd: RecordReduction) => {
    validateReduction(s, cmd);
    if (s.phase === 'ordinary') {
      // Ordinary follow-up: this year's surplus visits go; later years are planned with the decision.
      await commit({ commandId: cmd.commandId }, (st) => decideOrdinaryReduction(st!, cmd, nowIso()));
      return;
    }
    const proposed = await planning.planPackage({
      ...planningOf(s),
      facts: s.facts,
      reductions: [...s.reductions, cmd.decision],
    });
    const now = nowIso();
    await commit({ commandId: cmd.commandId }, (st) => decideReduction(st!, cmd, proposed, now));
  });

  const supervisionEnd = handle(
    (s, cmd: SetSupervisionEnd) => void decideSupervisionEnd(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideSupervisionEnd(st!, cmd, nowIso())),
  );

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
        days > 0 ? await planning.reschedule({ ...planningOf(s), tasks: openTasks(s), shiftDays: days }) : [];
      await commit({ commandId: cmd.commandId }, (st) => decideResume(st!, cmd, shifted, now));
    },
  );

  const end = handle(
    (s, cmd: EndPlacement) => void decideEnd(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideEnd(st!, cmd, nowIso())),
  );

  const annul = handle(
    (s, cmd: AnnulPlacement) => void decideAnnul(s, cmd, nowIso()),
    (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideAnnul(st!, cmd, nowIso())),
  );

  const commands: { [N in CommandName]: CommandHandler<CommandOf<N>, CommandResult> } = {
    completeTask: complete,
    waiveTask: waive,
    requestWaiver,
    cosignWaiver,
    declineWaiver,
    reassignTask: reassign,
    addAdHocTask: adHoc,
    changePlacement: change,
    recordReduction: reduction,
    setSupervisionEnd: supervisionEnd,
    pause,
    resume,
    endPlacement: end,
    annulPlacement: annul,
  };
  for (const name of Object.keys(commands) as CommandName[]) {
    const { handler, validator } = commands[name] as CommandHandler<{ commandId: string }, CommandResult>;
    setHandler(commandUpdates[name] as UpdateDefinition<CommandResult, [{ commandId: string }]>, handler, {
      validator,
    });
  }

  // Registration is the update sent with start (update-with-start): a repeat finds the same workflow and
  // simply waits for the registration to be recorded (by the workflow itself, when it starts).
  setHandler(
    registerUpdate,
    async (cmd: RegisterPlacement): Promise<CommandResult> => {
      await condition(() => stream.state !== undefined);
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
  setHandler(planQuery, () => stream.state);
}
