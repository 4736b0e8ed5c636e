import { diffDays } from '../../calendar/dates.js';
import type { PlannedTask } from '../../plan.js';
import type { IsoDate, PlacementFacts } from '../../vocabulary.js';
import type { PackageState } from '../state.js';
import type { PlanChange } from './replan.js';

/*
 * Why each step of a previewed change moves, appears or lapses, and which would be overdue at once: what
 * a caseworker needs to judge a change before confirming it. Derived from the same diff the workflow
 * applies; it changes nothing.
 */

/**
 * - `placement-date`: the step counts from the placement date, which moves.
 * - `placement-type`: the new type gives the step another deadline, or makes it apply or lapse.
 * - `legal-basis`: the new legal basis makes the step apply or lapse.
 * - `statutory-rule`: a statutory visit, placed by the statutory rule's fixed cadence from move-in.
 * - `working-day`: the nominal day stays, but the deadline moves to the nearest earlier working day.
 */
export const CHANGE_REASONS = [
  'placement-date',
  'placement-type',
  'legal-basis',
  'statutory-rule',
  'working-day',
] as const;
export type ChangeReason = (typeof CHANGE_REASONS)[number];

export interface ExplainedStep {
  readonly taskId: string;
  readonly title: string;
  readonly kind: 'moved' | 'replaced' | 'added' | 'cancelled';
  /** The due date now (absent for an added step). */
  readonly fromDueOn: IsoDate | null;
  /** The due date after the change (absent for a cancelled step). */
  readonly toDueOn: IsoDate | null;
  /** At least one, most specific first. */
  readonly reasons: readonly ChangeReason[];
  /** Not overdue today, but overdue at once after the change (its new due date is before today). */
  readonly becomesOverdue: boolean;
}

/** The steps of `change`, sorted by the date they would have after it (a lapsed step by its old date). */
export function explainChange(
  state: PackageState,
  proposed: readonly PlannedTask[],
  change: PlanChange,
  after: PlacementFacts,
  today: IsoDate,
): ExplainedStep[] {
  const before = state.facts;
  const dateShift = diffDays(before.placementDate, after.placementDate);
  const typeChanged = before.placementType !== after.placementType;
  const basisChanged = before.legalBasis !== after.legalBasis;
  const planned = new Map(proposed.map((t) => [t.taskId, t]));
  /** A step that appears or lapses: because of what changed, the type first. */
  const scope = (): ChangeReason[] => {
    const reasons: ChangeReason[] = [];
    if (typeChanged) reasons.push('placement-type');
    if (basisChanged) reasons.push('legal-basis');
    if (dateShift !== 0 || reasons.length === 0) reasons.push('placement-date');
    return reasons;
  };
  const moved = (taskId: string): ChangeReason[] => {
    const now = state.tasks[taskId];
    const next = planned.get(taskId);
    const reasons: ChangeReason[] = [];
    if (next?.statutory) reasons.push('statutory-rule');
    if (!now || !next) return reasons.length ? reasons : scope();
    const nominalShift = diffDays(now.nominalDueOn, next.nominalDueOn);
    if (dateShift !== 0 && nominalShift !== 0) reasons.push('placement-date');
    if (typeChanged && nominalShift !== dateShift) reasons.push('placement-type');
    if (diffDays(now.dueOn, next.dueOn) !== nominalShift) reasons.push('working-day');
    return reasons.length ? reasons : scope();
  };
  const overdue = (from: IsoDate | null, to: IsoDate | null) =>
    to !== null && to < today && (from === null || from >= today);

  const steps: ExplainedStep[] = [
    ...(['moved', 'replaced'] as const).flatMap((kind) =>
      change[kind].map((m) => ({
        taskId: m.taskId,
        title: m.title,
        kind,
        fromDueOn: m.fromDueOn,
        toDueOn: m.toDueOn,
        reasons: moved(m.taskId),
        becomesOverdue: overdue(m.fromDueOn, m.toDueOn),
      })),
    ),
    ...change.added.map((t) => ({
      taskId: t.taskId,
      title: t.title,
      kind: 'added' as const,
      fromDueOn: null,
      toDueOn: t.dueOn,
      reasons: t.statutory ? (['statutory-rule', ...scope()] as ChangeReason[]) : scope(),
      becomesOverdue: overdue(null, t.dueOn),
    })),
    ...change.cancelled.map((t) => ({
      taskId: t.taskId,
      title: t.title,
      kind: 'cancelled' as const,
      fromDueOn: t.dueOn,
      toDueOn: null,
      reasons: scope(),
      becomesOverdue: false,
    })),
  ];
  const dateOf = (s: ExplainedStep) => s.toDueOn ?? s.fromDueOn ?? '';
  return steps.sort(
    (a, b) =>
      dateOf(a).localeCompare(dateOf(b)) ||
      a.title.localeCompare(b.title, 'nb') ||
      a.taskId.localeCompare(b.taskId),
  );
}
