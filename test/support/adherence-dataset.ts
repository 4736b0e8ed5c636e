import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { PackageEvent } from '../../libs/domain/events.js';
import type { PlannedTask } from '../../libs/domain/plan.js';
import { EventStore } from '../../libs/event-store/index.js';
import { DEMO_SERVICES } from '../../libs/security/index.js';
import { projectAll, seedPlacement, type FixturePlacement, type TestApi } from './api.js';

/*
 * The adherence reports' hand-computed dataset (test/integration/api-adherence*.spec.ts): events
 * appended through the event store, folded by the real projector into the adherence read model, read
 * over the API with real tokens.
 *
 * March 2026, Nordby (6 placements), tasks a#1 due 2 March and b#1 due 10 March (c#1 due in April,
 * outside the period):
 *   P1 a on time (1 Mar)      b late 5 (15 Mar)
 *   P2 a on time (2 Mar)      b waived
 *   P3 a late 10 (12 Mar)     b open, overdue
 *   P4 a cancelled            b on time (10 Mar)
 *   P5 a open, overdue        b late 1 (11 Mar)
 *   P6 a late 3 (5 Mar)       b on time (9 Mar)
 * → due 11 (the cancelled task no longer applies), waived 1, completed 8, on time 4, overdue 2 (both more
 *   than 30 days at any report date after 10 April), lateness [1, 3, 5, 10]: median 4, p90 8.5;
 *   on-time rate 4/10, completion rate 8/10, waiver rate 1/11.
 * Sørvik (2 placements, same learning network): a#1 on time in both.
 */

export type Cell = Record<string, unknown> & { key: string; suppressed: boolean };
export type Report = { total: Cell; rows: Cell[]; reportDate: string; suppression: boolean; asOf?: string };

export const by = { userId: 'seed', role: 'kontaktperson' as const };
export const at = '2026-03-20T08:00:00.000Z';
export const MARCH = 'from=2026-03-01&to=2026-03-31';
// A learning-network lead asks for whole quarters (the fixture's March tasks are all of Q1).
export const Q1 = 'from=2026-01-01&to=2026-03-31';

export const complete = (taskId: string, completedOn: string): PackageEvent => ({
  type: 'TaskCompleted',
  data: { taskId, at, completedOn, outcome: 'gjennomfort', by },
});

/**
 * An `after` for `seedPlannedPlacement`: every planned task due in `year` completed on its due date
 * (recorded now, so the completion is in any report asked for today).
 */
export const completeDueIn =
  (year: number) =>
  (tasks: readonly PlannedTask[]): PackageEvent[] =>
    tasks
      .filter((t) => t.dueOn.startsWith(`${year}-`))
      .map((t) => ({
        type: 'TaskCompleted',
        data: {
          taskId: t.taskId,
          at: new Date().toISOString(),
          completedOn: t.dueOn,
          outcome: 'gjennomfort',
          by,
        },
      }));

/** The dataset's placements and the helpers that read and change it, on the API `api()` returns. */
export function adherenceDataset(api: () => TestApi) {
  const nordby: FixturePlacement[] = [];
  const sorvik: FixturePlacement[] = [];
  const store = () => new EventStore(api().db.dataSource);

  const append = (p: FixturePlacement, events: PackageEvent[]) =>
    store().append(
      { streamType: 'placement', streamId: p.placementId },
      'any',
      events.map((e) => ({ eventId: randomUUID(), type: e.type, payload: e.data })),
    );
  const report = async (userId: string, query: string) => {
    const res = await request(api().server)
      .get(`/api/adherence/report?${query}`)
      .set('Authorization', `Bearer ${await api().token(userId)}`);
    return res;
  };
  const get = async (userId: string, path: string) =>
    request(api().server)
      .get(path)
      .set('Authorization', `Bearer ${await api().token(userId)}`);
  /** `path` as of `instant` (ISO 8601). */
  const asOfPath = (path: string, instant: string) =>
    `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(instant)}`;
  /** An instant after every event recorded so far and before any recorded next. */
  const instantNow = async () => {
    const [{ now }] = await api().db.dataSource.query<{ now: string }[]>(
      `SELECT clock_timestamp()::text AS now`,
    );
    await new Promise((r) => setTimeout(r, 20));
    return new Date(now).toISOString();
  };

  /** Seeds the placements and their March events, and projects them. */
  const seed = async () => {
    const db = api().db;
    const tasks = [
      { taskId: 'a#1', role: 'kontaktperson' as const, dueOn: '2026-03-02' },
      { taskId: 'b#1', role: 'kontaktperson' as const, dueOn: '2026-03-10' },
      { taskId: 'c#1', role: 'kontaktperson' as const, dueOn: '2026-04-15' },
    ];
    for (let i = 0; i < 6; i++)
      nordby.push(await seedPlacement(db, { serviceId: DEMO_SERVICES.nordby, bufetatHelp: false, tasks }));
    for (let i = 0; i < 2; i++)
      sorvik.push(await seedPlacement(db, { serviceId: DEMO_SERVICES.sorvik, bufetatHelp: false, tasks }));
    const [p1, p2, p3, p4, p5, p6] = nordby as [FixturePlacement, ...FixturePlacement[]];
    await append(p1, [complete('a#1', '2026-03-01'), complete('b#1', '2026-03-15')]);
    await append(p2, [
      complete('a#1', '2026-03-02'),
      { type: 'TaskWaived', data: { taskId: 'b#1', at, reason: 'ikke-relevant', by } },
    ]);
    await append(p3, [complete('a#1', '2026-03-12')]);
    await append(p4, [
      { type: 'TaskCancelled', data: { taskId: 'a#1', at, reason: 'not-applicable-after-change' } },
      complete('b#1', '2026-03-10'),
    ]);
    await append(p5, [complete('b#1', '2026-03-11')]);
    await append(p6, [complete('a#1', '2026-03-05'), complete('b#1', '2026-03-09')]);
    for (const q of sorvik) await append(q, [complete('a#1', '2026-03-02')]);
    await projectAll(db);
  };

  return { nordby, sorvik, store, append, report, get, asOfPath, instantNow, seed };
}
