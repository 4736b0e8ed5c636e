import type { PackageEvent } from '../../events.js';
import { CHILD_VIEWS, type ChildView, type PlannedTask } from '../../plan.js';
import {
  ANNULLED,
  END_REASONS,
  LEGAL_BASES,
  legalBasisOf,
  PAUSE_REASONS,
  PLACEMENT_TYPES,
  STATUTORY_KINDS,
  type IsoInstant,
  type PlacementFacts,
} from '../../vocabulary.js';
import { addDays, diffDays, isIsoDate, osloDateOf } from '../clock.js';
import type {
  AnnulPlacement,
  ChangePlacement,
  CompletedBefore,
  EndPlacement,
  PausePlacement,
  RecordReduction,
  RegisterPlacement,
  ResumePlacement,
} from '../commands.js';
import { reject } from '../rejection.js';
import { dutySegment, statutoryRequirement } from '../../statutory/rule.js';
import { evolve, isFinal, type PackageState } from '../state.js';
import {
  EARLIEST_BEFORE_PLACEMENT_DAYS,
  oneOf,
  requireActive,
  requireDate,
  requireNotFuture,
} from './guards.js';
import { dateShift, diffPlan, replanEvents, rescheduled, type PlanChange } from './replan.js';
import { cancelOpen, decideTick, REGISTRATION_GRACE_WORKING_DAYS, withRegistrationGrace } from './time.js';

/*
 * Decisions on the placement as a whole: registration, a change of date or type, a reduction, a pause,
 * a resume, the end. What the planner works out (the plan, a re-plan, tasks moved on by a pause) comes
 * in as an argument; the events come out. Pure.
 */

/** At most this many pieces of work done before registration in one registration. */
export const MAX_COMPLETED_BEFORE = 100;

/**
 * Which tasks of the registration's plan the work done before registration closes, and on which day.
 * Each entry names a task (`taskId`) or a step (`stepId`: its earliest occurrence not named already);
 * the day is a valid date, not after the registration day and not before the placement date by more than
 * a task can be (EARLIEST_BEFORE_PLACEMENT_DAYS, as for any completion: pre-move-in steps). Refuses
 * naming the field (`completedBefore.<i>.stepId`, `….taskId`, `….completedOn`, as the API names nested fields).
 */
export function resolveCompletedBefore(
  entries: readonly CompletedBefore[] | undefined,
  tasks: readonly PlannedTask[],
  facts: PlacementFacts,
  now: IsoInstant,
): { taskId: string; completedOn: string }[] {
  if (entries === undefined) return [];
  const list: unknown = entries;
  if (!Array.isArray(list)) reject('invalid', 'Må være en liste.', 'completedBefore');
  if (entries.length > MAX_COMPLETED_BEFORE)
    reject('invalid', `Høyst ${MAX_COMPLETED_BEFORE} oppgaver kan føres som gjort.`, 'completedBefore');
  const byDue = [...tasks].sort((a, b) =>
    a.dueOn === b.dueOn ? a.occurrence - b.occurrence : a.dueOn.localeCompare(b.dueOn),
  );
  const registeredOn = osloDateOf(now);
  const earliest = addDays(facts.placementDate, -EARLIEST_BEFORE_PLACEMENT_DAYS);
  const named = new Set<string>();
  return entries.map((entry, i) => {
    const at = `completedBefore.${i}`;
    const { stepId, taskId, completedOn } = entry ?? ({} as CompletedBefore);
    if ((stepId === undefined) === (taskId === undefined))
      reject('invalid', 'Oppgi enten steg eller oppgave.', `${at}.stepId`);
    let task: PlannedTask | undefined;
    if (taskId !== undefined) {
      task = byDue.find((t) => t.taskId === taskId);
      if (!task) reject('invalid', 'Planen har ingen slik oppgave.', `${at}.taskId`);
      if (named.has(task.taskId)) reject('invalid', 'Oppgaven er ført som gjort to ganger.', `${at}.taskId`);
    } else {
      const ofStep = byDue.filter((t) => t.stepId === stepId);
      if (ofStep.length === 0) reject('invalid', 'Planen har ikke dette steget.', `${at}.stepId`);
      task = ofStep.find((t) => !named.has(t.taskId));
      if (!task)
        reject('invalid', 'Steget er ført som gjort flere ganger enn planen har det.', `${at}.stepId`);
    }
    if (!isIsoDate(completedOn))
      reject('invalid', 'Må være en gyldig dato (ÅÅÅÅ-MM-DD).', `${at}.completedOn`);
    if (completedOn > registeredOn)
      reject('invalid', 'Datoen kan ikke være etter registreringen.', `${at}.completedOn`);
    if (completedOn < earliest)
      reject('invalid', 'Datoen er for lenge før plasseringen.', `${at}.completedOn`);
    named.add(task.taskId);
    return { taskId: task.taskId, completedOn };
  });
}

