import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays } from '../../libs/domain/calendar/dates.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { startTestStack } from '../support/stack.js';
import { DEMO_SERVICES } from '../../libs/security/local-issuer.js';

const NAME = 'Planta Barnesen Nordmann';
const FNR = '15076500565';
/** A case number planted at registration: personal data, never in Temporal (checked like the name). */
const CASE_NUMBER = `PLANT/${randomUUID().slice(0, 8)}`;

/**
 * The API's command path through the real system: HTTP → access check → placement workflow on the dev
 * server → events in PostgreSQL → projector → the inbox the API reads. Tokens are real, signed by the
 * built-in local issuer.
 */
describe('placement and task commands through the API', () => {
  let stack: RunningStack;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stack = await startTestStack('api-commands');
  });
  afterAll(() => stack?.stop());

  async function as(userId: string): Promise<Record<string, string>> {
    if (!tokens.has(userId)) {
      const res = await fetch(`${stack.apiUrl}/api/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { accessToken: string }).accessToken);
    }
    return { authorization: `Bearer ${tokens.get(userId)}`, 'content-type': 'application/json' };
  }

  const post = async (userId: string, path: string, body: unknown, key = randomUUID()) =>
    fetch(`${stack.apiUrl}${path}`, {
      method: 'POST',
      headers: { ...(await as(userId)), 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  const get = async (userId: string, path: string) =>
    fetch(`${stack.apiUrl}${path}`, { headers: await as(userId) });

  async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 150; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('registers once per Idempotency-Key, then completes and waives tasks by the rules', async () => {
    const today = osloDateOf(Date.now());
    const body = placementRequestBody(addDays(today, -3));
    const key = randomUUID();
    const first = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(first.status).toBe(201);
    const registered = (await first.json()) as { placementId: string; applied: boolean };
    expect(registered.applied).toBe(true);
    const again = await post('demo-kontaktperson', '/api/placements', body, key);
    expect(((await again.json()) as { placementId: string }).placementId).toBe(registered.placementId);

    const bad = await post('demo-kontaktperson', '/api/placements', {
      ...body,
      facts: { ...body.facts, legalBasis: 'frivillig' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: 'facts.legalBasis' }] });

    const id = registered.placementId;
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/placements/${id}`)).ok ? true : undefined),
      'the projection',
    );

    const visit = encodeURIComponent('besok-uke1#1');
    await eventually(
      async () => ((await get('demo-kontaktperson', `/api/tasks/${id}/${visit}`)).ok ? true : undefined),
      'the task in the inbox',
    );
    const completeKey = randomUUID();
    const done = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${visit}/complete`,
      { outcome: 'gjennomfort', completedOn: today },
      completeKey,
    );
    expect(done.status).toBe(200);
    const repeat = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${visit}/complete`,
      { outcome: 'gjennomfort', completedOn: today },
      completeKey,
    );
    expect(repeat.status).toBe(200);

    const future = await post(
      'demo-kontaktperson',
      `/api/tasks/${id}/${encodeURIComponent('kartlegging#1')}/complete`,
      { outcome: 'gjennomfort', completedOn: addDays(today, 2) },
    );
    expect([400, 403, 404]).toContain(future.status); // a caseworker may not even see the foster-home resource's task

    const statutory = encodeURIComponent('oppfolgingsbesok#1');
    const refused = await post('demo-kontaktperson', `/api/tasks/${id}/${statutory}/waive`, {
      reason: 'ikke-relevant',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/medsignatur/);
    const waived = await post('demo-leder', `/api/tasks/${id}/${statutory}/waive`, {
      reason: 'ikke-relevant',
    });
    expect(waived.status).toBe(200);

    const task = await eventually(async () => {
      const res = await get('demo-kontaktperson', `/api/tasks/${id}/${visit}`);
      const t = (await res.json()) as { status: string };
      return t.status === 'completed' ? t : undefined;
    }, 'the completion in the read model');
    expect(task.status).toBe('completed');

    // Another service's leader cannot tell that the placement exists.
    expect((await get('demo-sorvik-leder', `/api/placements/${id}`)).status).toBe(404);
    const log = await get('demo-leder', `/api/placements/${id}/access-log`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(await log.json())).toMatch(/demo-sorvik-leder/);
  });

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
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const client = new Client({ connection });
      const history = await client.workflow.getHandle(`placement-${id}`).fetchHistory();
      // Payload bytes appear as base64 in the history's JSON form: decode every one of them.
      const text = JSON.stringify(history, (key, value: unknown) =>
        key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
      );
      expect(text.includes('placementDate')).toBe(true); // the payloads really are decoded
      expect(text.includes(NAME)).toBe(false);
      expect(text.includes(FNR)).toBe(false);
      expect(text.includes(CASE_NUMBER)).toBe(false);
      expect(text.includes(CASE_NUMBER.slice(6))).toBe(false);
    } finally {
      await connection.close();
    }
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
    const logs = fileURLToPath(new URL('../../test-results/logs/api-commands/', import.meta.url));
    const logFiles = readdirSync(logs).filter((f) => f.endsWith('.log'));
    expect(logFiles.length).toBeGreaterThan(0);
    for (const file of logFiles)
      expect([file, readFileSync(`${logs}${file}`, 'utf8').includes(CASE_NUMBER.slice(6))]).toEqual([
        file,
        false,
      ]);
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
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      await new Client({ connection }).workflow
        .getHandle(`placement-${id}`)
        .terminate('test: a stopped package');
    } finally {
      await connection.close();
    }
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

  it('gives a task only to someone who may take it: candidates by name, an unknown id refused, the pool', async () => {
    const today = osloDateOf(Date.now());
    const res = await post('demo-kontaktperson', '/api/placements', placementRequestBody(addDays(today, -3)));
    const { placementId: id } = (await res.json()) as { placementId: string };
    const visit = encodeURIComponent('besok-uke1#1');
    const task = await eventually(async () => {
      const r = await get('demo-leder', `/api/tasks/${id}/${visit}`);
      return r.ok ? ((await r.json()) as { assigneeId: string | null }) : undefined;
    }, 'the task');
    expect(task.assigneeId).toBeNull();

    const candidates = await get('demo-leder', `/api/tasks/${id}/${visit}/assignees`);
    expect(candidates.status).toBe(200);
    expect(await candidates.json()).toEqual([
      { userId: 'demo-kontaktperson', name: 'Ingrid Haugen', roles: ['kontaktperson'] },
      { userId: 'demo-kontaktperson-2', name: 'Jonas Bakke', roles: ['kontaktperson'] },
    ]);

    // A typo is refused before the workflow is asked: nothing happens to the task.
    const typo = 'demo-kontaktperson-22';
    const refused = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, { assigneeId: typo });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ errors: [{ field: 'assigneeId' }] });

    const assignee = (want: string | null) => async () => {
      const r = await get('demo-leder', `/api/tasks/${id}/${visit}`);
      return ((await r.json()) as { assigneeId: string | null }).assigneeId === want ? true : undefined;
    };
    const given = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, {
      assigneeId: 'demo-kontaktperson-2',
    });
    expect(given.status).toBe(200);
    await eventually(assignee('demo-kontaktperson-2'), 'the reassignment');
    const pooled = await post('demo-leder', `/api/tasks/${id}/${visit}/reassign`, { assigneeId: null });
    expect(pooled.status).toBe(200);
    await eventually(assignee(null), 'the task back in the pool');

    // The package recorded the two reassignments it was sent, and never heard of the typo.
    const timeline = (await (await get('demo-leder', `/api/placements/${id}/timeline`)).json()) as {
      type: string;
      taskId: string | null;
      details: { assigneeId?: string | null };
    }[];
    expect(
      timeline
        .filter((e) => e.type === 'TaskReassigned' && e.taskId === 'besok-uke1#1')
        .map((e) => e.details.assigneeId),
    ).toEqual(['demo-kontaktperson-2', null]);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const history = await new Client({ connection }).workflow.getHandle(`placement-${id}`).fetchHistory();
      const text = JSON.stringify(history, (key, value: unknown) =>
        key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
      );
      expect(text.includes('demo-kontaktperson-2')).toBe(true);
      expect(text.includes(typo)).toBe(false);
    } finally {
      await connection.close();
    }
  });
});
