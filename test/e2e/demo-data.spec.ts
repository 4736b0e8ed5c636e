import pg from 'pg';
import { DataSource } from 'typeorm';
import { demoPlan } from '../../apps/launcher/demo/demo-plan.js';
import { KOMPETANSEBASE_DEMO, seedKompetansebaseDemo } from '../../apps/launcher/demo/demo-kompetansebase.js';
import { hasPlacements, seedDemoData, type SeedSummary } from '../../apps/launcher/demo/demo-seed.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import { planPackage } from '../../libs/domain/planner/plan-package.js';
import { placementFacts } from '../../libs/fixtures/placements.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { projectionLag } from '../../libs/projections/index.js';
import { DEMO_FJORD_MUNICIPALITIES, DEMO_FJORD_SERVICES, DEMO_SERVICES } from '../../libs/security/index.js';
import { startTestStack } from '../support/stack.js';
import { stackApi } from '../support/stack-api.js';

/**
 * `npm start`'s demo data against the real stack (API, worker, Temporal dev server, PostgreSQL), with
 * fewer placements than the 300 of `npm start`: sent through the API as the demo users, it gives each
 * learning-network lead figures above the small-cell threshold, with work done on time and late and
 * steps waived; a second run sends the same commands and adds nothing.
 */

type Cell = {
  key: string;
  suppressed: boolean;
  placements?: number;
  due?: number;
  completed?: number;
  onTime?: number;
  waived?: number;
};

