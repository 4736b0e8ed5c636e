import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  acceptSteps,
  decideAccept,
  decideAssignmentTick,
  decideComplete,
  decideDecline,
  decideOrder,
  decideWait,
  nextAssignmentWakeUp,
  orderSteps,
  validateAccept,
  validateComplete,
  validateOrder,
  type StepToPlan,
} from '../libs/domain/kompetansebase/decide.js';
import type { AssignmentEvent } from '../libs/domain/kompetansebase/events.js';
import { evolveAssignment, isFinished, type AssignmentState } from '../libs/domain/kompetansebase/state.js';
import type { SubmitOrder } from '../libs/domain/kompetansebase/vocabulary.js';
import { osloDateOf } from '../libs/domain/package/clock.js';
import { createEventStream } from './event-stream.js';
import {
  assignmentQuery,
  assignmentUpdates,
  submitOrderUpdate,
  type AssignmentCommandName,
  type AssignmentCommandResult,
  type AssignmentInput,
  type AssignmentOutcome,
} from './kompetansebase-contracts.js';
import { kompetansebase, nowIso } from './package-effects.js';
import { streamCommand, toFailure, type CommandHandler } from './stream-commands.js';

/** Continue-as-new well before Temporal's limits, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 5000;

/**
 * One kompetansebase assignment (issue 17), from the order to its closing or its decline: the same
 * engine as a placement's care package (event stream, commit-then-fold, Updates, durable timers), with
 * its own deciders (libs/domain/kompetansebase) and stream type. The clock makes steps overdue and
 * escalates them to the base leader; the agreed evaluation date becomes a timer like any other.
 */
export async function kompetansebaseAssignment(input: AssignmentInput): Promise<AssignmentOutcome> {
  const { order } = input;
  const stream = createEventStream<AssignmentState, AssignmentEvent>({
    ...(input.carried ? { carried: input.carried } : {}),
    evolve: evolveAssignment,
    append: ({ expectedVersion, events, cause }) =>
      kompetansebase.appendAssignmentEvents({
        assignmentId: order.assignmentId,
        expectedVersion,
        events,
        cause,
      }),
    notReady: 'Bestillingen er ikke registrert ferdig ennå.',
  });
  const { commit, current, exclusive } = stream;

  const plan = (
    s: { catalogVersion: string; origin: { serviceId: string } },
    steps: readonly StepToPlan[],
  ) =>
    steps.length === 0
      ? Promise.resolve([])
      : kompetansebase.planAssignmentTasks({
          catalogVersion: s.catalogVersion,
          serviceId: s.origin.serviceId,
          steps,
        });

  const commands: {
    [N in AssignmentCommandName]: CommandHandler<
      Parameters<
        (typeof assignmentUpdates)[N] extends UpdateDefinition<unknown, infer A> ? (...a: A) => void : never
      >[0],
      AssignmentCommandResult
    >;
  } = {
    acceptOrder: streamCommand(stream, validateAccept, async (s, cmd) => {
      validateAccept(s, cmd);
      const now = nowIso();
      const planned = await plan(s, acceptSteps(now));
      await commit({ commandId: cmd.commandId }, (st) => decideAccept(st!, cmd, planned, now));
    }),
    declineOrder: streamCommand(
      stream,
      (s, cmd) => void decideDecline(s, cmd, nowIso()),
      (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideDecline(st!, cmd, nowIso())),
    ),
    waitOrder: streamCommand(
      stream,
      (s, cmd) => void decideWait(s, cmd, nowIso()),
      (_, cmd) => commit({ commandId: cmd.commandId }, (st) => decideWait(st!, cmd, nowIso())),
    ),
    completeAssignmentStep: streamCommand(
      stream,
      (s, cmd) => void validateComplete(s, cmd, nowIso()),
      async (s, cmd) => {
        const planned = await plan(s, validateComplete(s, cmd, nowIso()));
        await commit({ commandId: cmd.commandId }, (st) => decideComplete(st!, cmd, planned, nowIso()));
      },
    ),
  };
  for (const name of Object.keys(commands) as AssignmentCommandName[]) {
    const { handler, validator } = commands[name] as CommandHandler<
      { commandId: string },
      AssignmentCommandResult
    >;
    setHandler(
      assignmentUpdates[name] as UpdateDefinition<AssignmentCommandResult, [{ commandId: string }]>,
      handler,
      { validator },
    );
  }
  // The order is the update sent with start: a repeat finds the same workflow and waits for the record.
  setHandler(
    submitOrderUpdate,
    async (cmd: SubmitOrder): Promise<AssignmentCommandResult> => {
      await condition(() => stream.state !== undefined);
      return {
        version: current().version,
        applied: cmd.commandId === order.commandId,
        repeated: input.carried !== undefined,
      };
    },
    {
      validator: (cmd: SubmitOrder) => {
        if (cmd?.assignmentId !== order.assignmentId)
          throw ApplicationFailure.create({
            type: 'CommandRejected',
            message: 'Feil bestilling.',
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(assignmentQuery, () => stream.state);

  if (!stream.state) {
    try {
      validateOrder(order);
    } catch (error) {
      throw toFailure(error);
    }
    const at = nowIso();
    const planned = await plan(order, orderSteps(osloDateOf(at)));
    await exclusive(() =>
      commit({ commandId: order.commandId }, (st) => (st ? [] : decideOrder(order, planned, at))),
    );
    stream.remember(order.commandId, current().version);
  }

  for (;;) {
    const s = current();
    if (isFinished(s)) break;
    const next = nextAssignmentWakeUp(s);
    const timeout = next === undefined ? undefined : Math.max(0, Date.parse(next) - Date.now());
    await stream.waitForAppend(timeout);
    await exclusive(() => commit({ tick: true }, (st) => decideAssignmentTick(st!, nowIso())));
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.maxHistoryEvents ?? MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof kompetansebaseAssignment>({ ...input, carried: stream.carried() });
    }
  }
  await condition(allHandlersFinished);
  const final = current();
  return { assignmentId: final.assignmentId, status: final.status, version: final.version };
}
