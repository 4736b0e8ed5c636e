import { randomUUID } from 'node:crypto';
import { addDays, yearOf } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';
import { supervisionEndsMonthOf } from '../../libs/domain/package/decide.js';
import { dutySegment, lastDayOfMonth, statutoryRequirement } from '../../libs/domain/statutory/rule.js';
import { STATUTORY_KINDS, type StatutoryKind } from '../../libs/domain/vocabulary.js';
import type { RunningStack } from '../../libs/dev-servers/index.js';
import { placementRequestBody } from '../../libs/fixtures/placements.js';
import { startTestStack } from '../support/stack.js';
import { daysFromToday, importCsv, importRow } from '../support/import-csv.js';
import { decodedHistory, eventually, stackApi } from '../support/stack-api.js';

type Ledger = { year: number; kind: StatutoryKind; required: number; planned: number; completed: number }[];
type Task = { taskId: string; statutory: StatutoryKind | null; dueOn: string; status: string };
type Timeline = { type: string; details: Record<string, unknown> }[];

/** `YYYY-MM`, `n` months after `month`. */
const monthsFrom = (month: string, n: number) => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/**
 * Ordinary follow-up through the real system (HTTP → the placement workflow on the dev server → events →
 * projector → the read models): a child already in a foster home registered with this year's visits and
 * read back (ledger and tasks), one imported from a CSV row `ordinær`, and a birth month saved in the
 * personal-data store that stops supervision the month the child turns 18 (the workflow only ever sees
 * that month). Every date is built relative to today, and the expected requirement comes from the
 * statutory rule itself, so it holds on any day of the year.
 */
