import { diffDays, isIsoDate, yearOf } from '../../calendar/dates.js';
import { osloInstant } from '../../calendar/oslo-time.js';
import type { PackageEvent } from '../../events.js';
import type { CountedVisit, DoneVisit, OrdinaryYearPlan } from '../../planner/plan-ordinary.js';
import { STATUTORY_KINDS, type IsoDate, type IsoInstant, type StatutoryKind } from '../../vocabulary.js';
import { osloDateOf } from '../clock.js';
import type { RegisterPlacement, SetSupervisionEnd } from '../commands.js';
import { reject } from '../rejection.js';
import { evolve, isFinal, type PackageState } from '../state.js';
import { lastDayOfMonth } from '../../statutory/rule.js';
import { requireActive } from './guards.js';
import { decideTick } from './time.js';

/*
 * Ordinary follow-up after the package (issue 16): one calendar year at a time, in the same workflow and
 * stream. The planner (`planOrdinaryYear`) works out a year's tasks; these decide its events, the
 * registration straight into ordinary follow-up, and what a new year's run carries. Pure.
 */

/** A placement registered straight into ordinary follow-up has lived in the home at least this long. */
export const ORDINARY_REGISTRATION_MIN_DAYS = 365;
/** At most this many visits done this year can be given with a registration. */
export const MAX_DONE_THIS_YEAR = 24;

export type FollowUpMode = 'package' | 'ordinary';
export const FOLLOW_UP_MODES: readonly FollowUpMode[] = ['package', 'ordinary'];

/** `YYYY-MM`. */
export const isYearMonth = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/**
 * Checks what a registration says about ordinary follow-up, as of `now` (Oslo date): `followUp` is
 * 'package' or 'ordinary'; 'ordinary' needs a placement date at least ORDINARY_REGISTRATION_MIN_DAYS back
 * (a child new in the home gets the package); `doneThisYear` only with 'ordinary', each a statutory kind
 * and a date in this calendar year, not after today and not before the placement date;
 * `supervisionEndsMonth` is `YYYY-MM`. Refuses naming the field, as the API names nested fields.
 */
export function validateFollowUp(
  reg: Pick<RegisterPlacement, 'followUp' | 'doneThisYear' | 'supervisionEndsMonth' | 'facts'>,
  now: IsoInstant,
): void {
  const today = osloDateOf(now);
  if (reg.followUp !== undefined && !FOLLOW_UP_MODES.includes(reg.followUp))
    reject('invalid', 'Må være «package» eller «ordinary».', 'followUp');
  if (reg.supervisionEndsMonth !== undefined && !isYearMonth(reg.supervisionEndsMonth))
    reject('invalid', 'Må være en måned (ÅÅÅÅ-MM).', 'supervisionEndsMonth');
  if (reg.followUp !== 'ordinary') {
    if (reg.doneThisYear !== undefined)
      reject('invalid', 'Gjennomførte besøk i år oppgis bare ved ordinær oppfølging.', 'doneThisYear');
    return;
  }
  const placementDate = reg.facts.placementDate;
  if (diffDays(placementDate, today) < ORDINARY_REGISTRATION_MIN_DAYS)
    reject(
      'invalid',
      `Ordinær oppfølging krever at barnet har bodd i fosterhjemmet i minst ${ORDINARY_REGISTRATION_MIN_DAYS} dager; ` +
        'en nyere plassering får omsorgspakken.',
      'facts.placementDate',
    );
  const done: unknown = reg.doneThisYear;
  if (done === undefined) return;
  if (!Array.isArray(done)) reject('invalid', 'Må være en liste.', 'doneThisYear');
  if (done.length > MAX_DONE_THIS_YEAR)
    reject('invalid', `Høyst ${MAX_DONE_THIS_YEAR} besøk kan oppgis.`, 'doneThisYear');
  (done as unknown[]).forEach((entry, i) => {
    const at = `doneThisYear.${i}`;
    const { kind, on } = (entry ?? {}) as Partial<DoneVisit>;
    if (!STATUTORY_KINDS.includes(kind as StatutoryKind))
      reject('invalid', 'Må være «oppfolgingsbesok» eller «tilsynsbesok».', `${at}.kind`);
    if (!isIsoDate(on)) reject('invalid', 'Må være en gyldig dato (ÅÅÅÅ-MM-DD).', `${at}.on`);
    if (yearOf(on) !== yearOf(today)) reject('invalid', 'Datoen må være i år.', `${at}.on`);
    if (on > today) reject('invalid', 'Datoen kan ikke være etter i dag.', `${at}.on`);
    if (on < placementDate) reject('invalid', 'Datoen kan ikke være før plasseringen.', `${at}.on`);
  });
}

/** The statutory visits a placement has (not cancelled), for the next year's plan to count and continue. */
export function countedVisits(state: PackageState): CountedVisit[] {
  return Object.values(state.tasks).flatMap((t) =>
    t.statutory && t.status !== 'cancelled'
      ? [{ kind: t.statutory, dueOn: t.dueOn, ...(t.completedOn ? { completedOn: t.completedOn } : {}) }]
      : [],
  );
}

/** 00:00 Oslo on 1 January after `year`: when a year of ordinary follow-up hands over to the next. */
export const yearEndInstant = (year: number): IsoInstant => osloInstant(`${year + 1}-01-01`, 0);

/**
 * The events of a year of ordinary follow-up beginning: the year, its requirement, its tasks, and in the
 * same append what the clock has already made due.
 */
