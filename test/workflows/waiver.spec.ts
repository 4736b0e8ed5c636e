import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { addDays } from '../../libs/domain/calendar/dates.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import type { PackageState } from '../../libs/domain/package/state.js';
import { type EventStore } from '../../libs/event-store/index.js';
import { caseworker, leader, registration } from '../../libs/fixtures/placements.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';
import { timeSkippingWorld } from '../support/time-skipping.js';

/**
 * A statutory step's waiver is a request a leader other than the requester co-signs: in virtual time on
 * the real time-skipping server, a step asked for but not signed still becomes overdue and escalates,
 * and a co-signed one is waived at once and never escalates.
 */
describe('waiver request and co-signature (time-skipping)', () => {
  const world = timeSkippingWorld('waivers');
  let env: TestWorkflowEnvironment;
  let eventStore: EventStore;
  let commands: PlacementCommands;

  beforeAll(() => {
    ({ env, eventStore } = world());
    commands = new PlacementCommands(env.client, world().taskQueue);
  });

  const now = async () => new Date(await env.currentTimeMs()).toISOString();

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

  async function rejection(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause;
      return cause?.message ?? String(error);
    }
    throw new Error('expected the command to be rejected');
  }

  it('escalates a step asked for but not signed; a co-signed one is waived and never escalates', async () => {
    // Placed a few days ago: the first-week visit is still ahead, the first follow-up visit months away.
    const placementDate = addDays(osloDateOf(await env.currentTimeMs()), -1);
    const reg = registration('omsorgsovertakelse', placementDate);
    const id = reg.placementId;
    await commands.register(reg);
    const start = await settled(id);
    const unsigned = start.tasks['besok-uke1#1'];
    const signed = start.tasks['oppfolgingsbesok#1'];
    expect(unsigned.requiresCoSignToWaive).toBe(true);
    expect(signed.requiresCoSignToWaive).toBe(true);
    expect(unsigned.escalated).toBe(false);

    // A statutory step is never waived directly any more, not even by a leader.
    expect(
      await rejection(
        commands.send(id, 'waiveTask', {
          commandId: randomUUID(),
          actor: leader(),
          taskId: unsigned.taskId,
          reason: 'ikke-relevant',
        }),
      ),
    ).toMatch(/medsignatur/);

    const ask = (taskId: string, actor = caseworker()) => ({
      commandId: randomUUID(),
      actor,
      taskId,
      reason: 'barnet-onsker-ikke' as const,
      requestId: randomUUID(),
    });
    const unsignedRequest = ask(unsigned.taskId);
    expect((await commands.send(id, 'requestWaiver', unsignedRequest)).applied).toBe(true);
    // The leader asks for the other one: four eyes, so another leader must sign it.
    const signedRequest = ask(signed.taskId, leader());
    await commands.send(id, 'requestWaiver', signedRequest);
    const sign = (actor = leader()) => ({
      commandId: randomUUID(),
      actor,
      taskId: signed.taskId,
      requestId: signedRequest.requestId,
    });
    expect(await rejection(commands.send(id, 'cosignWaiver', sign()))).toMatch(/egen anmodning/);
    expect(
      await rejection(
        commands.send(id, 'cosignWaiver', { ...sign(leader('leder-2')), requestId: randomUUID() }),
      ),
    ).toMatch(/endret/);
    const cosign = sign(leader('leder-2'));
    const first = await commands.send(id, 'cosignWaiver', cosign);
    expect(await commands.send(id, 'cosignWaiver', cosign)).toEqual(first); // a repeat: one effect

    const after = await settled(id);
    expect(after.tasks[signed.taskId]).toMatchObject({
      status: 'waived',
      waiver: { status: 'cosigned', requestedBy: leader(), decidedBy: leader('leder-2') },
    });
    expect(after.tasks[unsigned.taskId].waiver?.status).toBe('requested');

    // Past the unsigned step's escalation instant: the open request did not stop the escalation.
    const target = Date.parse(unsigned.timers.escalateAt) + 3_600_000;
    await env.sleep(target - (await env.currentTimeMs()));
    const later = await settled(id);
    expect(later.tasks[unsigned.taskId]).toMatchObject({
      status: 'open',
      overdue: true,
      escalated: true,
      waiver: { status: 'requested', requestedBy: caseworker() },
    });
    const events = await storedEvents(id);
    expect(
      events.filter((e) => e.type === 'TaskEscalated' && e.data.taskId === unsigned.taskId),
    ).toHaveLength(1);
    expect(events.filter((e) => e.type === 'TaskWaived')).toHaveLength(1);

    // The signed step's own timers would have fired by now had it stayed open; it stays waived, silent.
    await env.sleep(Date.parse(signed.timers.escalateAt) + 3_600_000 - (await env.currentTimeMs()));
    const end = await settled(id);
    expect(end.tasks[signed.taskId]).toMatchObject({ status: 'waived', escalated: false, overdue: false });
    const late = (await storedEvents(id)).filter(
      (e) => 'taskId' in e.data && e.data.taskId === signed.taskId && e.type !== 'TasksPlanned',
    );
    expect(late.map((e) => e.type)).toEqual(['WaiverRequested', 'TaskWaived']);
  });
});
