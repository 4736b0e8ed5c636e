import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { addDays, diffDays } from '../../libs/domain/calendar/dates.js';
import { osloInstant } from '../../libs/domain/calendar/oslo-time.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import { fold, isFinal, type PackageState, type TaskState } from '../../libs/domain/package/state.js';
import type { IsoDate, PlacementType } from '../../libs/domain/vocabulary.js';
import { type EventStore } from '../../libs/event-store/index.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';
import {
  placementWorkflowId,
  type PackageInput,
  type PlacementPackageWorkflow,
} from '../../workflows/package-contracts.js';
import { caseworker, leader, registration } from '../../libs/fixtures/placements.js';
import { timeSkippingWorld } from '../support/time-skipping.js';

/**
 * Whole 12-month care packages in virtual time on the real time-skipping server, with the real
 * activities (planner, PostgreSQL event store). At points along the way we check exactly which tasks
 * are open, due soon, overdue and escalated.
 */
describe('placement package workflow (time-skipping)', () => {
  const world = timeSkippingWorld('packages');
  let env: TestWorkflowEnvironment;
  let eventStore: EventStore;
  let commands: PlacementCommands;
  const calendar = norwegianWorkingDays();

  beforeAll(() => {
    ({ env, eventStore } = world());
    commands = new PlacementCommands(env.client, world().taskQueue);
  });

  const now = async () => new Date(await env.currentTimeMs()).toISOString();

  /** A Monday at least a week ahead whose first three days are working days: stable day-1/day-2 checks. */
  async function nextPlacementDate(): Promise<IsoDate> {
    let date = addDays(osloDateOf(await env.currentTimeMs()), 8);
    while (
      new Date(`${date}T00:00:00Z`).getUTCDay() !== 1 ||
      ![0, 1, 2].every((d) => calendar.isWorkingDay(addDays(date, d)))
    ) {
      date = addDays(date, 1);
    }
    return date;
  }

  /** Advance virtual time to 10:00 Oslo on day `day` of the placement, then wait for the workflow to settle. */
  async function goTo(placementId: string, placementDate: IsoDate, day: number): Promise<PackageState> {
    const target = Date.parse(osloInstant(addDays(placementDate, day), 10));
    const current = await env.currentTimeMs();
    if (target > current) await env.sleep(target - current);
    return settled(placementId);
  }

  async function storedEvents(placementId: string): Promise<PackageEvent[]> {
    const rows = await eventStore.readStream({ streamType: 'placement', streamId: placementId });
    return rows.map((r) => ({ type: r.type, data: r.payload }) as PackageEvent);
  }

  async function settled(placementId: string): Promise<PackageState> {
    for (let i = 0; i < 200; i++) {
      const state = await commands.plan(placementId);
      if (state && (state.status !== 'active' || decideTick(state, await now()).length === 0)) {
        if ((await storedEvents(placementId)).length === state.version) return state;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('workflow did not settle');
  }

  /** What must be true of each unfinished task at `at`, from its own timer instants. */
  function expectTimersHonoured(state: PackageState, at: string) {
    const live = Object.values(state.tasks).filter((t) => !isFinal(t));
    const pick = (f: (t: TaskState) => boolean) =>
      live
        .filter(f)
        .map((t) => t.taskId)
        .sort();
    expect(pick((t) => t.status === 'open')).toEqual(pick((t) => t.timers.opensAt <= at));
    expect(pick((t) => t.dueSoon)).toEqual(pick((t) => t.timers.remindAt <= at));
    expect(pick((t) => t.overdue)).toEqual(pick((t) => t.timers.overdueAt <= at));
    expect(pick((t) => t.escalated)).toEqual(pick((t) => t.timers.escalateAt <= at));
  }

  /** The user-facing reason of a rejected command (carried as the cause of the update failure). */
  async function rejection(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause;
      return cause?.message ?? String(error);
    }
    throw new Error('expected the command to be rejected');
  }

  const steps = (state: PackageState) => new Set(Object.values(state.tasks).map((t) => t.stepId));
  const task = (state: PackageState, taskId: string) => state.tasks[taskId];

  const expectations: Record<PlacementType, { has: string[]; lacks: string[] }> = {
    omsorgsovertakelse: {
      has: ['omsorgsplan', 'foreldre-tilbud', 'forventningssamtale'],
      lacks: ['tiltaksplan'],
    },
    frivillig: { has: ['tiltaksplan'], lacks: ['omsorgsplan'] },
    akutt: { has: ['omsorgsplan'], lacks: ['forventningssamtale', 'plan-innflytting'] },
    'slekt-nettverk': { has: ['omsorgsplan', 'bufetat-avklaring'], lacks: ['tiltaksplan'] },
  };

  it.each(Object.keys(expectations) as PlacementType[])('runs a full 12-month package: %s', async (type) => {
    const placementDate = await nextPlacementDate();
    const reg = registration(type, placementDate);
    const id = reg.placementId;

    const registered = await commands.register(reg);
    expect(registered.applied).toBe(true);
    let state = await settled(id);
    expect(state.catalogVersion).toBe(DEFAULT_CATALOG.version);
    for (const s of expectations[type].has) expect(steps(state)).toContain(s);
    for (const s of expectations[type].lacks) expect(steps(state)).not.toContain(s);
    expect(
      Object.values(state.tasks).every(
        (t) => t.status === 'planned' || t.timers.opensAt <= reg.facts.placementDate + 'T23:59',
      ),
    ).toBe(true);

    // Day 1, 10:00: the day-1 phone call is open and due today; nothing is overdue yet except what
    // was due before move-in.
    state = await goTo(id, placementDate, 1);
    expectTimersHonoured(state, await now());
    const call = task(state, 'kontakt-dag1#1');
    expect(call.dueOn).toBe(addDays(placementDate, 1));
    expect(call).toMatchObject({ status: 'open', dueSoon: true, overdue: false, escalated: false });

    // Day 2: the call was not made, so it is overdue; the first home visit (day 7) is still ahead.
    state = await goTo(id, placementDate, 2);
    expectTimersHonoured(state, await now());
    expect(task(state, 'kontakt-dag1#1')).toMatchObject({ overdue: true, escalated: false });
    expect(task(state, 'besok-uke1#1').overdue).toBe(false);

    // The call is made late (recorded for yesterday); the week-1 visit is done on time.
    await commands.send(id, 'completeTask', {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: 'kontakt-dag1#1',
      outcome: 'gjennomfort',
      completedOn: addDays(placementDate, 1),
    });
    await goTo(id, placementDate, 7);
    await commands.send(id, 'completeTask', {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: 'besok-uke1#1',
      outcome: 'gjennomfort',
      completedOn: osloDateOf(await env.currentTimeMs()),
    });

    // Day 10: the call was closed before it escalated (escalation would have come on day 9).
    state = await goTo(id, placementDate, 10);
    expectTimersHonoured(state, await now());
    expect(task(state, 'kontakt-dag1#1')).toMatchObject({ status: 'completed', escalated: false });
    expect(task(state, 'besok-uke1#1').status).toBe('completed');

    // Points through the year: every unfinished task follows its timers exactly.
    for (const day of [45, 100, 200, 300, 365]) {
      state = await goTo(id, placementDate, day);
      expectTimersHonoured(state, await now());
    }
    // A statutory visit left undone is escalated to the leader.
    const visits = Object.values(state.tasks).filter((t) => t.stepId === 'oppfolgingsbesok');
    expect(visits.length).toBeGreaterThanOrEqual(3);
    expect(visits.filter((t) => t.escalated).length).toBeGreaterThan(0);

    // Past the grace period the package closes: what is left is cancelled, and the same workflow goes on
    // in ordinary follow-up (issue 16) with this year's ordinary plan.
    let events = await storedEvents(id);
    for (let day = 400; !events.some((e) => e.type === 'PackageCompleted'); day += 30) {
      expect(day).toBeLessThan(700);
      await goTo(id, placementDate, day);
      events = await storedEvents(id);
    }
    const completedAt = events.findIndex((e) => e.type === 'PackageCompleted');
    const packageDone = fold(events.slice(0, completedAt + 1))!;
    expect(Object.values(packageDone.tasks).every(isFinal)).toBe(true);
    expect(events[completedAt + 1]?.type).toBe('OrdinaryYearPlanned');
    expect(diffDays(placementDate, osloDateOf(await env.currentTimeMs()))).toBeGreaterThan(365);
    const description = await env.client.workflow.getHandle(placementWorkflowId(id)).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('registers a placement once, however often it is sent', async () => {
    const reg = registration('omsorgsovertakelse', await nextPlacementDate());
    const results = await Promise.all([
      commands.register(reg),
      commands.register(reg),
      commands.register({ ...reg, commandId: randomUUID() }),
    ]);
    expect(results.map((r) => r.version)).toEqual([
      results[0].version,
      results[0].version,
      results[0].version,
    ]);
    const events = await storedEvents(reg.placementId);
    expect(events.filter((e) => e.type === 'PlacementRegistered')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'TasksPlanned')).toHaveLength(1);
  });

  it('applies a repeated command once and rejects bad commands before they reach history', async () => {
    const placementDate = await nextPlacementDate();
    const reg = registration('frivillig', placementDate);
    await commands.register(reg);
    const cmd = {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: 'tiltaksplan#1',
      outcome: 'gjennomfort' as const,
      completedOn: osloDateOf(await env.currentTimeMs()),
    };
    const first = await commands.send(reg.placementId, 'completeTask', cmd);
    const again = await commands.send(reg.placementId, 'completeTask', cmd);
    expect(first.applied).toBe(true);
    expect(again).toEqual(first); // Temporal answers a repeated update id with the first outcome
    const events = await storedEvents(reg.placementId);
    expect(events.filter((e) => e.type === 'TaskCompleted')).toHaveLength(1);

    const future = addDays(osloDateOf(await env.currentTimeMs()), 3);
    expect(
      await rejection(
        commands.send(reg.placementId, 'completeTask', {
          ...cmd,
          commandId: randomUUID(),
          taskId: 'kartlegging#1',
          completedOn: future,
        }),
      ),
    ).toMatch(/fremtiden/);
    expect(
      await rejection(
        commands.send(reg.placementId, 'waiveTask', {
          commandId: randomUUID(),
          actor: caseworker(),
          taskId: 'oppfolgingsbesok#1',
          reason: 'ikke-relevant',
        }),
      ),
    ).toMatch(/medsignatur/);
    // Rejected by the validators: no Update was accepted into history.
    const history = await env.client.workflow.getHandle(placementWorkflowId(reg.placementId)).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(2); // the registration and one completion; the repeat was deduplicated
    expect((await storedEvents(reg.placementId)).length).toBe(events.length);
  });

  it('registered late: what is overdue waits out the grace, then escalates; a leader annuls it', async () => {
    const registeredAt = await now();
    const placementDate = addDays(osloDateOf(registeredAt), -6);
    const reg = registration('omsorgsovertakelse', placementDate, {
      completedBefore: [{ stepId: 'forventningssamtale', completedOn: addDays(placementDate, -2) }],
    });
    await commands.register(reg);
    const first = await settled(reg.placementId);
    expect(first.tasks['forventningssamtale#1']).toMatchObject({
      status: 'completed',
      completedOn: addDays(placementDate, -2),
    });
    const graced = Object.values(first.tasks).filter((t) => t.overdueAtRegistration);
    expect(graced.length).toBeGreaterThan(0);
    expect(graced.every((t) => t.overdue && !t.escalated)).toBe(true);
    expectTimersHonoured(first, await now());

    // After the grace (five weekdays: at most nine calendar days), each has escalated.
    const later = await goTo(reg.placementId, placementDate, 6 + 9);
    for (const t of graced) expect(later.tasks[t.taskId].escalated).toBe(true);
    expectTimersHonoured(later, await now());

    expect(
      await rejection(
        commands.send(reg.placementId, 'annulPlacement', { commandId: randomUUID(), actor: caseworker() }),
      ),
    ).toMatch(/Bare leder/);
    await commands.send(reg.placementId, 'annulPlacement', { commandId: randomUUID(), actor: leader() });
    const events = await storedEvents(reg.placementId);
    expect(events.at(-1)).toMatchObject({ type: 'PlacementEnded', data: { reason: 'registrert-ved-feil' } });
    expect(fold(events)!.status).toBe('ended');
  });

  it('re-plans open tasks when the placement date changes; ending cancels the rest', async () => {
    const placementDate = await nextPlacementDate();
    const reg = registration('omsorgsovertakelse', placementDate);
    await commands.register(reg);
    await commands.send(reg.placementId, 'completeTask', {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: 'omsorgsplan#1',
      outcome: 'gjennomfort',
      completedOn: osloDateOf(await env.currentTimeMs()),
    });
    const before = (await commands.plan(reg.placementId))!;

    const moved = await commands.send(reg.placementId, 'changePlacement', {
      commandId: randomUUID(),
      actor: caseworker(),
      placementDate: addDays(placementDate, 14),
      expectedVersion: before.version,
    });
    expect(moved.change?.moved.length).toBeGreaterThan(10);
    const after = (await commands.plan(reg.placementId))!;
    expect(after.facts.placementDate).toBe(addDays(placementDate, 14));
    expect(after.tasks['omsorgsplan#1']).toEqual(before.tasks['omsorgsplan#1']); // completed: kept as it was
    expect(after.tasks['besok-uke1#1'].nominalDueOn).toBe(addDays(placementDate, 21));

    // A change based on an old preview is a conflict.
    expect(
      await rejection(
        commands.send(reg.placementId, 'changePlacement', {
          commandId: randomUUID(),
          actor: caseworker(),
          placementType: 'frivillig',
          expectedVersion: before.version,
        }),
      ),
    ).toMatch(/endret siden/);

    // A reduction only through a leader's recorded decision.
    expect(
      await rejection(
        commands.send(reg.placementId, 'recordReduction', {
          commandId: randomUUID(),
          actor: caseworker(),
          decision: { kind: 'tilsynsbesok', minimumPerYear: 2, effectiveFrom: addDays(placementDate, 100) },
        }),
      ),
    ).toMatch(/leder/);

    await goTo(reg.placementId, placementDate, 17);
    const ended = await commands.send(reg.placementId, 'endPlacement', {
      commandId: randomUUID(),
      actor: leader(),
      endedOn: osloDateOf(await env.currentTimeMs()),
      reason: 'flytting-nytt-fosterhjem',
    });
    expect(ended.version).toBeGreaterThan(after.version);
    const result = (await env.client.workflow.getHandle(placementWorkflowId(reg.placementId)).result()) as {
      status: string;
    };
    expect(result.status).toBe('ended');
    const final = fold(await storedEvents(reg.placementId))!;
    expect(Object.values(final.tasks).filter((t) => !isFinal(t))).toEqual([]);
    expect(Object.values(final.tasks).filter((t) => t.status === 'cancelled').length).toBeGreaterThan(20);
  });

  it('continues as new when history grows, carrying state, commands and timers along', async () => {
    const placementDate = await nextPlacementDate();
    const reg = registration('omsorgsovertakelse', placementDate);
    const input: PackageInput = { registration: reg, maxHistoryEvents: 60 };
    const started = await env.client.workflow.start<PlacementPackageWorkflow>('placementPackage', {
      workflowId: placementWorkflowId(reg.placementId),
      taskQueue: world().taskQueue,
      args: [input],
    });
    await commands.register(reg);
    const early = {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: 'omsorgsplan#1',
      outcome: 'gjennomfort' as const,
      completedOn: osloDateOf(await env.currentTimeMs()),
    };
    await commands.send(reg.placementId, 'completeTask', early);
    const state = await goTo(reg.placementId, placementDate, 120);
    const description = await env.client.workflow.getHandle(placementWorkflowId(reg.placementId)).describe();
    expect(description.runId).not.toBe(started.firstExecutionRunId); // at least one continue-as-new
    expectTimersHonoured(state, await now());
    // The new run still takes commands, and a repeat of one sent before is still recognised.
    const visit = Object.values(state.tasks).find((t) => t.stepId === 'oppfolgingsbesok' && !isFinal(t))!;
    const cmd = {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: visit.taskId,
      outcome: 'gjennomfort' as const,
      completedOn: osloDateOf(await env.currentTimeMs()),
    };
    expect(await commands.send(reg.placementId, 'completeTask', cmd)).toMatchObject({
      applied: true,
      repeated: false,
    });
    const after = await settled(reg.placementId);
    expect(fold(await storedEvents(reg.placementId))).toEqual(after);
    expect(after.tasks[visit.taskId].status).toBe('completed');
    // A command from before the continue-as-new, sent again, has no second effect: the answer says it
    // took effect (the first time), that this was a repeat, and the version it left the package at.
    const repeat = await commands.send(reg.placementId, 'completeTask', early);
    expect(repeat).toMatchObject({ applied: true, repeated: true });
    expect(repeat.version).toBeLessThan(after.version);
    const completions = (await storedEvents(reg.placementId)).filter(
      (e) => e.type === 'TaskCompleted' && e.data.taskId === 'omsorgsplan#1',
    );
    expect(completions).toHaveLength(1);
  });
});
