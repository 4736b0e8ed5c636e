/*
 * The SQL of the follow-up report (§7.5 supervision, 7–10 and 13 of ../shared/domain/omsorgspakken.md),
 * apart from the task report (report-query.ts). Everything is about the cohort of placements that began
 * in the period (placement date in [from, to]), read from the placement facts (adherence_placements) and
 * the task facts (adherence_facts) valid now or as recorded at an instant, both built by the projector
 * from the events. A figure counts a placement (or a task) only once its deadline has passed by the
 * report date, so a young placement is not counted as late before it could have been on time.
 *
 * "Done" below means completed with an outcome other than `forsokt-ikke-oppnadd` (attempted, not
 * achieved): a talk or an offer that was tried and did not happen is not documented. Waived tasks leave
 * the denominators and are counted apart (§7 rules); cancelled tasks (no longer applicable) are ignored.
 */

export const FOLLOWUP_BREAKDOWNS = [
  'total',
  'network',
  'service',
  'municipality',
  'placementType',
  'month',
] as const;
export type FollowupBreakdown = (typeof FOLLOWUP_BREAKDOWNS)[number];

/** The SQL expression of each breakdown over the placement facts (alias p) and their service (alias s). */
const DIMENSION: Record<FollowupBreakdown, string> = {
  total: `'total'`,
  network: `coalesce(s.network_id::text, 'uten-nettverk')`,
  service: `p.service_id::text`,
  municipality: `p.municipality_id::text`,
  placementType: `p.placement_type`,
  month: `to_char(p.placement_date, 'YYYY-MM')`,
};

/**
 * A deadline measured from move-in: the first occurrence of `step` done by day `days` (per placement
 * type where §7 gives an emergency deadline).
 */
interface Deadline {
  readonly name: string;
  /** Task ids of the first occurrence (either may apply, e.g. care plan or measures plan). */
  readonly taskIds: readonly string[];
  readonly days: number;
  readonly emergencyDays?: number;
  /** Only care-order placements (legal basis omsorgsovertakelse) count. */
  readonly careOrderOnly?: boolean;
  /** Placements where the step does not apply (no task) still count, as not met (§7.9: the offer). */
  readonly countWithoutTask?: boolean;
}

export const DEADLINES: readonly Deadline[] = [
  { name: 'care_plan', taskIds: ['omsorgsplan#1', 'tiltaksplan#1'], days: 0, emergencyDays: 42 },
  { name: 'foster_family_plan', taskIds: ['plan-fosterfamilien#1'], days: 42 },
  { name: 'agreement', taskIds: ['fosterhjemsavtale#1'], days: 0, emergencyDays: 14 },
  {
    name: 'parent_offer',
    taskIds: ['foreldre-tilbud#1'],
    days: 7,
    careOrderOnly: true,
    countWithoutTask: true,
  },
  { name: 'parent_plan', taskIds: ['foreldre-plan#1'], days: 30, careOrderOnly: true },
  { name: 'supervisor', taskIds: ['tilsyn-organisert#1'], days: 21 },
];

/** One row per cell, and the total with key NULL. */
export interface FollowupRow {
  key: string | null;
  placements: number;
  [figure: string]: number | string | null;
}

const DONE = (t: string) =>
  `${t}.status = 'completed' AND ${t}.outcome IS DISTINCT FROM 'forsokt-ikke-oppnadd'`;

export interface FollowupSqlInput {
  readonly services: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly by: FollowupBreakdown;
  readonly reportDate: string;
  readonly asOf?: string;
}