/**
 * A registration: the placement and its plan, the work done before registration (completed tasks), and
 * in the same append what is already due (tasks that open before move-in, or a registration made late).
 * With `arrearsGrace` (registrations since the grace exists; the workflow asks `patched`), tasks already
 * overdue at registration escalate no earlier than the registration grace (`withRegistrationGrace`) of
 * `reg.graceWorkingDays` working days (the API's configuration; absent: REGISTRATION_GRACE_WORKING_DAYS).
 */
export function decideRegister(
  reg: RegisterPlacement,
  tasks: readonly PlannedTask[],
  now: IsoInstant,
  options: { arrearsGrace?: boolean } = {},
): PackageEvent[] {
  const done = resolveCompletedBefore(reg.completedBefore, tasks, reg.facts, now);
  const doneIds = new Set(done.map((d) => d.taskId));
  const planned = options.arrearsGrace
    ? [
        ...withRegistrationGrace(
          tasks.filter((t) => !doneIds.has(t.taskId)),
          now,
          reg.graceWorkingDays ?? REGISTRATION_GRACE_WORKING_DAYS,
        ),
        ...tasks.filter((t) => doneIds.has(t.taskId)),
      ]
    : [...tasks];
  const order = new Map(tasks.map((t, i) => [t.taskId, i]));
  planned.sort((a, b) => order.get(a.taskId)! - order.get(b.taskId)!);
  const registered: PackageEvent[] = [
    {
      type: 'PlacementRegistered',
      data: {
        placementId: reg.placementId,
        childRef: reg.childRef,
        organisation: reg.organisation,
        facts: reg.facts,
        catalogVersion: reg.catalogVersion,
        by: reg.actor,
        at: now,
      },
    },
    { type: 'TasksPlanned', data: { tasks: planned, reason: 'registered', at: now } },
    ...done.map((d): PackageEvent => ({
      type: 'TaskCompleted',
      data: { taskId: d.taskId, at: now, completedOn: d.completedOn, outcome: 'gjennomfort', by: reg.actor },
    })),
  ];
  const folded = registered.reduce<PackageState | undefined>(evolve, undefined)!;
  return [...registered, ...decideTick(folded, now)];
}

export function validateChange(state: PackageState, cmd: ChangePlacement): void {
  requireActive(state);
  if (state.phase === 'ordinary')
    reject(
      'conflict',
      'Plasseringen er i ordinær oppfølging: plasseringsdato og -type kan ikke endres her.',
      cmd.placementDate !== undefined ? 'placementDate' : 'placementType',
    );
  if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== state.version) {
    reject(
      'conflict',
      'Plasseringen er endret siden forhåndsvisningen. Se på endringen på nytt.',
      'expectedVersion',
    );
  }
  if (cmd.placementDate === undefined && cmd.placementType === undefined) {
    reject('invalid', 'Oppgi ny plasseringsdato eller ny plasseringstype.', 'placementDate');
  }
  if (cmd.placementDate !== undefined) requireDate(cmd.placementDate, 'placementDate');
  if (cmd.placementType !== undefined)
    oneOf(PLACEMENT_TYPES, cmd.placementType, 'placementType', 'plasseringstype');
  if (cmd.legalBasis !== undefined) {
    oneOf(LEGAL_BASES, cmd.legalBasis, 'legalBasis', 'rettsgrunnlag');
    if (cmd.placementType === undefined)
      reject('invalid', 'Rettsgrunnlaget endres sammen med plasseringstypen.', 'legalBasis');
    const dictated = legalBasisOf(cmd.placementType);
    if (dictated !== null && dictated !== cmd.legalBasis)
      reject(
        'invalid',
        `En plassering av typen ${cmd.placementType} har rettsgrunnlag ${dictated}.`,
        'legalBasis',
      );
  }
}

/**
 * The placement's facts after a (valid) change: a new type that dictates its legal basis brings that
 * basis along (an emergency placement under a voluntary arrangement that becomes a care-order placement
 * is then under the care order); otherwise the basis given, or the current one.
 */
export function changedFacts(facts: PlacementFacts, cmd: ChangePlacement): PlacementFacts {
  const placementType = cmd.placementType ?? facts.placementType;
  return {
    ...facts,
    placementDate: cmd.placementDate ?? facts.placementDate,
    placementType,
    legalBasis: legalBasisOf(placementType) ?? cmd.legalBasis ?? facts.legalBasis,
  };
}

