import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { addDays, yearOf } from '../../libs/domain/calendar/dates.js';
import { osloInstant } from '../../libs/domain/calendar/oslo-time.js';
import type { PackageEvent } from '../../libs/domain/events.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { decideTick } from '../../libs/domain/package/decide.js';
import { fold, type PackageState } from '../../libs/domain/package/state.js';
import { statutoryLedger, type LedgerYear } from '../../libs/domain/statutory/ledger.js';
import { lastDayOfMonth } from '../../libs/domain/statutory/rule.js';
import type { IsoDate, StatutoryKind } from '../../libs/domain/vocabulary.js';
import { type EventStore } from '../../libs/event-store/index.js';
import { caseworker, leader, registration } from '../../libs/fixtures/placements.js';
import { PlacementCommands } from '../../libs/temporal/placement-commands.js';
import { placementWorkflowId } from '../../workflows/package-contracts.js';
import { timeSkippingWorld } from '../support/time-skipping.js';

/**
 * Ordinary follow-up after the package, over three virtual years and more on the real time-skipping
 * server with the real activities and PostgreSQL: (a) a placement that starts in a package and goes on
 * into ordinary follow-up, (b) one registered straight into ordinary follow-up mid-year with the visits
 * done this year, (c) one whose follow-up visits are reduced after two years in the home, (d) one whose
 * child turns 18 (supervision stops with that month, follow-up visits go on). All four share one virtual
 * timeline; dates are relative to the server's clock, so the test passes on any date.
 */