export function followupSql(input: FollowupSqlInput): { text: string; params: unknown[] } {
  const params: unknown[] = [input.services, input.from, input.to, input.reportDate];
  if (input.asOf) params.push(input.asOf);
  const valid = (alias: string) =>
    input.asOf
      ? `${alias}.recorded_from <= $5 AND (${alias}.recorded_to IS NULL OR ${alias}.recorded_to > $5)`
      : `${alias}.recorded_to IS NULL`;

  // Per placement: the first occurrence of each deadline step (status and day done).
  const perDeadline = DEADLINES.flatMap((d) => {
    const ids = d.taskIds.map((id) => `'${id}'`).join(', ');
    return [
      `bool_or(true) FILTER (WHERE t.task_id IN (${ids})) AS ${d.name}_exists`,
      `bool_or(t.status = 'waived') FILTER (WHERE t.task_id IN (${ids})) AS ${d.name}_waived`,
      `min(t.completed_on) FILTER (WHERE t.task_id IN (${ids}) AND ${DONE('t')}) AS ${d.name}_done`,
    ];
  });
  const deadlineFigures = DEADLINES.flatMap((d) => {
    const day =
      d.emergencyDays === undefined
        ? `${d.days}`
        : `CASE WHEN x.placement_type = 'akutt' THEN ${d.emergencyDays} ELSE ${d.days} END`;
    const reached = `x.placement_date + ${day} < $4::date`;
    const cohort = [
      reached,
      d.careOrderOnly ? `x.legal_basis = 'omsorgsovertakelse'` : 'true',
      d.countWithoutTask ? 'true' : `coalesce(x.${d.name}_exists, false)`,
    ].join(' AND ');
    const counted = `${cohort} AND NOT coalesce(x.${d.name}_waived, false)`;
    return [
      `count(*) FILTER (WHERE ${counted})::int AS ${d.name}_due`,
      `count(*) FILTER (WHERE ${counted} AND x.${d.name}_done <= x.placement_date + ${day})::int AS ${d.name}_met`,
      `count(*) FILTER (WHERE ${cohort} AND coalesce(x.${d.name}_waived, false))::int AS ${d.name}_waived`,
    ];
  });
  const guidance = (days: number) => [
    `coalesce(sum(x.g${days}_scheduled) FILTER (WHERE x.placement_date + ${days} < $4::date), 0)::int AS guidance${days}_scheduled`,
    `coalesce(sum(x.g${days}_held) FILTER (WHERE x.placement_date + ${days} < $4::date), 0)::int AS guidance${days}_held`,
    `coalesce(sum(x.g${days}_waived) FILTER (WHERE x.placement_date + ${days} < $4::date), 0)::int AS guidance${days}_waived`,
  ];
  const guidancePer = (days: number) => [
    `count(*) FILTER (WHERE t.step_id = 'veiledning' AND t.due_on <= p.placement_date + ${days} AND t.status <> 'waived') AS g${days}_scheduled`,
    `count(*) FILTER (WHERE t.step_id = 'veiledning' AND t.due_on <= p.placement_date + ${days} AND t.status <> 'waived'
                        AND ${DONE('t')} AND t.completed_on <= p.placement_date + ${days}) AS g${days}_held`,
    `count(*) FILTER (WHERE t.step_id = 'veiledning' AND t.due_on <= p.placement_date + ${days} AND t.status = 'waived') AS g${days}_waived`,
  ];
  const key = DIMENSION[input.by];

  const text = `WITH p AS (
       SELECT p.*, ${key} AS key
         FROM adherence_placements p LEFT JOIN services s ON s.id = p.service_id
        WHERE p.service_id = ANY($1::uuid[]) AND ${valid('p')}
          AND p.placement_date BETWEEN $2::date AND $3::date
          -- The cohort of the milestones report too: placements with a task that still applies (so
          -- that the two reports' placement counts cannot be subtracted from each other).
          AND EXISTS (SELECT 1 FROM adherence_facts a
                       WHERE a.placement_id = p.placement_id AND ${valid('a')} AND a.status <> 'cancelled')),
     t AS (
       SELECT f.placement_id, f.task_id, f.step_id, f.statutory, f.status, f.due_on, f.completed_on,
              f.outcome, f.follows_task_id
         FROM adherence_facts f JOIN p USING (placement_id)
        WHERE ${valid('f')} AND f.status <> 'cancelled'),
     per AS (
       SELECT p.placement_id, ${perDeadline.join(',\n              ')},
              ${guidancePer(90).join(',\n              ')},
              ${guidancePer(365).join(',\n              ')}
         FROM p LEFT JOIN t USING (placement_id) GROUP BY p.placement_id),
     -- Each completed statutory follow-up visit (the first-week visit too) with its private talk
     -- (barnesamtale), planned after the visit for children the talk applies to (§7.7). Talks planned
     -- before tasks recorded what they follow are joined by occurrence (barnesamtale#N).
     voice AS (
       SELECT v.placement_id,
              count(*) FILTER (WHERE c.status <> 'waived')::int AS visits,
              count(*) FILTER (WHERE ${DONE('c')})::int AS talks,
              count(*) FILTER (WHERE c.status = 'waived')::int AS talks_waived
         FROM t v JOIN t c ON c.placement_id = v.placement_id AND c.step_id = 'barnesamtale'
                          AND (c.follows_task_id = v.task_id
                               OR (c.follows_task_id IS NULL AND v.step_id = 'oppfolgingsbesok'
                                   AND c.task_id = 'barnesamtale#' || split_part(v.task_id, '#', 2)))
        WHERE v.statutory = 'oppfolgingsbesok' AND ${DONE('v')}
          AND (c.due_on < $4::date OR c.status IN ('completed', 'waived'))
        GROUP BY v.placement_id),
     -- Each completed supervision visit (tilsynsbesok#N) with its report (tilsynsrapport#N), 14 days on.
     reports AS (
       SELECT v.placement_id,
              count(*) FILTER (WHERE r.status <> 'waived')::int AS reports,
              count(*) FILTER (WHERE ${DONE('r')} AND r.completed_on - v.completed_on <= 14)::int AS reports_met,
              count(*) FILTER (WHERE r.status = 'waived')::int AS reports_waived
         FROM t v JOIN t r ON r.placement_id = v.placement_id AND r.step_id = 'tilsynsrapport'
                          AND (r.follows_task_id = v.task_id
                               OR (r.follows_task_id IS NULL
                                   AND r.task_id = 'tilsynsrapport#' || split_part(v.task_id, '#', 2)))
        WHERE v.step_id = 'tilsynsbesok' AND ${DONE('v')}
          AND (v.completed_on + 14 < $4::date OR r.status IN ('completed', 'waived'))
        GROUP BY v.placement_id),
     x AS (
       SELECT p.key, p.placement_type, p.legal_basis, p.placement_date, p.ended_on, p.end_reason,
              p.caseworker_changes_182, per.*,
              coalesce(voice.visits, 0) AS visits, coalesce(voice.talks, 0) AS talks,
              coalesce(voice.talks_waived, 0) AS talks_waived,
              coalesce(reports.reports, 0) AS reports, coalesce(reports.reports_met, 0) AS reports_met,
              coalesce(reports.reports_waived, 0) AS reports_waived
         FROM p JOIN per USING (placement_id)
         LEFT JOIN voice USING (placement_id) LEFT JOIN reports USING (placement_id))
     SELECT CASE WHEN GROUPING(x.key) = 1 THEN NULL ELSE x.key END AS key,
            count(*)::int AS placements,
            sum(x.visits)::int AS child_voice_visits,
            sum(x.talks)::int AS child_voice_talks,
            sum(x.talks_waived)::int AS child_voice_waived,
            ${deadlineFigures.join(',\n            ')},
            ${guidance(90).join(',\n            ')},
            ${guidance(365).join(',\n            ')},
            sum(x.reports)::int AS reports_due,
            sum(x.reports_met)::int AS reports_met,
            sum(x.reports_waived)::int AS reports_waived,
            count(*) FILTER (WHERE x.placement_date + 365 < $4::date)::int AS reached365,
            count(*) FILTER (WHERE x.placement_date + 365 < $4::date AND x.end_reason = 'brudd'
                               AND x.ended_on <= x.placement_date + 365)::int AS breakdowns,
            count(*) FILTER (WHERE x.placement_date + 182 < $4::date)::int AS reached182,
            count(*) FILTER (WHERE x.placement_date + 182 < $4::date AND x.caseworker_changes_182 > 0)::int
              AS caseworker_changed,
            coalesce(sum(x.caseworker_changes_182) FILTER (WHERE x.placement_date + 182 < $4::date), 0)::int
              AS caseworker_changes
       FROM x GROUP BY GROUPING SETS ((x.key), ())`;
  return { text, params };
}
