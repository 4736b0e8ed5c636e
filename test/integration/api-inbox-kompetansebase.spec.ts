import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import request from 'supertest';
import { projectAssignment } from '../../activities/kompetansebase-read-models.js';
import type { AnyTaskRow } from '../../apps/api/tasks/inbox-query.js';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import {
  KOMPETANSEBASE_CATALOG,
  decideAssignmentTick,
  decideOrder,
  evolveAssignment,
  orderSteps,
  planAssignmentTask,
  type AssignmentEvent,
  type AssignmentState,
  type RequestType,
  type StepToPlan,
} from '../../libs/domain/kompetansebase/index.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import {
  can,
  DEMO_FJORD_NETWORK,
  DEMO_FJORD_SERVICES,
  DEMO_NETWORK,
  DEMO_SERVICES,
  DEMO_USERS,
  type Scoped,
} from '../../libs/security/index.js';
import { bodyOf, projectAll, seedPlacement, startTestApi, type TestApi } from '../support/api.js';

/*
 * A kompetansebase assignment's tasks in the one inbox (issue 17), on a real PostgreSQL: assignments
 * decided by the real deciders and written by the real read-model writer (in the append's transaction in
 * production), a placement beside them from appended events, real tokens of the local issuer. The base's
 * staff see their base's tasks only, placement users none of them; each row says what it belongs to and
 * names no child. Dates are built from today.
 */

