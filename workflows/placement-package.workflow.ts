import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { yearOf } from '../libs/domain/calendar/dates.js';
import { osloDateOf } from '../libs/domain/package/clock.js';
import {
  compactForNewYear,
  countedVisits,
  decideOrdinaryYear,
  decideRegister,
  decideRegisterOrdinary,
  decideTick,
  nextWakeUp,
  ordinaryFrom,
  yearEndInstant,
} from '../libs/domain/package/decide.js';
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

/**
 * The patch under which a completed package goes on into ordinary follow-up (issue 16) instead of ending
 * the workflow: runs recorded before it end as they did.
 */
const ORDINARY_FOLLOW_UP_PATCH = 'ordinary-follow-up';

/** Continue-as-new well before Temporal's limits, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 5000;

/**
 * One placement's care package, for its first year, and then its ordinary follow-up year by year (a
 * new run at each 1 January) until the placement ends: tasks open, come due, get reminded, go overdue and
 * escalate on durable timers; people act on them through Updates. Every decision is appended to the
 * event store (by an activity) before the in-memory state changes, so the events are the record and the
 * state is their fold.
 */
export async function placementPackage(input: PackageInput): Promise<PackageOutcome> {
  const stream = createPackageStream(input);
  const { commit, current, exclusive } = stream;
  setPackageHandlers(input, stream);

  const thisYear = () => yearOf(osloDateOf(nowIso()));

  /** Plans a calendar year of ordinary follow-up and records it (with what is due already). */
  async function planYear(year: number): Promise<void> {
    const s = current();
    const at = nowIso();
    const from = ordinaryFrom(year, at);
    const plan = await planning.planOrdinaryYear({
      catalogVersion: s.catalogVersion,
      serviceId: s.organisation.serviceId,
      facts: s.facts,
      reductions: s.reductions,
      pauses: s.pauses ?? [],
      year,
      from,
      ...(s.supervisionEndsMonth ? { supervisionEndsMonth: s.supervisionEndsMonth } : {}),
      visits: countedVisits(s),
    });
    await exclusive(() => commit({ tick: true }, (st) => decideOrdinaryYear(st!, plan, from, at)));
  }

  if (!stream.state) {
    const reg = input.registration;
    if (reg.followUp === 'ordinary') {
      // A child already in a foster home: straight into this year's ordinary follow-up, no package.
      const at = nowIso();
      const today = osloDateOf(at);
      const plan = await planning.planOrdinaryYear({
        catalogVersion: reg.catalogVersion,
        serviceId: reg.organisation.serviceId,
        facts: reg.facts,
        reductions: [],
        year: yearOf(today),
        from: today,
        ...(reg.supervisionEndsMonth ? { supervisionEndsMonth: reg.supervisionEndsMonth } : {}),
        visits: [],
        doneThisYear: reg.doneThisYear ?? [],
      });
      await exclusive(() =>
        commit({ commandId: reg.commandId }, (st) => (st ? [] : decideRegisterOrdinary(reg, plan, at))),
      );
    } else {
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
    }
    stream.remember(reg.commandId, current().version);
  }

  for (;;) {
    const s = current();
    if (s.status === 'ended') break;
    if (s.status === 'completed') {
      // The package is done: ordinary follow-up goes on in this workflow, this calendar year first.
      if (!patched(ORDINARY_FOLLOW_UP_PATCH)) break;
      await planYear(thisYear());
      continue;
    }
    if (s.phase === 'ordinary' && (s.ordinaryYear ?? 0) < thisYear()) {
      await planYear(thisYear()); // a new year's run (continue-as-new at 1 January)
      continue;
    }
    let next = nextWakeUp(s);
    const yearEnd = s.phase === 'ordinary' ? yearEndInstant(s.ordinaryYear!) : undefined;
    if (yearEnd && (next === undefined || yearEnd < next)) next = yearEnd;
    const timeout = next === undefined ? undefined : Math.max(0, Date.parse(next) - Date.now());
    await stream.waitForAppend(timeout);
    await exclusive(() => commit({ tick: true }, (st) => decideTick(st!, nowIso())));
    const after = current();
    if (
      after.phase === 'ordinary' &&
      after.status !== 'ended' &&
      nowIso() >= yearEndInstant(after.ordinaryYear!)
    ) {
      // One run per placement-year: the next year starts as a new run, carrying only what it needs.
      await condition(allHandlersFinished);
      const carried = stream.carried();
      await continueAsNew<typeof placementPackage>({
        ...input,
        carried: { ...carried, state: compactForNewYear(carried.state, after.ordinaryYear! + 1) },
      });
    }
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