describe('ordinary follow-up through the API', () => {
  let stack: RunningStack;
  const { as, post, get } = stackApi(() => stack);
  const today = osloDateOf(Date.now());
  const year = yearOf(today);
  const firstOfYear = `${year}-01-01`;
  const placedLongAgo = addDays(today, -3 * 365);

  /** What the statutory rule requires this year of a placement counted from 1 January. */
  const required = (kind: StatutoryKind, supervisionEndsMonth?: string) => {
    const segment = dutySegment(kind, year, {
      placementDate: firstOfYear,
      periodEnd: `${year}-12-31`,
      ...(supervisionEndsMonth ? { supervisionEndsMonth } : {}),
    });
    return segment ? statutoryRequirement(kind, segment, []) : 0;
  };
  const json = async <T>(path: string): Promise<T | undefined> => {
    const r = await get('demo-kontaktperson', path);
    return r.ok ? ((await r.json()) as T) : undefined;
  };
  const tasksOf = async (id: string) =>
    ((await json<{ items: Task[] }>(`/api/tasks?placementId=${id}&view=all&limit=200`)) ?? { items: [] })
      .items;
  /** The ledger once the projector has this year's rows for both kinds. */
  const ledgerOf = (id: string, what: string) =>
    eventually(async () => {
      const rows = (await json<Ledger>(`/api/placements/${id}/ledger`))?.filter((r) => r.year === year);
      return rows && rows.length === STATUTORY_KINDS.length ? rows : undefined;
    }, what);
  const registerOrdinary = async (doneThisYear: { kind: StatutoryKind; on: string }[]) => {
    const res = await post('demo-kontaktperson', '/api/placements', {
      ...placementRequestBody(placedLongAgo),
      followUp: 'ordinary',
      doneThisYear,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { placementId: string }).placementId;
  };

  beforeAll(async () => {
    stack = await startTestStack('ordinary-follow-up');
  });
  afterAll(() => stack?.stop());

  it('registers a child already in a foster home with this year’s visits: this year’s ledger, no backlog', async () => {
    const done = [
      { kind: 'oppfolgingsbesok' as const, on: firstOfYear },
      { kind: 'tilsynsbesok' as const, on: today },
    ];
    const id = await registerOrdinary(done);
    const ledger = await ledgerOf(id, 'the ordinary placement’s ledger');
    // Only this year: no package backlog for the years since move-in.
    expect(((await json<Ledger>(`/api/placements/${id}/ledger`)) ?? []).every((r) => r.year === year)).toBe(
      true,
    );
    for (const kind of STATUTORY_KINDS) {
      const row = ledger.find((r) => r.kind === kind)!;
      const need = required(kind);
      expect(need).toBeGreaterThan(0);
      expect([kind, row.required, row.completed, row.planned]).toEqual([kind, need, 1, Math.max(need, 1)]);
    }
    // The plan: the done visits as completed tasks of this year, the rest planned this year.
    const tasks = await eventually(async () => {
      const items = await tasksOf(id);
      return items.length > 0 ? items : undefined;
    }, 'the ordinary placement’s tasks');
    const statutory = tasks.filter((t) => t.statutory);
    expect(statutory.every((t) => t.taskId.startsWith('ordinaer-') && t.dueOn.startsWith(`${year}-`))).toBe(
      true,
    );
    expect(
      statutory
        .filter((t) => t.status === 'completed')
        .map((t) => [t.statutory, t.dueOn])
        .sort(),
    ).toEqual(done.map((d) => [d.kind, d.on]).sort());
    // Every task is one of this year's ordinary follow-up (ids name the year), none a package step.
    expect(tasks.filter((t) => !new RegExp(`#${year}\\d{2}$`).test(t.taskId))).toEqual([]);
  });

  it('imports a CSV row «ordinær» into ordinary follow-up with this year’s visits', async () => {
    const run = randomUUID().slice(0, 6);
    const file = importCsv([
      importRow(`${run}-o`, `O${run}/1`, {
        plasseringsdato: daysFromToday(-3 * 365),
        oppfølging: 'ordinær',
        oppfølgingsbesøk_i_år: firstOfYear,
        tilsynsbesøk_i_år: '',
      }),
    ]);
    const res = await fetch(`${stack.apiUrl}/api/imports/placements`, {
      method: 'POST',
      headers: { ...(await as('demo-kontaktperson')), 'content-type': 'text/csv; charset=utf-8' },
      body: file,
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { rows: { status: string; placementId?: string }[] };
    expect(report.rows.map((r) => r.status)).toEqual(['applied']);
    const id = report.rows[0].placementId!;
    const ledger = await ledgerOf(id, 'the imported placement’s ledger');
    expect(ledger.map((r) => [r.kind, r.required, r.completed]).sort()).toEqual(
      [
        ['oppfolgingsbesok', required('oppfolgingsbesok'), 1],
        ['tilsynsbesok', required('tilsynsbesok'), 0],
      ].sort(),
    );
    const timeline = (await json<Timeline>(`/api/placements/${id}/timeline`)) ?? [];
    expect(timeline.map((e) => e.type)).toContain('OrdinaryYearPlanned');
  });

  it('a birth month in the personal-data store stops supervision after the month the child turns 18', async () => {
    const id = await registerOrdinary([]);
    await ledgerOf(id, 'the placement before the birth month');
    const nextMonth = monthsFrom(today.slice(0, 7), 1);
    const birthYearMonth = monthsFrom(nextMonth, -18 * 12); // 18 next month
    const endsMonth = supervisionEndsMonthOf(birthYearMonth);
    expect(endsMonth).toBe(nextMonth);
    const lastDay = lastDayOfMonth(endsMonth);
    const before = await tasksOf(id);
    const supervisionAfter = before.filter(
      (t) => t.statutory === 'tilsynsbesok' && t.dueOn > lastDay && t.status !== 'completed',
    );
    const followUpsBefore = before.filter((t) => t.statutory === 'oppfolgingsbesok').length;

    const put = async (month = birthYearMonth) =>
      fetch(`${stack.apiUrl}/api/placements/${id}/personal-data`, {
        method: 'PUT',
        headers: { ...(await as('demo-kontaktperson')), 'content-type': 'application/json' },
        body: JSON.stringify({
          child: { name: 'Birte Fødselsmåned', birthYearMonth: month },
          parents: [],
          fosterFamily: [],
        }),
      });
    expect((await put()).status).toBe(204);
    const timeline = await eventually(async () => {
      const t = await json<Timeline>(`/api/placements/${id}/timeline`);
      return t?.some((e) => e.type === 'SupervisionEndSet') ? t : undefined;
    }, 'the supervision end on the timeline');
    expect(timeline.filter((e) => e.type === 'SupervisionEndSet').map((e) => e.details.month)).toEqual([
      endsMonth,
    ]);
    // No supervision visit left after that month; follow-up visits go on.
    const after = await eventually(async () => {
      const items = await tasksOf(id);
      const cancelled = items.filter((t) => t.status === 'cancelled');
      return cancelled.length === supervisionAfter.length ? items : undefined;
    }, 'the supervision visits after the end cancelled');
    expect(
      after.filter((t) => t.statutory === 'tilsynsbesok' && t.dueOn > lastDay && t.status !== 'cancelled'),
    ).toEqual([]);
    expect(
      after
        .filter((t) => t.status === 'cancelled')
        .map((t) => t.taskId)
        .sort(),
    ).toEqual(supervisionAfter.map((t) => t.taskId).sort());
    expect(after.filter((t) => t.statutory === 'oppfolgingsbesok' && t.status !== 'cancelled')).toHaveLength(
      followUpsBefore,
    );
    const ledger = await ledgerOf(id, 'the ledger after the supervision end');
    expect(ledger.find((r) => r.kind === 'tilsynsbesok')?.required).toBe(required('tilsynsbesok', endsMonth));
    expect(ledger.find((r) => r.kind === 'oppfolgingsbesok')?.required).toBe(required('oppfolgingsbesok'));

    // The same birth month again changes nothing; the workflow never saw the birth month.
    expect((await put()).status).toBe(204);
    const again = (await json<Timeline>(`/api/placements/${id}/timeline`)) ?? [];
    expect(again.filter((e) => e.type === 'SupervisionEndSet')).toHaveLength(1);

    // Corrected to a birth month a month earlier: the child turned 18 last month, so the supervision
    // visits still to do after last month are cancelled too.
    const corrected = monthsFrom(birthYearMonth, -1);
    const endedMonth = supervisionEndsMonthOf(corrected);
    const stillOpen = (await tasksOf(id)).filter(
      (t) =>
        t.statutory === 'tilsynsbesok' &&
        t.dueOn > lastDayOfMonth(endedMonth) &&
        !['completed', 'cancelled'].includes(t.status),
    );
    expect((await put(corrected)).status).toBe(204);
    await eventually(async () => {
      const t = (await json<Timeline>(`/api/placements/${id}/timeline`)) ?? [];
      return t.filter((e) => e.type === 'SupervisionEndSet').length === 2 ? t : undefined;
    }, 'the corrected supervision end');
    const open = await eventually(async () => {
      const items = await tasksOf(id);
      const cancelledNow = items.filter((t) =>
        stillOpen.some((o) => o.taskId === t.taskId && t.status === 'cancelled'),
      );
      return cancelledNow.length === stillOpen.length ? items : undefined;
    }, 'the supervision visits after last month cancelled');
    expect(
      open.filter(
        (t) =>
          t.statutory === 'tilsynsbesok' &&
          t.dueOn > lastDayOfMonth(endedMonth) &&
          !['completed', 'cancelled'].includes(t.status),
      ),
    ).toEqual([]);
    const history = await decodedHistory(stack, id);
    expect(history).toContain(endsMonth);
    expect(history).not.toContain(`"${birthYearMonth}"`);
    expect(history).not.toContain(`"${corrected}"`);
    expect(history).not.toContain('Birte');
  });
});
