import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../../libs/domain/calendar/oslo-time.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import type { AdherenceQueryDto, StatutoryComplianceQueryDto } from './adherence.dto.js';
import { Publications, type PublicationKind } from './publications.js';
import type { ReportBasis } from './report-cache.js';

/** Whose facts a report counts: a learning network's services, or a leader's own service. */
export type Scope = { kind: 'network' | 'service'; services: string[] };

/** A report's window: whose facts, counted up to which date, as recorded when, and so cached how. */
export interface Window {
  readonly kind: 'network' | 'service';
  /** The learning network or the service whose report it is. */
  readonly owner: string;
  /** Its services then (for a network, read only when the report is computed). */
  readonly scope: () => Promise<Scope>;
  readonly reportDate: string;
  /** The facts as recorded at this instant (a lead's: the period's publication); now when absent. */
  readonly asOf: Date | undefined;
  readonly basis: ReportBasis;
}

/**
 * Days after the end of a lead's quarter (or year, for statutory compliance) before it is published:
 * until then its figures still move every day (tasks falling due, overdue tasks changing age bucket,
 * placements reaching day 90, 182 or 365, December's visits recorded in January), and two days' reports
 * would differ by the handful of placements that moved.
 */
const PUBLICATION_LAG = { report: 30, cohort: 365, statutory: 31 } as const;

/**
 * A learning-network lead's period: one whole calendar quarter (no period a lead can ask for contains
 * another, so no two can be subtracted); its name (2026-Q3), else 400 naming `from`.
 */
export function wholeQuarter(from: string, to: string): string {
  const start = /^(\d{4})-(01|04|07|10)-01$/.exec(from);
  const next = start
    ? Number(start[2]) === 10
      ? `${Number(start[1]) + 1}-01-01`
      : `${start[1]}-${String(Number(start[2]) + 3).padStart(2, '0')}-01`
    : undefined;
  if (!next || to !== addDays(next, -1))
    throw new ProblemException(400, 'For læringsnettverket må perioden være ett helt kvartal.', [
      { field: 'from', reason: 'læringsnettverket ser ett helt kvartal om gangen' },
    ]);
  return `${from.slice(0, 4)}-Q${(Number(from.slice(5, 7)) + 2) / 3}`;
}

/** A lead's whole quarter (wholeQuarter), published `lag` days after it ended: its name and that date. */
function publishedQuarter(
  from: string,
  to: string,
  reportDate: string,
  lag: number,
): { period: string; publishedOn: string } {
  const period = wholeQuarter(from, to);
  const published = addDays(to, lag + 1);
  if (reportDate < published)
    throw new ProblemException(400, `Kvartalet publiseres for læringsnettverket ${published}.`, [
      { field: 'to', reason: `publiseres ${published}` },
    ]);
  return { period, publishedOn: published };
}

const osloToday = () => osloWallClock(new Date().toISOString()).date;

/** The instant a report is asked as of (undefined: now); one in the future is refused. */
export function asOfInstant(asOf: string | undefined): Date | undefined {
  const instant = asOf ? new Date(asOf) : undefined;
  if (instant && instant.getTime() > Date.now())
    throw new ProblemException(400, 'Rapporten kan ikke gjelde et tidspunkt fram i tid.', [
      { field: 'asOf', reason: 'kan ikke være fram i tid' },
    ]);
  return instant;
}

/** The date a report counts up to: the asked instant's date in Oslo, else today. */
export const reportDateOf = (asOf: Date | undefined) =>
  asOf ? osloWallClock(asOf.toISOString()).date : osloToday();

/**
 * A leader's window on the own service: the facts as recorded at the asked instant, or as they stand now
 * (cached on `live`), counted up to that instant's date in Oslo or today.
 */
function serviceWindow(p: Scoped, scope: Scope, asked: Date | undefined, live: ReportBasis): Window {
  return {
    kind: 'service',
    owner: p.organisation,
    scope: () => Promise.resolve(scope),
    reportDate: reportDateOf(asked),
    asOf: asked,
    basis: asked ? { kind: 'recorded', at: asked } : live,
  };
}

/**
 * Whose facts a report counts, as of when: a learning-network lead sees the services of the network as
 * published (a whole quarter or year, some time after it ended, then never again changed), a leader the
 * own service, live or as of a past instant.
 */
@Injectable()
export class ReportWindows {
  constructor(
    private readonly dataSource: DataSource,
    private readonly publications: Publications,
  ) {}

