import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assignmentFigures, assignmentStates, suppress, type Share } from '../../../libs/adherence/index.js';
import type { AssignmentState } from '../../../libs/domain/kompetansebase/state.js';
import { REQUEST_TYPE_LABEL } from '../../../libs/domain/labels.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import type { Scoped } from '../../../libs/security/index.js';
import { wholeQuarter } from '../adherence/report-window.js';
import { rate } from '../adherence/report-cells.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { requestId, type AuthenticatedRequest } from '../auth/principal.decorator.js';
import { ProblemException } from '../common/problem.js';
import type {
  KompetansebaseAdherenceCellDto,
  KompetansebaseAdherenceDto,
  KompetansebaseAdherenceQueryDto,
  KompetansebaseBreakdown,
  KompetansebaseShareDto,
} from './adherence.dto.js';

const keyOf: Record<Exclude<KompetansebaseBreakdown, 'total'>, (s: AssignmentState) => string> = {
  requestType: (s) => s.requestType,
  service: (s) => s.origin.serviceId,
};

const share = (s: Share): KompetansebaseShareDto => ({ ...s, rate: rate(s.onTime, s.of) });

function cell(
  key: string,
  label: string,
  states: readonly AssignmentState[],
): KompetansebaseAdherenceCellDto {
  const f = assignmentFigures(states);
  return {
    key,
    label,
    suppressed: false,
    ...f,
    callBacks: share(f.callBacks),
    evaluationsOnAgreedDate: share(f.evaluationsOnAgreedDate),
    reportsOnTime: share(f.reportsOnTime),
  };
}

/**
 * The adherence of a kompetansebase (GET /api/kompetansebase/adherence, issue 17): for the orders made
 * to the base in a period, how many were accepted, declined (for capacity or otherwise) or are still
 * waiting, how long from order to start talk, and the on-time shares of call-backs, evaluations (on the
 * agreed date) and reports (libs/adherence/kompetansebase-figures.ts, which the council report uses
 * too), in total and by request type or ordering service. The base's leader sees the own base exactly
 * for any period; the learning-network lead sees the network's base for one whole calendar quarter at a
 * time with cells of fewer than 5 orders hidden together with the smallest safe cell
 * (libs/adherence/suppression.ts, as the package adherence reports). Orders carry codes and opaque ids
 * only: no child's data is read.
 */
@Injectable()
export class KompetansebaseAdherence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accessLog: AccessLogService,
  ) {}

  async report(
    p: Scoped,
    q: KompetansebaseAdherenceQueryDto,
    req: AuthenticatedRequest,
  ): Promise<KompetansebaseAdherenceDto> {
    if (q.to < q.from)
      throw new ProblemException(400, 'Perioden slutter før den begynner.', [
        { field: 'to', reason: 'kan ikke være før from' },
      ]);
    const lead = p.roles.includes('laeringsnettverksleder') && !p.roles.includes('kompetansebase-leder');
    if (lead) wholeQuarter(q.from, q.to);
    const [base] = p.network
      ? await this.dataSource.query<{ id: string; name: string; capacity: number }[]>(
          `SELECT id, name, capacity FROM kompetansebaser WHERE network_id = $1`,
          [p.network],
        )
      : [];
    if (!base)
      throw p.network
        ? new ProblemException(404, 'Læringsnettverket ditt har ingen kompetansebase.')
        : new ProblemException(403, 'Du er ikke knyttet til et læringsnettverk.');
    const by = q.by ?? 'requestType';
    const states = await assignmentStates(this.dataSource, { from: q.from, to: q.to, bases: [base.id] });
    const labels = by === 'service' ? await this.serviceNames(states) : REQUEST_TYPE_LABEL;
    const groups = new Map<string, AssignmentState[]>();
    if (by !== 'total')
      for (const s of states) {
        const key = keyOf[by](s);
        groups.set(key, [...(groups.get(key) ?? []), s]);
      }
    const total = cell('total', 'Totalt', states);
    const cells = [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, group]) => cell(key, labels[key] ?? key, group));
    await this.accessLog.record([
      {
        principal: p,
        action: req.routeKey ?? 'kompetansebase',
        outcome: 'allowed',
        requestId: requestId(req),
      },
    ]);
    const answer = {
      scope: lead ? ('network' as const) : ('base' as const),
      base: { baseId: base.id, name: base.name, capacity: base.capacity },
      from: q.from,
      to: q.to,
      reportDate: osloDateOf(Date.now()),
      by,
      suppression: lead,
    };
    if (!lead) return { ...answer, total, rows: cells };
    const counted = (c: KompetansebaseAdherenceCellDto) => ({ key: c.key, placements: c.orders ?? 0 });
    const result = suppress(counted(total), cells.map(counted));
    const hidden = (c: KompetansebaseAdherenceCellDto) => ({ key: c.key, label: c.label, suppressed: true });
    return {
      ...answer,
      total: result.total ? total : hidden(total),
      rows: cells.map((c) => (result.hidden.has(c.key) ? hidden(c) : c)),
    };
  }

  private async serviceNames(states: readonly AssignmentState[]): Promise<Record<string, string>> {
    const ids = [...new Set(states.map((s) => s.origin.serviceId))];
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(
      `SELECT id::text AS id, name FROM services WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }
}