export function validateReduction(state: PackageState, cmd: RecordReduction): void {
  requireActive(state);
  const d = cmd.decision;
  oneOf(STATUTORY_KINDS, d?.kind, 'decision.kind', 'type besøk');
  if (!Number.isInteger(d.minimumPerYear) || d.minimumPerYear < 1 || d.minimumPerYear > 3) {
    reject('invalid', 'Redusert minimum må være 1, 2 eller 3 besøk i året.', 'decision.minimumPerYear');
  }
  const from = requireDate(d.effectiveFrom, 'decision.effectiveFrom');
  if (from < state.facts.placementDate) {
    reject('invalid', 'Reduksjonen kan ikke gjelde fra før plasseringen.', 'decision.effectiveFrom');
  }
  if (cmd.actor.role !== 'leder')
    reject('not-allowed', 'Bare leder kan registrere et vedtak om reduksjon.', 'actor');
}

/** A reduction may take effect once the child has lived in the home this many years. */
export const REDUCTION_AFTER_YEARS = 2;

/**
 * The rules for a reduction recorded since ordinary follow-up (issue 16; the workflow's validator checks
 * them, so decisions recorded before replay as they were): it takes effect no earlier than two years after
 * move-in, it records the child's view (a code), and a reduction of supervision the child's consent.
 */
export function validateReductionRules(state: PackageState, cmd: RecordReduction): void {
  const d = cmd.decision;
  const placed = state.facts.placementDate;
  const twoYears = `${Number(placed.slice(0, 4)) + REDUCTION_AFTER_YEARS}${placed.slice(4)}`.replace(
    /-02-29$/,
    '-03-01',
  );
  if (d.effectiveFrom < twoYears)
    reject(
      'invalid',
      `En reduksjon kan tidligst gjelde når barnet har bodd to år i fosterhjemmet (fra ${twoYears}).`,
      'decision.effectiveFrom',
    );
  if (!CHILD_VIEWS.includes(d.childView as ChildView))
    reject(
      'invalid',
      'Barnets syn på reduksjonen må registreres: enig, uenig eller ikke uttalt.',
      'decision.childView',
    );
  if (d.kind === 'tilsynsbesok' && d.childConsent !== true)
    reject('invalid', 'Færre tilsynsbesøk krever at barnet samtykker.', 'decision.childConsent');
}

/**
 * A reduction in ordinary follow-up: recorded, and the visits of the kind this year has beyond its new
 * requirement (the latest ones still to do) are cancelled. Later years are planned with it.
 */
export function decideOrdinaryReduction(
  state: PackageState,
  cmd: RecordReduction,
  now: IsoInstant,
): PackageEvent[] {
  validateReduction(state, cmd);
  const year = state.ordinaryYear!;
  const segment = dutySegment(cmd.decision.kind, year, {
    placementDate: state.countedFrom ?? state.facts.placementDate,
    periodEnd: `${year}-12-31`,
    supervisionEndsMonth: state.supervisionEndsMonth,
  });
  const required = segment
    ? statutoryRequirement(
        cmd.decision.kind,
        segment,
        [...state.reductions, cmd.decision],
        state.pauses ?? [],
      )
    : 0;
  const ofYear = Object.values(state.tasks).filter(
    (t) => t.statutory === cmd.decision.kind && t.status !== 'cancelled' && t.dueOn.startsWith(`${year}-`),
  );
  const surplus = Math.max(0, ofYear.length - required);
  const cancellable = ofYear
    .filter((t) => !isFinal(t) && t.dueOn >= cmd.decision.effectiveFrom)
    .sort((a, b) => (a.dueOn === b.dueOn ? b.taskId.localeCompare(a.taskId) : b.dueOn.localeCompare(a.dueOn)))
    .slice(0, surplus);
  return [
    { type: 'ReductionRecorded', data: { decision: cmd.decision, by: cmd.actor, at: now } },
    ...cancellable.map((t): PackageEvent => ({
      type: 'TaskCancelled',
      data: { taskId: t.taskId, at: now, reason: 'reduction' },
    })),
  ];
}

export function decidePause(state: PackageState, cmd: PausePlacement, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  if (state.status === 'paused') reject('conflict', 'Plasseringen er allerede satt på pause.');
  oneOf(PAUSE_REASONS, cmd.reason, 'reason', 'årsak');
  const from = requireDate(cmd.from, 'from');
  requireNotFuture(from, now, 'from');
  return [{ type: 'PlacementPaused', data: { reason: cmd.reason, from, by: cmd.actor, at: now } }];
}