export function decideOrdinaryYear(
  state: PackageState,
  plan: OrdinaryYearPlan,
  from: IsoDate,
  now: IsoInstant,
): PackageEvent[] {
  if (state.status === 'ended') return [];
  if (state.phase === 'ordinary' && (state.ordinaryYear ?? 0) >= plan.year) return []; // planned already
  const existing = new Set(Object.keys(state.tasks));
  const events: PackageEvent[] = [
    { type: 'OrdinaryYearPlanned', data: { year: plan.year, from, required: plan.required, at: now } },
    {
      type: 'TasksPlanned',
      data: { tasks: plan.tasks.filter((t) => !existing.has(t.taskId)), reason: 'ordinary', at: now },
    },
  ];
  const folded = events.reduce<PackageState>((s, e) => evolve(s, e), state);
  return [...events, ...decideTick(folded, now)];
}

/**
 * A registration straight into ordinary follow-up (a child already in a foster home): the placement,
 * this year's ordinary plan, the visits done this year as completed tasks, and what is due already. No
 * package, so no backlog of it.
 */
export function decideRegisterOrdinary(
  reg: RegisterPlacement,
  plan: OrdinaryYearPlan,
  now: IsoInstant,
): PackageEvent[] {
  validateFollowUp(reg, now);
  const registered: PackageEvent = {
    type: 'PlacementRegistered',
    data: {
      placementId: reg.placementId,
      childRef: reg.childRef,
      organisation: reg.organisation,
      facts: reg.facts,
      catalogVersion: reg.catalogVersion,
      followUp: 'ordinary',
      ...(reg.supervisionEndsMonth ? { supervisionEndsMonth: reg.supervisionEndsMonth } : {}),
      by: reg.actor,
      at: now,
    },
  };
  const from = osloDateOf(now);
  const events: PackageEvent[] = [
    registered,
    { type: 'OrdinaryYearPlanned', data: { year: plan.year, from, required: plan.required, at: now } },
    { type: 'TasksPlanned', data: { tasks: [...plan.tasks], reason: 'ordinary', at: now } },
    ...plan.done.map((d): PackageEvent => ({
      type: 'TaskCompleted',
      data: { taskId: d.taskId, at: now, completedOn: d.completedOn, outcome: 'gjennomfort', by: reg.actor },
    })),
  ];
  const folded = events.reduce<PackageState | undefined>(evolve, undefined)!;
  return [...events, ...decideTick(folded, now)];
}

/**
 * What a new year's run carries: the state without the finished tasks of past years (the event store
 * keeps them), except the last visit of each statutory kind, which the next year's cadence continues from.
 */
export function compactForNewYear(state: PackageState, newYear: number): PackageState {
  const keep = new Set<string>();
  for (const kind of STATUTORY_KINDS) {
    const last = Object.values(state.tasks)
      .filter((t) => t.statutory === kind && t.status !== 'cancelled')
      .sort((a, b) => ((a.completedOn ?? a.dueOn) < (b.completedOn ?? b.dueOn) ? -1 : 1))
      .at(-1);
    if (last) keep.add(last.taskId);
  }
  const tasks = Object.fromEntries(
    Object.entries(state.tasks).filter(
      ([id, t]) => !isFinal(t) || keep.has(id) || yearOf(t.dueOn) >= newYear,
    ),
  );
  return { ...state, tasks };
}

/** The first day of `year` a new year's tasks may be due: 1 January, or today in the year ordinary follow-up starts. */
export function ordinaryFrom(year: number, now: IsoInstant): IsoDate {
  const today = osloDateOf(now);
  return yearOf(today) === year ? (today > `${year}-01-01` ? today : `${year}-01-01`) : `${year}-01-01`;
}

/** Supervision is owed until the end of the month the child turns this old. */
export const SUPERVISION_ENDS_AT_AGE = 18;

/** The month supervision ends (`YYYY-MM`): the month the child turns 18, from the birth month `YYYY-MM`. */
export function supervisionEndsMonthOf(birthYearMonth: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(birthYearMonth))
    throw new RangeError(`Invalid month: ${birthYearMonth}`);
  return `${Number(birthYearMonth.slice(0, 4)) + SUPERVISION_ENDS_AT_AGE}${birthYearMonth.slice(4)}`;
}

/**
 * The month supervision ends was set (or cleared): `SupervisionEndSet`, and the supervision visits still
 * to do that fall due after the end of that month are cancelled (reason 'supervision-ended'); follow-up
 * visits go on. The same month again decides nothing (a repeat is harmless). Visits cancelled by an
 * earlier, sooner month are not planned again this year; the next year's plan uses the new month.
 */
export function decideSupervisionEnd(
  state: PackageState,
  cmd: SetSupervisionEnd,
  now: IsoInstant,
): PackageEvent[] {
  requireActive(state);
  if (cmd.month !== null && !isYearMonth(cmd.month))
    reject('invalid', 'Må være en måned (ÅÅÅÅ-MM).', 'month');
  if ((state.supervisionEndsMonth ?? null) === cmd.month) return [];
  const last = cmd.month === null ? undefined : lastDayOfMonth(cmd.month);
  const after = last
    ? Object.values(state.tasks).filter(
        (t) => t.statutory === 'tilsynsbesok' && !isFinal(t) && t.dueOn > last,
      )
    : [];
  return [
    { type: 'SupervisionEndSet', data: { month: cmd.month, by: cmd.actor, at: now } },
    ...after
      .sort((a, b) => a.taskId.localeCompare(b.taskId))
      .map((t): PackageEvent => ({
        type: 'TaskCancelled',
        data: { taskId: t.taskId, at: now, reason: 'supervision-ended' },
      })),
  ];
}