interface Item {
  caseKind: string;
  placementId?: string;
  childRef?: string;
  serviceId?: string;
  caseNumber?: string;
  assignment?: {
    assignmentId: string;
    requestType: string;
    requestTypeLabel: string;
    orderingServiceId: string;
    orderingServiceName?: string;
  };
  taskId: string;
  title: string;
  role: string;
  status: string;
  escalated: boolean;
  dueOn: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const BASE = 'https://omsorg.example';
const today = osloDateOf(Date.now());
const calendar = norwegianWorkingDays();
const plan = (steps: readonly StepToPlan[]) =>
  steps.map((s) => planAssignmentTask(KOMPETANSEBASE_CATALOG, s.stepId, s.occurrence, s.anchorOn, calendar));
const keyOf = (i: Item) =>
  i.caseKind === 'kompetansebase'
    ? `${i.assignment?.assignmentId}/${i.taskId}`
    : `${i.placementId}/${i.taskId}`;

describe('GET /api/tasks: kompetansebase assignments beside placements (real PostgreSQL)', () => {
  let api: TestApi;
  /** Nordby's order, 30 days old: its call-back and review are overdue, the call-back escalated. */
  let late: string;
  /** Sørvik's order of today (same network's base). */
  let fresh: string;
  /** Vestby's order to the other network's base. */
  let other: string;
  let placementId: string;
  let serviceNames: Map<string, string>;

  const get = async (path: string, userId: string) =>
    request(api.server)
      .get(path)
      .set('Authorization', `Bearer ${await api.token(userId)}`);
  const page = async (query: string, userId: string): Promise<Page> => {
    const res = await get(`/api/tasks?${query}`, userId);
    expect(`${userId} ${query}: ${res.status}`).toBe(`${userId} ${query}: 200`);
    return bodyOf<Page>(res);
  };
  const keys = async (query: string, userId: string) => (await page(query, userId)).items.map(keyOf).sort();

  async function order(serviceId: string, network: string, requestType: RequestType, orderedOn: string) {
    const [base] = await api.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM kompetansebaser WHERE network_id = $1`,
      [network],
    );
    const id = randomUUID();
    const events = decideOrder(
      {
        commandId: randomUUID(),
        assignmentId: id,
        origin: { baseId: base.id, networkId: network, serviceId },
        requestType,
        urgency: 'vanlig',
        catalogVersion: KOMPETANSEBASE_CATALOG.version,
        by: { userId: 'demo-kontaktperson', role: 'kontaktperson' },
      },
      plan(orderSteps(orderedOn)),
      `${orderedOn}T09:00:00.000Z`,
    );
    await api.db.dataSource.transaction((m) => projectAssignment(m, id, events));
    return { id, state: events.reduce<AssignmentState | undefined>(evolveAssignment, undefined)! };
  }

  beforeAll(async () => {
    api = await startTestApi({ PUBLIC_BASE_URL: BASE });
    const ordered = await order(
      DEMO_SERVICES.nordby,
      DEMO_NETWORK,
      'hjemmebasert-foreldreveiledning',
      addDays(today, -30),
    );
    late = ordered.id;
    // The workflow's timers, fired now: overdue the day after due, escalated five days later.
    const tick: AssignmentEvent[] = decideAssignmentTick(ordered.state, new Date().toISOString());
    await api.db.dataSource.transaction((m) => projectAssignment(m, late, tick));
    fresh = (await order(DEMO_SERVICES.sorvik, DEMO_NETWORK, 'veiledning-fosterforeldre', today)).id;
    other = (await order(DEMO_FJORD_SERVICES.vestby, DEMO_FJORD_NETWORK, 'annet-konsultasjon', today)).id;
    placementId = (
      await seedPlacement(api.db, {
        serviceId: DEMO_SERVICES.nordby,
        bufetatHelp: false,
        tasks: [
          { taskId: 'samtale#1', role: 'kontaktperson', dueOn: addDays(today, 5) },
          { taskId: 'tilsyn#1', role: 'tilsynsforer', dueOn: addDays(today, 6) },
          { taskId: 'fosterhjem#1', role: 'fosterhjemsressurs', dueOn: addDays(today, 7) },
        ],
      })
    ).placementId;
    await projectAll(api.db);
    serviceNames = new Map(
      (
        await api.db.dataSource.query<{ id: string; name: string }[]>(
          `SELECT id::text AS id, name FROM services`,
        )
      ).map((s) => [s.id, s.name]),
    );
  }, 60_000);
  afterAll(() => api?.close());

  it('gives a counsellor their base’s call-backs in «mine», saying what each belongs to and naming no child', async () => {
    const mine = await page('view=mine', 'demo-kb-veileder');
    expect(mine.items.map(keyOf).sort()).toEqual(
      [`${late}/tilbakeringing#1`, `${fresh}/tilbakeringing#1`].sort(),
    );
    const callBack = mine.items.find((i) => i.assignment?.assignmentId === late)!;
    expect(callBack).toMatchObject({
      caseKind: 'kompetansebase',
      title: 'Ring tilbake til barneverntjenesten og avklar bestillingen',
      role: 'kompetansebase-veileder',
      status: 'overdue',
      escalated: true,
      assignment: {
        assignmentId: late,
        requestType: 'hjemmebasert-foreldreveiledning',
        requestTypeLabel: 'Hjemmebasert foreldreveiledning',
        orderingServiceId: DEMO_SERVICES.nordby,
        orderingServiceName: serviceNames.get(DEMO_SERVICES.nordby),
      },
    });
    for (const item of mine.items) {
      expect(item).not.toHaveProperty('placementId');
      expect(item).not.toHaveProperty('childRef');
      expect(item).not.toHaveProperty('serviceId');
      expect(item).not.toHaveProperty('caseNumber');
    }
    // The leader's review is not the counsellor's; the other network's base is not theirs.
    expect(await keys('view=all', 'demo-kb-veileder')).toEqual(mine.items.map(keyOf).sort());
    expect(bodyOf(await get('/api/tasks/counts', 'demo-kb-veileder'))).toEqual({ mine: 2, pool: 2, done: 0 });
  });

  it('gives the base leader the reviews and the escalated call-back in «mine», and every task of the base', async () => {
    expect(await keys('view=mine', 'demo-kb-leder')).toEqual(
      [`${late}/vurdering#1`, `${fresh}/vurdering#1`, `${late}/tilbakeringing#1`].sort(),
    );
    expect(await keys('view=pool', 'demo-kb-leder')).toEqual(
      [`${late}/vurdering#1`, `${fresh}/vurdering#1`].sort(),
    );
    expect(await keys('view=all', 'demo-kb-leder')).toEqual(
      [late, fresh].flatMap((id) => [`${id}/tilbakeringing#1`, `${id}/vurdering#1`]).sort(),
    );
  });