  /**
   * The scope, the report date and the instant of the facts of a report over a period. A
   * learning-network lead's period is one whole calendar quarter, published `lag` days after it ended,
   * and the lead sees it as published: the facts and the network's services as recorded at the
   * publication's instant (Publications), counted up to the publication date. A lead's `asOf` finds the
   * publication as it stood then (none before it). A leader's live report of tasks due in the period
   * (`byDueDate`) changes only with those facts.
   */
  async period(p: Scoped, q: AdherenceQueryDto, kind: PublicationKind, byDueDate = false): Promise<Window> {
    if (q.to < q.from)
      throw new ProblemException(400, 'Perioden slutter før den begynner.', [
        { field: 'to', reason: 'kan ikke være før from' },
      ]);
    const asked = asOfInstant(q.asOf);
    const scope = this.scope(p);
    const askedDate = reportDateOf(asked);
    if (scope.kind === 'network') {
      const lag = kind === 'report' ? PUBLICATION_LAG.report : PUBLICATION_LAG.cohort;
      const { period, publishedOn } = publishedQuarter(q.from, q.to, askedDate, lag);
      return this.publication(p, kind, period, publishedOn, asked);
    }
    return serviceWindow(
      p,
      scope,
      asked,
      byDueDate ? { kind: 'facts', services: scope.services, from: q.from, to: q.to } : { kind: 'projector' },
    );
  }

  /**
   * A leader's year, live or as of an instant; a learning-network lead's finished year as published
   * (`PUBLICATION_LAG.statutory` days after it ended: visits are often recorded some days late).
   */
  async year(p: Scoped, q: StatutoryComplianceQueryDto): Promise<{ year: number; window: Window }> {
    const asked = asOfInstant(q.asOf);
    const askedDate = reportDateOf(asked);
    const scope = this.scope(p);
    if (scope.kind === 'service') {
      const year = q.year ? Number(q.year) : Number(askedDate.slice(0, 4));
      return { year, window: serviceWindow(p, scope, asked, { kind: 'projector' }) };
    }
    const thisYear = Number(askedDate.slice(0, 4));
    const latest =
      askedDate >= addDays(`${thisYear - 1}-12-31`, PUBLICATION_LAG.statutory + 1)
        ? thisYear - 1
        : thisYear - 2;
    const year = q.year ? Number(q.year) : latest;
    const publishedOn = addDays(`${year}-12-31`, PUBLICATION_LAG.statutory + 1);
    if (year > latest)
      throw new ProblemException(400, `Året publiseres for læringsnettverket ${publishedOn}.`, [
        { field: 'year', reason: `publiseres ${publishedOn}` },
      ]);
    return { year, window: await this.publication(p, 'statutory', String(year), publishedOn, asked) };
  }

  private scope(p: Scoped): Scope {
    if (p.roles.includes('laeringsnettverksleder')) {
      if (!p.network) throw new ProblemException(403, 'Du er ikke knyttet til et læringsnettverk.');
      return { kind: 'network', services: [...p.networkServices] };
    }
    return { kind: 'service', services: [p.organisation] };
  }

  /**
   * A learning-network lead's window on a published period: the facts and the network's services as
   * recorded at the publication's instant, counted up to the publication date (Publications). Asking as
   * of an instant publishes nothing: it finds what had been published by then.
   */
  private async publication(
    p: Scoped,
    kind: PublicationKind,
    period: string,
    publishedOn: string,
    asked: Date | undefined,
  ): Promise<Window> {
    // Published per region: the lead's network's region (resolved with the principal, AuthGuard).
    if (!p.region) throw new ProblemException(403, 'Læringsnettverket ditt hører ikke til en region.');
    const at = asked
      ? await this.publications.published(p.region, kind, period)
      : await this.publications.instant(p.region, kind, period);
    if (!at || (asked && asked < at))
      throw new ProblemException(400, 'Perioden var ikke publisert for læringsnettverket da.', [
        { field: 'asOf', reason: at ? `publisert ${at.toISOString()}` : 'publisert senere' },
      ]);
    return {
      kind: 'network',
      owner: p.network ?? '',
      scope: () => this.scopeAt(p, at),
      reportDate: publishedOn,
      asOf: at,
      basis: { kind: 'recorded', at, store: true },
    };
  }

  /**
   * The scope as it was at `asOf`: a learning-network lead's network had the services that were in it
   * then, read from the audit trail of reference data (reference_changes: the service's last change by
   * that instant, else the state before its first change after it; a service never changed has been
   * in its network all along, one created after the instant did not exist).
   */
  private async scopeAt(p: Scoped, asOf: Date | undefined): Promise<Scope> {
    const scope = this.scope(p);
    if (scope.kind !== 'network' || !asOf || !p.network) return scope;
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT s.id::text AS id
         FROM services s
         LEFT JOIN LATERAL (
           SELECT true AS found, c.after->>'networkId' AS network FROM reference_changes c
            WHERE c.entity_id = s.id AND c.action IN ('service.created', 'service.updated') AND c.at <= $2
            ORDER BY c.at DESC, c.id DESC LIMIT 1) AS last ON true
         LEFT JOIN LATERAL (
           SELECT c.action, c.before->>'networkId' AS network FROM reference_changes c
            WHERE c.entity_id = s.id AND c.action IN ('service.created', 'service.updated') AND c.at > $2
            ORDER BY c.at, c.id LIMIT 1) AS next ON true
        WHERE CASE WHEN last.found THEN last.network
                   WHEN next.action = 'service.created' THEN NULL
                   WHEN next.action = 'service.updated' THEN next.network
                   ELSE s.network_id::text END = $1`,
      [p.network, asOf.toISOString()],
    );
    return { kind: 'network', services: rows.map((r) => r.id) };
  }
}
