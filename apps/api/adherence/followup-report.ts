import { Injectable } from '@nestjs/common';
import type { Scoped } from '../../../libs/security/index.js';
import type { AdherenceQueryDto, Breakdown, FollowupCellDto, FollowupReportDto } from './adherence.dto.js';
import { DEADLINES, FOLLOWUP_BREAKDOWNS, followupSql, type FollowupRow } from './followup-query.js';
import { grouped, periodReport, present, rate, requireBreakdown } from './report-cells.js';
import { ReportReader } from './report-reader.js';
import { ReportWindows, type Window } from './report-window.js';

/** The deadline figures' names in the API (followup-query.ts DEADLINES). */
const DEADLINE_NAMES: Record<string, string> = {
  care_plan: 'carePlan',
  foster_family_plan: 'fosterFamilyPlan',
  agreement: 'agreement',
  parent_offer: 'parentOffer',
  parent_plan: 'parentPlan',
  supervisor: 'supervisor',
};

function followupCell(row: FollowupRow, key: string, label: string): FollowupCellDto {
  const n = (name: string) => {
    const v = row[name];
    return typeof v === 'number' ? v : 0;
  };
  const cell: Record<string, unknown> = {
    key,
    label,
    suppressed: false,
    placements: row.placements,
    childVoiceVisits: n('child_voice_visits'),
    childVoiceTalks: n('child_voice_talks'),
    childVoiceWaived: n('child_voice_waived'),
    childVoiceRate: rate(n('child_voice_talks'), n('child_voice_visits')),
  };
  for (const d of DEADLINES) {
    const name = DEADLINE_NAMES[d.name] ?? d.name;
    cell[`${name}Due`] = n(`${d.name}_due`);
    cell[`${name}Met`] = n(`${d.name}_met`);
    cell[`${name}Waived`] = n(`${d.name}_waived`);
    cell[`${name}Rate`] = rate(n(`${d.name}_met`), n(`${d.name}_due`));
  }
  Object.assign(cell, {
    supervisionReportsDue: n('reports_due'),
    supervisionReportsMet: n('reports_met'),
    supervisionReportsWaived: n('reports_waived'),
    supervisionReportsRate: rate(n('reports_met'), n('reports_due')),
    guidance90Scheduled: n('guidance90_scheduled'),
    guidance90Held: n('guidance90_held'),
    guidance90Waived: n('guidance90_waived'),
    guidance90Dose: rate(n('guidance90_held'), n('guidance90_scheduled')),
    guidance365Scheduled: n('guidance365_scheduled'),
    guidance365Held: n('guidance365_held'),
    guidance365Waived: n('guidance365_waived'),
    guidance365Dose: rate(n('guidance365_held'), n('guidance365_scheduled')),
    reached365: n('reached365'),
    breakdowns: n('breakdowns'),
    breakdownRate: rate(n('breakdowns'), n('reached365')),
    reached182: n('reached182'),
    caseworkerChanged: n('caseworker_changed'),
    caseworkerChanges: n('caseworker_changes'),
    caseworkerChangeRate: rate(n('caseworker_changed'), n('reached182')),
  });
  return cell as unknown as FollowupCellDto;
}

/**
 * The follow-up report (GET /api/adherence/followup): the metrics of §7 for placements that began in
 * the period (its SQL in followup-query.ts): child-voice coverage (7), plan timeliness (8), parent
 * follow-up (9), guidance dose (10), supervisors appointed and supervision reports assessed in time (5),
 * and the context figures (13). A cohort report, like the milestones.
 */
@Injectable()
export class FollowupReport {
  constructor(
    private readonly windows: ReportWindows,
    private readonly reader: ReportReader,
  ) {}

  async followup(p: Scoped, q: AdherenceQueryDto): Promise<FollowupReportDto> {
    requireBreakdown(
      q.by,
      FOLLOWUP_BREAKDOWNS,
      'Oppfølgingen kan bare brytes ned på nettverk, tjeneste, kommune, plasseringstype eller måned.',
    );
    const w = await this.windows.period(p, q, 'cohort');
    return this.reader.cached('followup', w, q, () => this.compute(w, q));
  }

  private async compute(w: Window, q: AdherenceQueryDto): Promise<FollowupReportDto> {
    const by = q.by ?? 'service';
    const { reportDate, asOf } = w;
    const scope = await w.scope();
    const rowsBy = (b: Breakdown) => {
      const sql = followupSql({
        services: scope.services,
        from: q.from,
        to: q.to,
        by: b as (typeof FOLLOWUP_BREAKDOWNS)[number],
        reportDate,
        ...(asOf ? { asOf: asOf.toISOString() } : {}),
      });
      return this.reader.aggregate<FollowupRow>(sql.text, sql.params);
    };
    const [rows, labels, protection] = await Promise.all([
      grouped(w, by, rowsBy),
      this.reader.labels(by),
      this.reader.protection(scope, by, rowsBy),
    ]);
    const shown = present(rows, { key: null, placements: 0 }, followupCell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }
}
