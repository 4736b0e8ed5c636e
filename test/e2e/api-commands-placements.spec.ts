import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../libs/domain/catalog/default-catalog.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { planPackage } from '../../libs/domain/planner/plan-package.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { DEMO_SERVICES } from '../../libs/security/local-issuer.js';
import { startTestStack } from '../support/stack.js';
import { decodedHistory, eventually, stackApi, withTemporal } from '../support/stack-api.js';

const NAME = 'Planta Barnesen Nordmann';
const FNR = '15076500565';
/** A case number planted at registration: personal data, never in Temporal (checked like the name). */
const CASE_NUMBER = `PLANT/${randomUUID().slice(0, 8)}`;

/**
 * The placement commands through the real system: HTTP → access check → placement workflow on the dev
 * server → events in PostgreSQL → projector → the read models the API answers from. A date change
 * previewed and applied, a type change that brings its legal basis, pause, resume and end, a package
 * whose workflow stopped, and the service's closure days in a new plan. Tokens are real, signed by the
 * built-in local issuer. The task commands are in api-commands-tasks.spec.ts.
 */
describe('placement commands through the API', () => {
  let stack: RunningStack;
  const { as, post, get } = stackApi(() => stack);

  beforeAll(async () => {
    stack = await startTestStack('api-commands-placements');
  });
  afterAll(() => stack?.stop());

  it('previews and applies a date change (409 on a stale version), claims, pauses, resumes and ends', async () => {
    const today = osloDateOf(Date.now());
    const body = { ...placementRequestBody(addDays(today, -3)), caseNumber: CASE_NUMBER };
    const key = randomUUID();
    const res = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(res.status).toBe(201);
    const { placementId: id } = (await res.json()) as { placementId: string };
    // A repeat with the key keeps the number; the key with another number is refused (422), and a
    // second placement with the number in use (409) changes nothing.
    expect((await post('demo-kontaktperson', '/api/placements', body, key)).status).toBe(201);
    const other = await post(
      'demo-kontaktperson',
      '/api/placements',
      { ...body, caseNumber: 'PLANT/x' },
      key,
    );
    expect(other.status).toBe(422);
    expect((await post('demo-kontaktperson', '/api/placements', body)).status).toBe(409);
    const placement = () =>
      eventually(async () => {
        const r = await get('demo-kontaktperson', `/api/placements/${id}`);
        return r.ok
          ? ((await r.json()) as { version: number; status: string; caseNumber: string })
          : undefined;
      }, 'the placement');
    expect((await placement()).caseNumber).toBe(CASE_NUMBER);

    // Personal data and a note, planted: they must never reach Temporal (checked at the end).
    const put = await fetch(`${stack.apiUrl}/api/placements/${id}/personal-data`, {
      method: 'PUT',
      headers: await as('demo-kontaktperson'),
      body: JSON.stringify({ child: { name: NAME, nationalId: FNR }, parents: [], fosterFamily: [] }),
    });
    expect(put.status).toBe(204);

    // Preview: nothing changes; the answer carries the version to apply it on.
    const preview = await post('demo-kontaktperson', `/api/placements/${id}/change/preview`, {
      placementDate: addDays(today, -10),
    });
    expect(preview.status).toBe(200);
    const previewed = (await preview.json()) as {
      expectedVersion: number;
      change: {
        moved: { taskId: string; fromDueOn: string; toDueOn: string }[];
        replaced: unknown[];
        kept: number;
      };
    };
    expect(previewed.change.moved.length).toBeGreaterThan(5);
    // Every task moves with the placement date, statutory visits too (each keeps its cadence slot),
    // on every date: the planner's sweep checks this re-plan for every placement date 2025–2035.
    for (const m of previewed.change.moved)
      expect(`${m.taskId} ${m.toDueOn < m.fromDueOn}`).toBe(`${m.taskId} true`);
    expect(previewed.change.replaced).toEqual([]);

    const stale = await post('demo-kontaktperson', `/api/placements/${id}/change`, {
      placementDate: addDays(today, -10),
      expectedVersion: previewed.expectedVersion - 1,
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ errors: [{ field: 'expectedVersion' }] });
    const applied = await post('demo-kontaktperson', `/api/placements/${id}/change`, {
      placementDate: addDays(today, -10),
      expectedVersion: previewed.expectedVersion,
    });
    expect(applied.status).toBe(200);
    const change = ((await applied.json()) as { change: typeof previewed.change }).change;
    expect(change).toEqual(previewed.change); // what was previewed is what happened

    // Claim from the role pool, and give it back.
    const pooled = encodeURIComponent('kartlegging#1');
    const assignee = (userId: string) => async () => {
      const r = await get('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}`);
      const t = (await r.json()) as { assigneeId: string | null };
      return t.assigneeId === userId ? t : undefined;
    };
    expect((await post('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}/unclaim`, {})).status).toBe(
      409,
    );
    expect((await post('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}/claim`, {})).status).toBe(200);
    await eventually(assignee('demo-fosterhjemsressurs'), 'the claim');
    expect((await post('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}/unclaim`, {})).status).toBe(
      200,
    );
    await eventually(async () => {
      const r = await get('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}`);
      return ((await r.json()) as { assigneeId: string | null }).assigneeId === null ? true : undefined;
    }, 'the task back in the pool');
    const note = await post('demo-fosterhjemsressurs', `/api/tasks/${id}/${pooled}/notes`, {
      text: `Snakket med ${NAME}.`,
    });
    expect(note.status).toBe(201);

    // Pause, a second pause refused, resume, end; then nothing more is accepted.
    const pause = { reason: 'sykehusopphold', from: today };
    expect((await post('demo-kontaktperson', `/api/placements/${id}/pause`, pause)).status).toBe(200);
    expect((await post('demo-kontaktperson', `/api/placements/${id}/pause`, pause)).status).toBe(409);
    expect((await post('demo-kontaktperson', `/api/placements/${id}/resume`, { on: today })).status).toBe(
      200,
    );
    const end = { reason: 'planlagt', endedOn: today };
    expect((await post('demo-leder', `/api/placements/${id}/end`, end)).status).toBe(200);
    const ended = await eventually(async () => {
      const p = await placement();
      return p.status === 'ended' ? p : undefined;
    }, 'the end in the read model');
    expect(ended.status).toBe('ended');
    const late = await post('demo-kontaktperson', `/api/placements/${id}/pause`, pause);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { detail: string }).detail).toBe(
      'Plasseringen er avsluttet og kan ikke endres.',
    );

    // The leader sees who wrote: the request and the write itself, logged with the events.
    const log = (
      (await (await get('demo-leder', `/api/placements/${id}/access-log?limit=500`)).json()) as {
        items: { userId: string; action: string }[];
      }
    ).items;
    const actions = log.map((e) => `${e.userId} ${e.action}`);
    expect(actions).toContain('demo-kontaktperson event:PlacementDateChanged');
    expect(actions).toContain('demo-leder event:PlacementEnded');

    // Nothing identifying went into Temporal: decode every payload of the workflow's history.
    const text = await decodedHistory(stack, id);
    expect(text.includes('placementDate')).toBe(true); // the payloads really are decoded
    expect(text.includes(NAME)).toBe(false);
    expect(text.includes(FNR)).toBe(false);
    expect(text.includes(CASE_NUMBER)).toBe(false);
    expect(text.includes(CASE_NUMBER.slice(6))).toBe(false);
    // Nor in the events or the read models: only in its own table, next to the placement's id.
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const holding: string[] = [];
      for (const { table_name } of tables.rows) {
        const hit = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM "${table_name}" t WHERE t::text LIKE $1`,
          [`%${CASE_NUMBER.slice(6)}%`],
        );
        if (Number(hit.rows[0]?.n) > 0) holding.push(table_name);
      }
      expect(holding).toEqual(['placement_case_numbers']);
    } finally {
      await db.end();
    }
    // Nor in the logs of the API, the worker or Temporal (the requests that carried it included).
    const logs = fileURLToPath(new URL('../../test-results/logs/api-commands-placements/', import.meta.url));
    const logFiles = readdirSync(logs).filter((f) => f.endsWith('.log'));
    expect(logFiles.length).toBeGreaterThan(0);
    for (const file of logFiles)
      expect([file, readFileSync(`${logs}${file}`, 'utf8').includes(CASE_NUMBER.slice(6))]).toEqual([
        file,
        false,
      ]);
  });

  it('brings the legal basis along when an emergency placement becomes a care-order placement', async () => {
    const today = osloDateOf(Date.now());
    const body = placementRequestBody(addDays(today, -3));
    const res = await post('demo-kontaktperson', '/api/placements', {
      ...body,
      facts: { ...body.facts, placementType: 'akutt', legalBasis: 'frivillig', beredskapshjem: true },
    });
    expect(res.status).toBe(201);
    const { placementId: id } = (await res.json()) as { placementId: string };
    const placement = (when: (p: { legalBasis: string | null; placementType: string }) => boolean) =>
      eventually(async () => {
        const r = await get('demo-kontaktperson', `/api/placements/${id}`);
        const p = r.ok
          ? ((await r.json()) as { version: number; legalBasis: string; placementType: string })
          : null;
        return p && when(p) ? p : undefined;
      }, 'the placement');
    const before = await placement((p) => p.legalBasis === 'frivillig');
    expect(before.placementType).toBe('akutt');

    // A care-order type dictates its basis: asking for another is refused, naming the field.
    const wrong = await post('demo-kontaktperson', `/api/placements/${id}/change/preview`, {
      placementType: 'omsorgsovertakelse',
      legalBasis: 'frivillig',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ errors: [{ field: 'legalBasis' }] });

    const preview = await post('demo-kontaktperson', `/api/placements/${id}/change/preview`, {
      placementType: 'omsorgsovertakelse',
    });
    expect(preview.status).toBe(200);
    const previewed = (await preview.json()) as {
      expectedVersion: number;
      legalBasis: string;
      change: { added: { taskId: string }[]; cancelled: { taskId: string }[] };
    };
    expect(previewed.legalBasis).toBe('omsorgsovertakelse');
    // Under the care order the law asks for a care plan instead of a measures plan.
    expect(previewed.change.added.map((t) => t.taskId)).toContain('omsorgsplan#1');
    expect(previewed.change.cancelled.map((t) => t.taskId)).toContain('tiltaksplan#1');

    const applied = await post('demo-kontaktperson', `/api/placements/${id}/change`, {
      placementType: 'omsorgsovertakelse',
      expectedVersion: previewed.expectedVersion,
    });
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as { change: unknown }).change).toEqual(previewed.change);
    await placement((p) => p.legalBasis === 'omsorgsovertakelse' && p.placementType === 'omsorgsovertakelse');
    const timeline = (await (await get('demo-leder', `/api/placements/${id}/timeline`)).json()) as {
      type: string;
      details: Record<string, unknown>;
    }[];
    expect(timeline.find((e) => e.type === 'PlacementTypeChanged')?.details).toMatchObject({
      from: 'akutt',
      to: 'omsorgsovertakelse',
      legalBasis: { from: 'frivillig', to: 'omsorgsovertakelse' },
    });
  });

  it('never reports a package whose workflow stopped without ending as ended', async () => {
    const today = osloDateOf(Date.now());
    const res = await post('demo-kontaktperson', '/api/placements', placementRequestBody(addDays(today, -3)));
    expect(res.status).toBe(201);
    const { placementId: id } = (await res.json()) as { placementId: string };
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/placements/${id}`)).ok ? true : undefined),
      'the projection',
    );
    // The workflow stops by a fault (here: terminated by an operator), the placement never ended.
    await withTemporal(stack, (client) =>
      client.workflow.getHandle(`placement-${id}`).terminate('test: a stopped package'),
    );
    const pause = await post('demo-kontaktperson', `/api/placements/${id}/pause`, {
      reason: 'sykehusopphold',
      from: today,
    });
    expect(pause.status).toBe(409);
    expect(pause.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const detail = ((await pause.json()) as { detail: string }).detail;
    expect(detail).not.toMatch(/avsluttet/);
    expect(detail).toMatch(/stanset/);
  });

  it('plans a new placement around its service’s closure days; a plan already made keeps its dates', async () => {
    const today = osloDateOf(Date.now());
    const register = async () => {
      const res = await post(
        'demo-kontaktperson',
        '/api/placements',
        placementRequestBody(addDays(today, -3)),
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { placementId: string }).placementId;
    };
    const dueOf = (placementId: string) =>
      eventually(async () => {
        const r = await get(
          'demo-kontaktperson',
          `/api/tasks/${placementId}/${encodeURIComponent('kartlegging#1')}`,
        );
        return r.ok ? ((await r.json()) as { dueOn: string }).dueOn : undefined;
      }, 'kartlegging#1');
    const first = await register();
    const closed = await dueOf(first); // a working day: the planner put it there
    const admin = async (days: { date: string }[]) =>
      fetch(`${stack.apiUrl}/api/reference/services/${DEMO_SERVICES.nordby}/closure-days`, {
        method: 'PUT',
        headers: await as('demo-admin'),
        body: JSON.stringify({ days }),
      });
    expect((await admin([{ date: closed }])).status).toBe(200);
    try {
      const second = await register();
      const moved = await dueOf(second);
      expect(moved < closed).toBe(true); // the same plan, moved off the closure day to a day before
      expect(await dueOf(first)).toBe(closed); // published: unchanged by the calendar change
    } finally {
      expect((await admin([])).status).toBe(200);
    }
  });
  it('registers late: work done before is completed, what is overdue waits out the grace; bad entries are refused', async () => {
    const today = osloDateOf(Date.now());
    const placementDate = addDays(today, -6);
    const base = placementRequestBody(placementDate);
    // Tasks due two days before today or earlier are overdue at registration whatever the service's
    // closure days (they only move a due date earlier).
    const overdue = planPackage(
      DEFAULT_CATALOG,
      { facts: base.facts, reductions: [] },
      norwegianWorkingDays(),
    )
      .filter((t) => t.dueOn <= addDays(today, -2))
      .sort((a, b) => a.taskId.localeCompare(b.taskId));
    expect(overdue.length).toBeGreaterThan(2);
    const [done, waiting] = overdue;

    const refused = async (completedBefore: unknown, field: string) => {
      const res = await post('demo-kontaktperson', '/api/placements', { ...base, completedBefore });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        field,
      ]);
    };
    await refused([{ stepId: 'finnes-ikke', completedOn: placementDate }], 'completedBefore.0.stepId');
    await refused(
      [
        { stepId: done.stepId, completedOn: placementDate },
        { taskId: 'finnes-ikke#1', completedOn: placementDate },
      ],
      'completedBefore.1.taskId',
    );
    await refused([{ stepId: done.stepId, completedOn: addDays(today, 1) }], 'completedBefore.0.completedOn');
    await refused(
      [{ stepId: done.stepId, completedOn: addDays(placementDate, -61) }],
      'completedBefore.0.completedOn',
    );
    await refused([{ stepId: done.stepId, completedOn: '2026-02-30' }], 'completedBefore.0.completedOn');
    await refused([{ stepId: done.stepId }], 'completedBefore.0.completedOn');
    const notAList = await post('demo-kontaktperson', '/api/placements', {
      ...base,
      completedBefore: { stepId: done.stepId },
    });
    expect(notAList.status).toBe(400);
    expect(((await notAList.json()) as { errors: unknown[] }).errors).toContainEqual({
      field: 'completedBefore',
      reason: 'må være en liste',
    });

    const res = await post('demo-kontaktperson', '/api/placements', {
      ...base,
      completedBefore: [{ stepId: done.stepId, completedOn: addDays(today, -1) }],
    });
    expect(res.status).toBe(201);
    const { placementId: id } = (await res.json()) as { placementId: string };
    const taskOf = (taskId: string) =>
      eventually(async () => {
        const r = await get('demo-kontaktperson', `/api/tasks/${id}/${encodeURIComponent(taskId)}`);
        return r.ok
          ? ((await r.json()) as {
              status: string;
              escalated: boolean;
              overdueAtRegistration: boolean;
              completedOn: string | null;
            })
          : undefined;
      }, taskId);
    expect(await taskOf(done.taskId)).toMatchObject({
      status: 'completed',
      completedOn: addDays(today, -1),
      escalated: false,
      overdueAtRegistration: false,
    });
    // Overdue, and not escalated: the leader hears of it only after the registration grace.
    expect(await taskOf(waiting.taskId)).toMatchObject({
      status: 'overdue',
      escalated: false,
      overdueAtRegistration: true,
    });
  });
  it('annuls a placement registered by mistake: leader only, once; it stays listed as registrert-ved-feil', async () => {
    const today = osloDateOf(Date.now());
    const res = await post('demo-kontaktperson', '/api/placements', placementRequestBody(addDays(today, -2)));
    expect(res.status).toBe(201);
    const { placementId: id } = (await res.json()) as { placementId: string };
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/placements/${id}`)).ok ? true : undefined),
      'the projection',
    );
    const byCaseworker = await post('demo-kontaktperson', `/api/placements/${id}/annul`, {});
    expect(byCaseworker.status).toBe(403);
    expect(byCaseworker.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await post('demo-leder', `/api/placements/${id}/annul`, {})).status).toBe(200);
    const annulled = await eventually(async () => {
      const r = await get('demo-leder', `/api/placements/${id}`);
      const p = (await r.json()) as { status: string; endReason: string | null; endedOn: string | null };
      return p.status === 'ended' ? p : undefined;
    }, 'the annulment');
    expect(annulled.endReason).toBe('registrert-ved-feil');
    // The day of the annulment (the day the test began, or the next if it ran past midnight in Oslo).
    expect([today, osloDateOf(Date.now())]).toContain(annulled.endedOn);
    const again = await post('demo-leder', `/api/placements/${id}/annul`, {});
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
