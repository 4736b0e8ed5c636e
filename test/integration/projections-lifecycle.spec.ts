import { randomUUID } from 'node:crypto';
import { EventStore } from '../../libs/event-store/index.js';
import {
  append,
  at,
  cancelled,
  completed,
  kp,
  lead,
  opened,
  planned,
  registered,
  task,
} from '../../libs/fixtures/package-events.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { projectionQueries } from '../support/projections.js';

/* A placement's pause, resume and end, as the placements row and the statutory ledger show them. */

describe('projections: a placement paused, resumed and ended (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const { projectAll, ledger, placement } = projectionQueries(() => db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  it('follows a pause, a resume and an end: the ledger stops at the end date', async () => {
    const ended = randomUUID();
    await append(store, ended, [
      registered(ended, '2026-01-01'),
      planned([
        task('oppfolging#1', '2026-02-15', 'oppfolgingsbesok'),
        task('oppfolging#2', '2026-06-01', 'oppfolgingsbesok'),
      ]),
      { type: 'PlacementPaused', data: { reason: 'sykehusopphold', from: '2026-02-01', by: kp, at: at() } },
    ]);
    await projectAll();
    expect(await placement(ended)).toMatchObject({
      status: 'paused',
      paused_from: '2026-02-01',
      version: 3,
    });
    // A whole year 2026 is active so far: 4 required.
    expect((await ledger(ended)).map((r) => [r.kind, r.active_days, r.required])).toEqual([
      ['oppfolgingsbesok', 365, 4],
      ['tilsynsbesok', 365, 4],
    ]);

    await append(store, ended, [
      { type: 'PlacementResumed', data: { on: '2026-02-10', pausedDays: 9, by: kp, at: at() } },
      opened('oppfolging#1'),
      completed('oppfolging#1', '2026-02-16'),
      { type: 'PlacementEnded', data: { endedOn: '2026-03-31', reason: 'brudd', by: lead, at: at() } },
      cancelled('oppfolging#2', 'placement-ended'),
    ]);
    await projectAll();
    expect(await placement(ended)).toEqual({
      status: 'ended',
      version: 8,
      placement_date: '2026-01-01',
      paused_from: null,
      ended_on: '2026-03-31',
      end_reason: 'brudd',
    });
    // Active 2026-01-01 .. 2026-03-31 = 90 days less the 9 paused (1–9 February) = 81:
    // round(4 × 81 / 365) = round(0.89) = 1.
    expect(await ledger(ended)).toEqual([
      {
        kind: 'oppfolgingsbesok',
        year: 2026,
        active_days: 81,
        required: 1,
        planned: 1,
        completed: 1,
        waived: 0,
      },
      {
        kind: 'tilsynsbesok',
        year: 2026,
        active_days: 81,
        required: 1,
        planned: 0,
        completed: 0,
        waived: 0,
      },
    ]);
  });
});
