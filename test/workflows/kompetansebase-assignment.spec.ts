import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { assignmentFigures, assignmentStates } from '../../libs/adherence/index.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import {
  ASSIGNMENT_STREAM_TYPE,
  KOMPETANSEBASE_CATALOG,
  decideAssignmentTick,
  foldAssignment,
  type AssignmentEvent,
  type AssignmentState,
  type SubmitOrder,
} from '../../libs/domain/kompetansebase/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { type EventStore } from '../../libs/event-store/index.js';
import { AssignmentCommands } from '../../libs/temporal/assignment-commands.js';
import {
  assignmentWorkflowId,
  type KompetansebaseAssignmentWorkflow,
} from '../../workflows/kompetansebase-contracts.js';
import { type TestDatabase } from '../support/database.js';
import { timeSkippingWorld } from '../support/time-skipping.js';

/**
 * Kompetansebase assignments in virtual time on the real time-skipping server, with the real activities
 * (planning on the Norwegian calendar, the PostgreSQL event store): the same worker and task queue as the
 * placements' packages. Dates are relative to the server's clock, so the tests hold on any day.
 */
describe('kompetansebase assignment workflow (time-skipping)', () => {
  const world = timeSkippingWorld('packages');
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let eventStore: EventStore;
  let commands: AssignmentCommands;
  const caseworker = { userId: 'u-kontaktperson', role: 'kontaktperson' } as const;
  const counsellor = { userId: 'u-veileder', role: 'kompetansebase-veileder' } as const;
  const baseLeader = { userId: 'u-basleder', role: 'kompetansebase-leder' } as const;

  beforeAll(() => {
    ({ env, db, eventStore } = world());
    commands = new AssignmentCommands(env.client, world().taskQueue);
  });

  const now = async () => new Date(await env.currentTimeMs()).toISOString();
  const today = async () => osloDateOf(await env.currentTimeMs());

  async function storedEvents(assignmentId: string): Promise<AssignmentEvent[]> {
    const rows = await eventStore.readStream({ streamType: ASSIGNMENT_STREAM_TYPE, streamId: assignmentId });
    return rows.map((r) => ({ type: r.type, data: r.payload }) as AssignmentEvent);
  }

  async function readModel(assignmentId: string) {
    const [row] = await db.dataSource.query<
      { status: string; accepted_on: string | null; version: number }[]
    >(
      `SELECT status, accepted_on::text AS accepted_on, version FROM kompetansebase_assignments WHERE assignment_id = $1`,
      [assignmentId],
    );
    return row;
  }

  const storedState = async (assignmentId: string) => foldAssignment(await storedEvents(assignmentId))!;

  /** The assignment once the workflow has caught up with the clock and its stream. */
  async function settled(assignmentId: string): Promise<AssignmentState> {
    for (let i = 0; i < 200; i++) {
      const state = await commands.state(assignmentId);
      if (state && decideAssignmentTick(state, await now()).length === 0) {
        if ((await storedEvents(assignmentId)).length === state.version) return state;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('workflow did not settle');
  }

  /** Advances virtual time to `instant` (if ahead), then lets the workflow settle. */
  async function until(assignmentId: string, instant: string): Promise<AssignmentState> {
    const wait = Date.parse(instant) - (await env.currentTimeMs());
    if (wait > 0) await env.sleep(wait + 60_000);
    return settled(assignmentId);
  }

  async function submit(over: Partial<SubmitOrder> = {}): Promise<string> {
    const assignmentId = randomUUID();
    const result = await commands.submit({
      commandId: randomUUID(),
      assignmentId,
      origin: { baseId: randomUUID(), networkId: randomUUID(), serviceId: randomUUID() },
      requestType: 'veiledning-fosterforeldre',
      urgency: 'vanlig',
      catalogVersion: KOMPETANSEBASE_CATALOG.version,
      by: caseworker,
      ...over,
    });
    expect(result).toMatchObject({ applied: true, version: 3 });
    return assignmentId;
  }

  const complete = async (assignmentId: string, taskId: string, extra: Record<string, unknown> = {}) =>
    commands.send(assignmentId, 'completeAssignmentStep', {
      commandId: randomUUID(),
      taskId,
      completedOn: await today(),
      by: counsellor,
      ...extra,
    });

  const accept = (assignmentId: string) =>
    commands.send(assignmentId, 'acceptOrder', { commandId: randomUUID(), by: baseLeader });

  /** The rejection's user-facing reason and field (the cause of the Update's failure). */
  async function rejection(promise: Promise<unknown>): Promise<{ message: string; field?: string }> {
    try {
      await promise;
    } catch (error) {
      const cause = (error as { cause?: { message?: string; details?: { field?: string }[] } }).cause;
      return {
        message: cause?.message ?? String(error),
        ...(cause?.details?.[0]?.field ? { field: cause.details[0].field } : {}),
      };
    }
    throw new Error('not rejected');
  }

  const result = (assignmentId: string) =>
    env.client.workflow
      .getHandle<KompetansebaseAssignmentWorkflow>(assignmentWorkflowId(assignmentId))
      .result();

  it('a call-back not made in time goes overdue, then escalates to the base leader', async () => {
    const id = await submit();
    const start = await settled(id);
    const callBack = start.tasks['tilbakeringing#1'];
    expect(callBack).toMatchObject({ status: 'open', overdue: false, role: 'kompetansebase-veileder' });
    const beforeDue = await until(
      id,
      new Date(Date.parse(callBack.timers.overdueAt) - 3_600_000).toISOString(),
    );
    expect(beforeDue.tasks['tilbakeringing#1'].overdue).toBe(false);
    const overdue = await until(id, callBack.timers.overdueAt);
    expect(overdue.tasks['tilbakeringing#1']).toMatchObject({ overdue: true, escalated: false });
    const escalated = await until(id, callBack.timers.escalateAt);
    expect(escalated.tasks['tilbakeringing#1']).toMatchObject({ overdue: true, escalated: true });
    await complete(id, 'tilbakeringing#1');
    expect((await settled(id)).tasks['tilbakeringing#1']).toMatchObject({ status: 'completed', late: true });
  });

  it('a declined order (capacity) ends its workflow and cancels the call-back', async () => {
    const id = await submit({ urgency: 'haster' });
    const bad = await rejection(
      commands.send(id, 'declineOrder', { commandId: randomUUID(), reason: 'full' as never, by: baseLeader }),
    );
    expect(bad.field).toBe('reason');
    expect(
      (
        await rejection(
          commands.send(id, 'declineOrder', { commandId: randomUUID(), reason: 'kapasitet', by: counsellor }),
        )
      ).message,
    ).toMatch(/leder/);
    const cmd = { commandId: randomUUID(), reason: 'kapasitet' as const, by: baseLeader };
    const first = await commands.send(id, 'declineOrder', cmd);
    // The same command again (a client retry): the first outcome, and nothing happens twice.
    const again = await commands.send(id, 'declineOrder', cmd);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ applied: true, repeated: false });
    expect(await result(id)).toEqual({ assignmentId: id, status: 'avslatt', version: first.version });
    const types = (await storedEvents(id)).map((e) => e.type);
    expect(types.filter((t) => t === 'AssignmentDeclined')).toHaveLength(1);
    expect(types).toContain('AssignmentTaskCancelled');
  });

  it('a waiting order stays in the queue with no open review, and is accepted later', async () => {
    const id = await submit();
    await commands.send(id, 'waitOrder', { commandId: randomUUID(), reason: 'kapasitet', by: baseLeader });
    const waiting = await settled(id);
    expect(waiting.status).toBe('venter');
    // The base's queue (read model, written with the events) shows it waiting.
    expect(await readModel(id)).toMatchObject({
      status: 'venter',
      accepted_on: null,
      version: waiting.version,
    });
    expect(waiting.tasks['vurdering#1'].status).toBe('completed');
    // Three weeks later it is still waiting (no timer closes it), then the base has room.
    const later = await until(id, new Date((await env.currentTimeMs()) + 21 * 86_400_000).toISOString());
    expect(later.status).toBe('venter');
    await accept(id);
    const accepted = await settled(id);
    expect(accepted.status).toBe('aktiv');
    expect(accepted.acceptedOn).toBe(await today());
    expect(accepted.tasks['oppstartssamtale#1'].status).toBe('open');
  });

  it('the evaluation date agreed at the start talk becomes a timer; a report handed over late escalates', async () => {
    const origin = { baseId: randomUUID(), networkId: randomUUID(), serviceId: randomUUID() };
    const id = await submit({ requestType: 'hjemmebasert-foreldreveiledning', origin });
    await complete(id, 'tilbakeringing#1');
    await accept(id);
    const evaluationOn = addDays(await today(), 40);
    expect((await rejection(complete(id, 'oppstartssamtale#1'))).field).toBe('evaluationOn');
    await complete(id, 'oppstartssamtale#1', { evaluationOn });
    const talked = await settled(id);
    expect(talked.evaluationOn).toBe(evaluationOn);
    const evaluation = talked.tasks['evaluering#1'];
    expect(evaluation.dueOn).toBe(evaluationOn);
    await complete(id, 'veiledning#1', { twoCounsellors: true });
    expect((await settled(id)).tasks['veiledning#2'].status).toBe('open');

    // The day after the agreed date the evaluation not held is overdue: the timer came from the talk.
    const missed = await until(id, evaluation.timers.overdueAt);
    expect(missed.tasks['evaluering#1'].overdue).toBe(true);
    await complete(id, 'evaluering#1');
    const evaluated = await settled(id);
    expect(evaluated.tasks['veiledning#2'].status).toBe('cancelled');
    const report = evaluated.tasks['rapport#1'];

    const escalated = await until(id, report.timers.escalateAt);
    expect(escalated.tasks['rapport#1']).toMatchObject({ overdue: true, escalated: true });
    await complete(id, 'rapport#1');
    expect((await settled(id)).tasks['rapport#1'].late).toBe(true);
    await complete(id, 'avslutning#1', { familyGroupConference: true });
    const outcome = await result(id);
    expect(outcome.status).toBe('avsluttet');
    const closed = (await storedEvents(id)).find((e) => e.type === 'AssignmentClosed');
    expect(closed?.data).toMatchObject({ familyGroupConference: true, by: counsellor });
    // The read models followed every append: the assignment closed, each task as the fold has it.
    expect(await readModel(id)).toMatchObject({ status: 'avsluttet', version: outcome.version });
    const tasks = await db.dataSource.query<
      { task_id: string; status: string; late: boolean | null; escalated: boolean }[]
    >(`SELECT task_id, status, late, escalated FROM kompetansebase_tasks WHERE assignment_id = $1`, [id]);
    const byId = new Map(tasks.map((t) => [t.task_id, t]));
    expect(byId.get('rapport#1')).toEqual({
      task_id: 'rapport#1',
      status: 'completed',
      late: true,
      escalated: true,
    });
    expect(byId.get('veiledning#2')?.status).toBe('cancelled');
    expect([...byId.keys()].sort()).toEqual(Object.keys((await storedState(id)).tasks).sort());
    // The base's adherence (GET /api/kompetansebase/adherence) counts them from the read model: the
    // call-back in time, the evaluation held after the agreed date and the report handed over late.
    const { orderedOn, tasks: done } = await storedState(id);
    const talkedOn = done['oppstartssamtale#1'].completedOn!;
    const figures = assignmentFigures(
      await assignmentStates(db.dataSource, { from: orderedOn, to: orderedOn, bases: [origin.baseId] }),
    );
    expect(figures).toMatchObject({
      orders: 1,
      accepted: 1,
      waiting: 0,
      medianDaysToStart: (Date.parse(talkedOn) - Date.parse(orderedOn)) / 86_400_000,
      callBacks: { of: 1, onTime: 1 },
      evaluationsOnAgreedDate: { of: 1, onTime: 0 },
      reportsOnTime: { of: 1, onTime: 0 },
    });
  });

  it('group guidance: one group of three foster families, attendance per family at each session', async () => {
    const families = ['familie-1', 'familie-2', 'familie-3'];
    const id = await submit({ requestType: 'gruppeveiledning-fosterforeldre', families });
    await accept(id);
    await complete(id, 'oppstartssamtale#1', { evaluationOn: addDays(await today(), 60) });
    const missing = await rejection(complete(id, 'veiledning#1', { attendance: { 'familie-1': true } }));
    expect(missing.field).toBe('attendance');
    await complete(id, 'veiledning#1', {
      attendance: { 'familie-1': true, 'familie-2': true, 'familie-3': false },
    });
    await env.sleep(14 * 86_400_000);
    await complete(id, 'veiledning#2', {
      attendance: { 'familie-1': true, 'familie-2': false, 'familie-3': true },
    });
    const s = await settled(id);
    expect(s.families).toEqual(families);
    expect(s.tasks['veiledning#1'].attendance).toEqual({
      'familie-1': true,
      'familie-2': true,
      'familie-3': false,
    });
    expect(s.tasks['veiledning#2'].attendance).toEqual({
      'familie-1': true,
      'familie-2': false,
      'familie-3': true,
    });
    expect(s.tasks['veiledning#3'].status).toBe('open');
  });
});