describe('ordinary follow-up (time-skipping, three virtual years)', () => {
  const world = timeSkippingWorld('ordinary');
  let env: TestWorkflowEnvironment;
  let eventStore: EventStore;
  let commands: PlacementCommands;

  let today0: IsoDate;
  let y0: number;
  const ids = { a: '', b: '', c: '', d: '' };
  /** Run ids seen on 1 June of each year, per placement. */
  const runs: Record<string, Map<number, string>> = {
    a: new Map(),
    b: new Map(),
    c: new Map(),
    d: new Map(),
  };
  const ledgers: Record<string, LedgerYear[]> = {};
  const rejections: Record<string, { field?: string; message: string }> = {};

  beforeAll(() => {
    ({ env, eventStore } = world());
    commands = new PlacementCommands(env.client, world().taskQueue);
  });

  async function storedEvents(placementId: string): Promise<PackageEvent[]> {
    const rows = await eventStore.readStream({ streamType: 'placement', streamId: placementId });
    return rows.map((r) => ({ type: r.type, data: r.payload }) as PackageEvent);
  }

  async function settled(placementId: string): Promise<PackageState> {
    for (let i = 0; i < 400; i++) {
      const state = await commands.plan(placementId);
      const now = new Date(await env.currentTimeMs()).toISOString();
      if (state && (state.status !== 'active' || decideTick(state, now).length === 0)) {
        if ((await storedEvents(placementId)).length === state.version) return state;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('workflow did not settle');
  }

  async function goTo(date: IsoDate): Promise<void> {
    const target = Date.parse(osloInstant(date, 10));
    const current = await env.currentTimeMs();
    if (target > current) await env.sleep(target - current);
    for (const id of Object.values(ids)) await settled(id);
  }

  async function refusal(promise: Promise<unknown>): Promise<{ field?: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      const cause = (error as { cause?: { message?: string; details?: { field?: string }[] } }).cause;
      return { message: cause?.message ?? String(error), field: cause?.details?.[0]?.field };
    }
    throw new Error('expected the command to be refused');
  }

  const row = (key: keyof typeof ids, year: number, kind: StatutoryKind) =>
    ledgers[key].find((r) => r.year === year && r.kind === kind);

  async function historyLength(key: keyof typeof ids, runId: string): Promise<number> {
    const history = await env.client.workflow.getHandle(placementWorkflowId(ids[key]), runId).fetchHistory();
    return history.events?.length ?? 0;
  }

  it('runs four placements for more than three virtual years', async () => {
    today0 = osloDateOf(await env.currentTimeMs());
    y0 = yearOf(today0);
    const a = registration('omsorgsovertakelse', addDays(today0, 8));
    const b = registration('omsorgsovertakelse', addDays(today0, -3 * 365), {
      followUp: 'ordinary',
      doneThisYear: [
        { kind: 'oppfolgingsbesok', on: today0 },
        { kind: 'tilsynsbesok', on: today0 },
      ],
    });
    const c = registration('frivillig', addDays(today0, -500), { followUp: 'ordinary' });
    const d = registration('omsorgsovertakelse', addDays(today0, -400), {
      followUp: 'ordinary',
      supervisionEndsMonth: `${y0 + 1}-06`,
    });
    for (const [key, reg] of Object.entries({ a, b, c, d })) {
      ids[key as keyof typeof ids] = reg.placementId;
      expect((await commands.register(reg)).applied).toBe(true);
    }
    for (const id of Object.values(ids)) await settled(id);

    // (c) A reduction before two years in the home, or without the child's view or consent, is refused.
    const decision = { kind: 'oppfolgingsbesok' as const, minimumPerYear: 2, childView: 'enig' as const };
    const send = (over: object) =>
      commands.send(ids.c, 'recordReduction', {
        commandId: randomUUID(),
        actor: leader(),
        decision: { ...decision, effectiveFrom: `${y0 + 2}-01-01`, ...over },
      });
    rejections.early = await refusal(send({ effectiveFrom: addDays(today0, 30) }));
    rejections.view = await refusal(send({ childView: undefined }));
    rejections.consent = await refusal(send({ kind: 'tilsynsbesok' }));
    await send({});
    await send({ kind: 'tilsynsbesok', childConsent: true, childView: 'ikke-uttalt' });

    for (let year = y0 + 1; year <= y0 + 4; year++) {
      await goTo(`${year}-06-01`);
      for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
        const description = await env.client.workflow.getHandle(placementWorkflowId(ids[key])).describe();
        runs[key].set(year, description.runId);
      }
    }
    for (const key of Object.keys(ids) as (keyof typeof ids)[])
      ledgers[key] = statutoryLedger(fold(await storedEvents(ids[key]))!, null);
    // A caseworker's visit in ordinary follow-up gets its private talk with the child.
    const state = await settled(ids.b);
    const visit = Object.values(state.tasks).find(
      (t) => t.stepId === 'ordinaer-oppfolgingsbesok' && t.status !== 'completed' && t.status !== 'cancelled',
    )!;
    await commands.send(ids.b, 'completeTask', {
      commandId: randomUUID(),
      actor: caseworker(),
      taskId: visit.taskId,
      outcome: 'gjennomfort',
      completedOn: osloDateOf(await env.currentTimeMs()),
    });
    const after = await settled(ids.b);
    expect(after.tasks[`ordinaer-barnesamtale#${visit.occurrence}`]?.follows).toBe(visit.taskId);
  });

  it('(a) goes on from the package into ordinary follow-up, one run per year', async () => {
    const events = await storedEvents(ids.a);
    const completedAt = events.findIndex((e) => e.type === 'PackageCompleted');
    expect(completedAt).toBeGreaterThan(0);
    expect(events[completedAt + 1]?.type).toBe('OrdinaryYearPlanned');
    const years = events.flatMap((e) => (e.type === 'OrdinaryYearPlanned' ? [e.data.year] : []));
    const first = years[0];
    expect(years).toEqual(Array.from({ length: y0 + 4 - first + 1 }, (_, i) => first + i));
    // The years after the package's: the whole year's requirement, met by what is planned.
    for (let year = first + 1; year <= y0 + 4; year++)
      for (const kind of ['oppfolgingsbesok', 'tilsynsbesok'] as const)
        expect(row('a', year, kind)).toMatchObject({ required: 4, planned: 4 });
    // The year the package ended: required over the whole year (package part and ordinary part together).
    expect(row('a', first, 'oppfolgingsbesok')).toMatchObject({ required: 4 });
    await expectYearRuns('a', first + 1);
  });

  it('(b) registered mid-year into ordinary follow-up: this year’s ledger, no package backlog', async () => {
    const events = await storedEvents(ids.b);
    expect(events.map((e) => e.type).slice(0, 3)).toEqual([
      'PlacementRegistered',
      'OrdinaryYearPlanned',
      'TasksPlanned',
    ]);
    const registered = fold(events.slice(0, 3))!;
    expect(
      Object.values(registered.tasks).every(
        (t) => t.stepId.startsWith('ordinaer-') || t.stepId.startsWith('arlig-'),
      ),
    ).toBe(true);
    expect(ledgers.b.some((r) => r.year < y0)).toBe(false); // no backlog of the years before registration
    const first = row('b', y0, 'oppfolgingsbesok')!;
    expect(first.required).toBe(4);
    expect(first.completed).toBeGreaterThanOrEqual(1); // the visit done today counts
    expect(first.planned).toBeLessThanOrEqual(4);
    for (let year = y0 + 1; year <= y0 + 4; year++)
      for (const kind of ['oppfolgingsbesok', 'tilsynsbesok'] as const)
        expect(row('b', year, kind)).toMatchObject({ required: 4, planned: 4 });
    await expectYearRuns('b', y0 + 1);
  });

  it('(c) a reduction after two years, with the child’s view (and consent for supervision)', async () => {
    expect(rejections.early.field).toBe('decision.effectiveFrom');
    expect(rejections.early.message).toMatch(/to år/);
    expect(rejections.view.field).toBe('decision.childView');
    expect(rejections.consent.field).toBe('decision.childConsent');
    expect(row('c', y0 + 1, 'oppfolgingsbesok')).toMatchObject({ required: 4, planned: 4 });
    for (let year = y0 + 2; year <= y0 + 4; year++)
      for (const kind of ['oppfolgingsbesok', 'tilsynsbesok'] as const)
        expect(row('c', year, kind)).toMatchObject({ required: 2, planned: 2 });
    await expectYearRuns('c', y0 + 1);
  });

  it('(d) supervision stops with the month the child turns 18; follow-up visits go on', async () => {
    const last = lastDayOfMonth(`${y0 + 1}-06`);
    const tilsyn = row('d', y0 + 1, 'tilsynsbesok')!;
    expect(tilsyn.required).toBe(2); // 1 January–30 June: round(4 × 181 ÷ 365) = 2 (also in a leap year)
    expect(tilsyn.planned).toBe(2);
    const state = fold(await storedEvents(ids.d))!;
    const visits = Object.values(state.tasks).filter(
      (t) => t.statutory === 'tilsynsbesok' && t.status !== 'cancelled',
    );
    expect(visits.every((t) => t.dueOn <= last)).toBe(true);
    for (let year = y0 + 2; year <= y0 + 4; year++) {
      expect(row('d', year, 'tilsynsbesok')?.required ?? 0).toBe(0);
      expect(row('d', year, 'tilsynsbesok')?.planned ?? 0).toBe(0);
      expect(row('d', year, 'oppfolgingsbesok')).toMatchObject({ required: 4, planned: 4 });
    }
    await expectYearRuns('d', y0 + 1);
  });

  /**
   * Continue-as-new at each 1 January: each year from `from` on has its own run, started at 00:00 Oslo
   * on 1 January, its predecessor ended by continuing as new; and each full placement-year's history stays
   * under 600 events (printed).
   */
  async function expectYearRuns(key: keyof typeof ids, from: number): Promise<void> {
    const lengths: Record<number, number> = {};
    for (let year = from; year <= y0 + 4; year++) {
      const runId = runs[key].get(year)!;
      expect(runId).not.toBe(runs[key].get(year - 1));
      const history = await env.client.workflow
        .getHandle(placementWorkflowId(ids[key]), runId)
        .fetchHistory();
      const started = history.events![0];
      const at = Number(started.eventTime!.seconds) * 1000;
      expect(osloDateOf(at)).toBe(`${year}-01-01`);
      if (year < y0 + 4) {
        lengths[year] = await historyLength(key, runId);
        const handle = env.client.workflow.getHandle(placementWorkflowId(ids[key]), runId);
        const all = (await handle.fetchHistory()).events!;
        expect(all.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      }
    }
    console.log(`(${key}) history events per placement-year:`, JSON.stringify(lengths));
    for (const length of Object.values(lengths)) expect(length).toBeLessThan(600);
  }
});