/** Validates a resume and says how long the pause was: the planner then moves open work on by as much. */
export function validateResume(state: PackageState, cmd: ResumePlacement, now: IsoInstant): number {
  requireActive(state);
  if (state.status !== 'paused' || !state.pausedFrom)
    reject('conflict', 'Plasseringen er ikke satt på pause.');
  const on = requireDate(cmd.on, 'on');
  requireNotFuture(on, now, 'on');
  if (on < state.pausedFrom) reject('invalid', 'Kan ikke gjenoppta før pausen startet.', 'on');
  return diffDays(state.pausedFrom, on);
}

export function decideEnd(state: PackageState, cmd: EndPlacement, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  oneOf(END_REASONS, cmd.reason, 'reason', 'årsak');
  const endedOn = requireDate(cmd.endedOn, 'endedOn');
  requireNotFuture(endedOn, now, 'endedOn');
  if (endedOn < state.facts.placementDate)
    reject('invalid', 'Sluttdato kan ikke være før plasseringsdatoen.', 'endedOn');
  return [
    ...cancelOpen(state, 'placement-ended', now),
    { type: 'PlacementEnded', data: { endedOn, reason: cmd.reason, by: cmd.actor, at: now } },
  ];
}

/**
 * A leader annuls a placement registered by mistake ("registrert ved feil"): what is left is cancelled
 * and the package ends with the reason ANNULLED, on the day of the annulment. Unlike an end it can come
 * at any time after registration (paused too), and only from a leader.
 */
export function decideAnnul(state: PackageState, cmd: AnnulPlacement, now: IsoInstant): PackageEvent[] {
  requireActive(state);
  if (cmd.actor.role !== 'leder')
    reject('not-allowed', 'Bare leder kan annullere en plassering registrert ved feil.', 'actor');
  return [
    ...cancelOpen(state, 'placement-annulled', now),
    {
      type: 'PlacementEnded',
      data: { endedOn: osloDateOf(now), reason: ANNULLED, by: cmd.actor, at: now },
    },
  ];
}

/**
 * A change of placement date or type, re-planned (`proposed`, planned on the changed facts): the fact
 * events, then the re-plan (moved, replaced, added, cancelled tasks), and the summary a preview shows.
 */
export function decideChange(
  state: PackageState,
  cmd: ChangePlacement,
  proposed: readonly PlannedTask[],
  now: IsoInstant,
): { events: PackageEvent[]; change: PlanChange } {
  validateChange(state, cmd);
  const facts = changedFacts(state.facts, cmd);
  const events: PackageEvent[] = [];
  if (facts.placementDate !== state.facts.placementDate) {
    events.push({
      type: 'PlacementDateChanged',
      data: { from: state.facts.placementDate, to: facts.placementDate, by: cmd.actor, at: now },
    });
  }
  const basisChanged = facts.legalBasis !== state.facts.legalBasis;
  if (facts.placementType !== state.facts.placementType || basisChanged) {
    events.push({
      type: 'PlacementTypeChanged',
      data: {
        from: state.facts.placementType,
        to: facts.placementType,
        ...(basisChanged ? { legalBasis: { from: state.facts.legalBasis, to: facts.legalBasis } } : {}),
        by: cmd.actor,
        at: now,
      },
    });
  }
  const reason =
    cmd.placementDate && cmd.placementDate !== state.facts.placementDate
      ? 'placement-date-changed'
      : 'placement-type-changed';
  const shift = { dateShiftDays: dateShift(state.facts, facts) };
  return {
    events: [...events, ...replanEvents(state, proposed, reason, now, shift)],
    change: diffPlan(state, proposed, shift),
  };
}

/** A recorded reduction decision, with the re-plan of the statutory visits it changes. */
export function decideReduction(
  state: PackageState,
  cmd: RecordReduction,
  proposed: readonly PlannedTask[],
  now: IsoInstant,
): PackageEvent[] {
  validateReduction(state, cmd);
  return [
    { type: 'ReductionRecorded', data: { decision: cmd.decision, by: cmd.actor, at: now } },
    ...replanEvents(state, proposed, 'reduction', now),
  ];
}

/** A resume: the pause's length, and the open tasks as the planner moved them on (`rescheduleTasks`). */
export function decideResume(
  state: PackageState,
  cmd: ResumePlacement,
  shifted: readonly PlannedTask[],
  now: IsoInstant,
): PackageEvent[] {
  const pausedDays = validateResume(state, cmd, now);
  return [
    { type: 'PlacementResumed', data: { on: cmd.on, pausedDays, by: cmd.actor, at: now } },
    ...shifted.map((t) => rescheduled(t, 'resumed', now)),
  ];
}
