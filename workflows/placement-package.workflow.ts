import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { decideRegister, decideTick, nextWakeUp } from '../libs/domain/package/decide.js';
import type { PackageInput, PackageOutcome } from './package-contracts.js';
import { setPackageHandlers } from './package-commands.js';
import { nowIso, planning } from './package-effects.js';
import { createPackageStream } from './package-stream.js';

/*
 * The workflow only orchestrates: it records the registration, then sleeps until the next instant the
 * clock makes something happen (or a command appended), ticks, and continues as new when history grows.
 * - package-stream.ts: the state, the commit (append, then fold; catch up on a stream that is ahead)
 *   and the commands remembered for deduplication
 * - package-commands.ts: the Update handler of each command, the registration update, the plan query
 * - package-effects.ts: the activities it calls (timeouts, retries) and the clock
 */

/** The patch under which tasks overdue at registration get the registration grace (issue 15). */
const REGISTRATION_GRACE_PATCH = 'registration-arrears-grace';

/** Continue-as-new well before Temporal's limits, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 5000;

/**
 * One placement's care package, for its first year: tasks open, come due, get reminded, go overdue and
 * escalate on durable timers; people act on them through Updates. Every decision is appended to the
 * event store (by an activity) before the in-memory state changes, so the events are the record and the
 * state is their fold.
 */
export async function placementPackage(input: PackageInput): Promise<PackageOutcome> {
  const stream = createPackageStream(input);
  const { commit, current, exclusive } = stream;
  setPackageHandlers(input, stream);

  if (!stream.state) {
    const reg = input.registration;
    const tasks = await planning.planPackage({
      catalogVersion: reg.catalogVersion,
      serviceId: reg.organisation.serviceId,
      facts: reg.facts,
      reductions: [],
    });
    const at = nowIso();
    // Registrations recorded before the grace existed replay as they were decided (no grace).
    const arrearsGrace = patched(REGISTRATION_GRACE_PATCH);
    await exclusive(() =>
      commit({ commandId: reg.commandId }, (st) =>
        st ? [] : decideRegister(reg, tasks, at, { arrearsGrace }),
      ),
    );
    stream.remember(reg.commandId, current().version);
  }

  for (;;) {
    const s = current();
    if (s.status === 'ended' || s.status === 'completed') break;
    const next = nextWakeUp(s);
    const timeout = next === undefined ? undefined : Math.max(0, Date.parse(next) - Date.now());
    await stream.waitForAppend(timeout);
    await exclusive(() => commit({ tick: true }, (st) => decideTick(st!, nowIso())));
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.maxHistoryEvents ?? MAX_HISTORY_EVENTS)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof placementPackage>({ ...input, carried: stream.carried() });
    }
  }
  await condition(allHandlersFinished);
  const final = current();
  return { placementId: final.placementId, status: final.status, version: final.version };
}