/** The latest quarter a lead may see today: the last one that ended at least 31 days ago. */
function latestPublishedQuarter(today: string): { from: string; to: string } {
  let start = `${today.slice(0, 4)}-${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  for (;;) {
    const month = Number(start.slice(5, 7));
    const prev =
      month === 1
        ? `${Number(start.slice(0, 4)) - 1}-10-01`
        : `${start.slice(0, 4)}-${String(month - 3).padStart(2, '0')}-01`;
    const end = addDays(start, -1);
    if (today >= addDays(end, 31)) return { from: prev, to: end };
    start = prev;
  }
}

describe('demo data (npm start) on the real stack', () => {
  let stack: RunningStack;
  let db: DataSource;
  const api = stackApi(() => stack);
  const anchor = osloDateOf(Date.now());
  const plan = demoPlan({ anchor, count: 64, spanDays: 330 });
  let first: SeedSummary;

  beforeAll(async () => {
    stack = await startTestStack('demo-data');
    db = await new DataSource({ type: 'postgres', url: stack.databaseUrl }).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await stack?.stop();
  });

  const caughtUp = async () => {
    const deadline = Date.now() + 60_000;
    while ((await projectionLag(db)).pendingEvents > 0) {
      if (Date.now() > deadline) throw new Error('the projector did not catch up within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const eventCount = async () =>
    (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`))[0].n;

  it('registers the placements through the API, then waives and ends as the demo users', async () => {
    expect(await hasPlacements(stack.databaseUrl)).toBe(false);
    first = await seedDemoData({ apiUrl: stack.apiUrl, plan });
    expect(first).toMatchObject({ placements: 64, registered: 64, repeated: 0 });
    expect(first.waived).toBeGreaterThan(0);
    expect(await hasPlacements(stack.databaseUrl)).toBe(true);
    await caughtUp();
    // Every command was a person's: the events record the demo users who sent them.
    const actors = await db.query<{ who: string; type: string }[]>(
      `SELECT DISTINCT payload->'by'->>'userId' AS who, type FROM events
        WHERE type IN ('PlacementRegistered', 'TaskWaived', 'PlacementEnded') ORDER BY 1, 2`,
    );
    expect(actors.filter((a) => a.type === 'PlacementRegistered').map((a) => a.who)).toEqual([
      'demo-elvdal-kontaktperson',
      'demo-kontaktperson',
      'demo-sorvik-kontaktperson',
      'demo-vestby-kontaktperson',
    ]);
    expect(actors.filter((a) => a.type === 'TaskWaived').map((a) => a.who)).toEqual(
      expect.arrayContaining(['demo-leder', 'demo-vestby-leder']),
    );
  }, 600_000);

  it.each([
    ['demo-laeringsnettverksleder', [DEMO_SERVICES.nordby, DEMO_SERVICES.sorvik]],
    ['demo-fjord-nettverksleder', [DEMO_FJORD_SERVICES.vestby, DEMO_FJORD_SERVICES.elvdal]],
  ])('gives %s figures above the small-cell threshold, on time, late and waived', async (lead, services) => {
    const { from, to } = latestPublishedQuarter(anchor);
    const res = await api.get(lead, `/api/adherence/report?from=${from}&to=${to}&by=service`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { total: Cell; rows: Cell[] };
    expect(report.rows.map((r) => r.key).sort()).toEqual([...services].sort());
    for (const cell of [report.total, ...report.rows]) {
      expect(cell.suppressed).toBe(false);
      expect(cell.placements).toBeGreaterThanOrEqual(5);
    }
    const { onTime = 0, completed = 0, waived = 0 } = report.total;
    expect(onTime).toBeGreaterThan(0);
    expect(completed - onTime).toBeGreaterThan(0); // late
    expect(waived).toBeGreaterThan(0);
    // By track too: every track's cell is shown.
    const tracks = (await (
      await api.get(lead, `/api/adherence/report?from=${from}&to=${to}&by=track`)
    ).json()) as { rows: Cell[] };
    expect(tracks.rows.length).toBeGreaterThanOrEqual(3);
    for (const row of tracks.rows) expect(row.suppressed).toBe(false);
  });

  it('adds nothing when run again (the same idempotency keys)', async () => {
    const before = await eventCount();
    const again = await seedDemoData({ apiUrl: stack.apiUrl, plan });
    expect(again).toMatchObject({ placements: 64, registered: 0, repeated: 64, waived: first.waived });
    await caughtUp();
    expect(await eventCount()).toBe(before);
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM placement_case_numbers WHERE case_number LIKE 'D-%'`,
      );
      expect(rows[0].n).toBe(64);
    } finally {
      await client.end();
    }
  }, 600_000);

  it('answers a registration that completes its package at once (all done before it) as applied', async () => {
    // A placement of 400 days ago whose every task was done on its due day: the package is complete on
    // registration (this was a 409), and the placement goes straight on in ordinary follow-up (issue 16).
    const facts = placementFacts('omsorgsovertakelse', addDays(anchor, -400));
    const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, norwegianWorkingDays());
    const res = await api.post('demo-elvdal-kontaktperson', '/api/placements', {
      municipalityId: DEMO_FJORD_MUNICIPALITIES.elvdal,
      facts,
      catalogVersion: DEFAULT_CATALOG.version,
      caseNumber: 'E-2025/0001',
      completedBefore: tasks.map((t) => ({ taskId: t.taskId, completedOn: t.dueOn })),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { placementId: string; applied: boolean; repeated: boolean };
    expect(body).toMatchObject({ applied: true, repeated: false });
    await caughtUp();
    const placement = await api.get('demo-elvdal-kontaktperson', `/api/placements/${body.placementId}`);
    expect(((await placement.json()) as { status: string }).status).toBe('active');
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ type: string }>(
        `SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [body.placementId],
      );
      const types = rows.map((r) => r.type);
      const completedAt = types.indexOf('PackageCompleted');
      expect(completedAt).toBeGreaterThan(0);
      expect(types[completedAt + 1]).toBe('OrdinaryYearPlanned');
    } finally {
      await client.end();
    }
  });
  it("orders from the demo network's kompetansebase as the demo users, once", async () => {
    const seeded = await seedKompetansebaseDemo(stack.apiUrl, anchor);
    expect(seeded).toMatchObject({
      orders: KOMPETANSEBASE_DEMO.length,
      accepted: 2,
      waiting: 2,
      declined: 1,
    });
    await caughtUp();
    const before = await eventCount();
    expect(await seedKompetansebaseDemo(stack.apiUrl, anchor)).toEqual(seeded);
    await caughtUp();
    expect(await eventCount()).toBe(before);

    // The base's queue: the waiting order and the one not yet reviewed; the declined and accepted gone.
    const queue = (await (await api.get('demo-kb-leder', '/api/kompetansebase/queue')).json()) as {
      queue: { assignmentId: string; status: string }[];
    };
    const [accepted, waiting, declined, group, fresh] = seeded.assignmentIds;
    expect(Object.fromEntries(queue.queue.map((q) => [q.assignmentId, q.status]))).toEqual({
      [waiting]: 'venter',
      [fresh]: 'bestilt',
    });
    for (const [id, status] of [
      [accepted, 'aktiv'],
      [group, 'aktiv'],
      [declined, 'avslatt'],
    ])
      expect(
        (
          (await (await api.get('demo-kb-leder', `/api/kompetansebase/assignments/${id}`)).json()) as {
            status: string;
          }
        ).status,
      ).toBe(status);
    // A counsellor's «Mine oppgaver» has the base's work: the group's start talk, the sessions.
    const tasks = (await (await api.get('demo-kb-veileder', '/api/tasks?view=mine')).json()) as {
      items: { caseKind: string }[];
    };
    expect(tasks.items.some((t) => t.caseKind === 'kompetansebase')).toBe(true);
  });
});