  it('pages through assignment tasks by the cursor like any other (soonest due first, then the case)', async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const p: Page = await page(`view=all&limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'demo-kb-leder');
      seen.push(...p.items);
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen.map(keyOf)).toEqual((await page('view=all&limit=50', 'demo-kb-leder')).items.map(keyOf));
    expect(seen).toHaveLength(4);
    const due = seen.map((i) => i.dueOn);
    expect(due).toEqual([...due].sort());
  });

  it.each([
    'demo-kontaktperson',
    'demo-leder',
    'demo-tilsynsforer',
    'demo-fosterhjemsressurs',
    'demo-sorvik-leder',
  ])(
    'shows %s no assignment task: the ordering service follows its orders on their own pages',
    async (userId) => {
      const items = (await page('view=all&limit=200', userId)).items;
      expect(items.filter((i) => i.caseKind !== 'placement')).toEqual([]);
      if (userId !== 'demo-sorvik-leder') expect(items.some((i) => i.placementId === placementId)).toBe(true);
    },
  );

  it('shows the other network’s base staff nothing of this base, and this base nothing of theirs', async () => {
    const all = await keys('view=all', 'demo-kb-leder');
    expect(all.some((k) => k.startsWith(other))).toBe(false);
    expect(all.some((k) => k.startsWith(placementId))).toBe(false);
  });

  it.each(DEMO_USERS.filter((u) => u.roles.some((r) => r !== 'admin' && r !== 'laeringsnettverksleder')))(
    'lists $userId exactly the tasks the access function lets them read (SQL and `can` agree)',
    async (user) => {
      // Imported only now: the API's modules read the configuration startTestApi sets.
      const { TASK_COLUMNS, TASK_FROM } = await import('../../apps/api/tasks/inbox-query.js');
      const { taskResource } = await import('../../apps/api/auth/resource-access.js');
      const rows = await api.db.dataSource.query<AnyTaskRow[]>(`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM}`);
      const principal: Scoped = {
        ...user,
        issuer: 'test',
        networkServices:
          user.network === DEMO_NETWORK
            ? Object.values(DEMO_SERVICES)
            : user.network === DEMO_FJORD_NETWORK
              ? Object.values(DEMO_FJORD_SERVICES)
              : [],
      };
      const expected = rows
        .filter((r) => can(principal, 'task:read', taskResource(r)) === 'allow')
        .map((r) => `${r.case_id}/${r.task_id}`)
        .sort();
      expect(await keys('view=all&limit=200', user.userId)).toEqual(expected);
    },
  );

  it('does not open an assignment’s task through the placement task routes', async () => {
    const path = `/api/tasks/${late}/${encodeURIComponent('tilbakeringing#1')}`;
    expect((await get(path, 'demo-leder')).status).toBe(404);
    expect((await get(path, 'demo-kontaktperson')).status).toBe(404);
    // The task routes are the care package's: the base's staff work on the assignment's page.
    expect((await get(path, 'demo-kb-veileder')).status).toBe(403);
  });

  it('puts the counsellor’s open tasks in their calendar feed, linking to the assignment, without the case', async () => {
    const created = await request(api.server)
      .post('/api/me/calendar-feed')
      .set('Authorization', `Bearer ${await api.token('demo-kb-veileder')}`);
    expect(created.status).toBe(201);
    const url = bodyOf<{ url: string }>(created).url.slice(BASE.length);
    const res = await request(api.server).get(url).buffer(true);
    expect(res.status).toBe(200);
    const component = new ICAL.Component(ICAL.parse(res.text) as unknown[]);
    const events = component.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => String(e.component.getFirstPropertyValue('url'))).sort()).toEqual(
      [late, fresh].map((id) => `${BASE}/kompetansebase/oppdrag/${id}`).sort(),
    );
    const lateEvent = events.find((e) => String(e.component.getFirstPropertyValue('url')).endsWith(late))!;
    expect(lateEvent.summary).toBe('Ring tilbake til barneverntjenesten og avklar bestillingen (forfalt)');
    expect(lateEvent.description).toContain(
      `Kompetansebase-oppdrag: Hjemmebasert foreldreveiledning for ${serviceNames.get(DEMO_SERVICES.nordby)}.`,
    );
    // No placement, and nothing that identifies a child or the service's case.
    expect(res.text).not.toContain(placementId);
    expect(res.text).not.toMatch(/saksnummer|child|barnet/i);
  });
});
