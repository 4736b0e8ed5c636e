import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { suppress, suppressNested } from '../../../libs/adherence/index.js';
import { addDays } from '../../../libs/domain/calendar/dates.js';
import { osloWallClock } from '../../../libs/domain/calendar/oslo-time.js';
import { ServiceCalendars } from '../../../libs/calendars/index.js';
import { DEFAULT_CATALOG } from '../../../libs/domain/catalog/default-catalog.js';
import { PLACEMENT_TYPE_LABEL, TRACK_LABEL } from '../../../libs/domain/labels.js';
import { statutoryRisk } from '../../../libs/domain/statutory/risk.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import type {
  AdherenceCellDto,
  AdherenceQueryDto,
  AdherenceReportDto,
  Breakdown,
  FollowupCellDto,
  FollowupReportDto,
  MilestoneCellDto,
  MilestoneReportDto,
  StatutoryComplianceDto,
  StatutoryComplianceQueryDto,
  StatutoryRiskDto,
  StatutoryRiskQueryDto,
} from './adherence.dto.js';
import { DEADLINES, FOLLOWUP_BREAKDOWNS, followupSql, type FollowupRow } from './followup-query.js';
import { Publications, type PublicationKind } from './publications.js';
import { ReportCache, type ReportBasis } from './report-cache.js';
import { DIMENSION, reportSql, validAt, validFacts, type CellRow } from './report-query.js';

/** The domain's word for a code (libs/domain/labels.ts), else the code. */
const wordFor =
  (labels: Readonly<Record<string, string>>) =>
  (key: string): string =>
    labels[key] ?? key;
const STEP_LABELS = new Map(DEFAULT_CATALOG.steps.map((s) => [s.id, s.title]));

interface MilestoneRow {
  placements: number;
  reached90: number;
  complete90: number;
  reached182: number;
  complete182: number;
  reached365: number;
  complete365: number;
  contact_median: number | null;
  visit_median: number | null;
  visits: number;
  visits_within7: number;
}

const EMPTY_MILESTONES: MilestoneRow & { key: null } = {
  key: null,
  placements: 0,
  reached90: 0,
  complete90: 0,
  reached182: 0,
  complete182: 0,
  reached365: 0,
  complete365: 0,
  contact_median: null,
  visit_median: null,
  visits: 0,
  visits_within7: 0,
};

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

interface Cell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly placements?: number;
}
type Hidden = Pick<Cell, 'key' | 'label'> & { readonly suppressed: true };

/**
 * How a learning-network lead's cells are suppressed: on their own (libs/adherence/suppression.ts
 * `suppress`), or nested in a parent breakdown of the same period (`suppressNested`: municipalities in
 * services, steps in tracks), so that the parent's report minus this one reveals no small group.
 */
interface Protection {
  readonly nesting?: { parentOf: (key: string) => string | undefined; parentHidden: ReadonlySet<string> };
}

/** The hidden keys of a grouped query's rows for a lead, suppressed on their own. */
function hiddenKeys(rows: readonly { key: string | null; placements: number }[]): ReadonlySet<string> {
  const total = { key: 'total', placements: rows.find((r) => r.key === null)?.placements ?? 0 };
  const cells = rows.flatMap((r) => (r.key === null ? [] : [{ key: r.key, placements: r.placements }]));
  return suppress(total, cells).hidden;
}

/** The envelope of a report over a period: what was asked, for whom, as of when, and its cells. */
function periodReport<C>(r: {
  scope: { kind: 'network' | 'service' };
  q: { from: string; to: string };
  reportDate: string;
  asOf: Date | undefined;
  by: Breakdown;
  shown: { total: C; cells: C[] };
}) {
  return {
    scope: r.scope.kind,
    from: r.q.from,
    to: r.q.to,
    reportDate: r.reportDate,
    ...(r.asOf ? { asOf: r.asOf.toISOString() } : {}),
    by: r.by,
    suppression: r.scope.kind === 'network',
    total: r.shown.total,
    rows: r.by === 'total' ? [] : r.shown.cells,
  };
}

/**
 * A grouped query's rows (the total's key is NULL) as cells labelled and sorted by key. For a
 * learning-network lead (`protection` given), small cells and their partner are hidden.
 */
function present<R extends { key: string | null }, C extends Cell>(
  rows: readonly R[],
  empty: R,
  cell: (row: R, key: string, label: string) => C,
  labels: (key: string) => string,
  protection: Protection | undefined,
): { total: C | Hidden; cells: (C | Hidden)[] } {
  const total = cell(rows.find((r) => r.key === null) ?? empty, 'total', 'Totalt');
  const cells = rows
    .filter((r): r is R & { key: string } => r.key !== null)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((r) => cell(r, r.key, labels(r.key)));
  if (!protection) return { total, cells };
  const hidden = (c: C): Hidden => ({ key: c.key, label: c.label, suppressed: true });
  const counted = (c: C) => ({ ...c, placements: c.placements ?? 0 });
  const nesting = protection.nesting;
  const result = nesting
    ? suppressNested(counted(total), cells.map(counted), nesting.parentOf, nesting.parentHidden)
    : suppress(counted(total), cells.map(counted));
  return {
    total: result.total ? total : hidden(total),
    cells: cells.map((c) => (result.hidden.has(c.key) ? hidden(c) : c)),
  };
}

/** The breakdowns a lead's cells nest in: what the parent's report minus this one must not reveal. */
const PARENT_BREAKDOWN: Partial<Record<Breakdown, Breakdown>> = { municipality: 'service', step: 'track' };
const STEP_TRACK = new Map(DEFAULT_CATALOG.steps.map((s) => [s.id, s.track]));

/**
 * Days after the end of a lead's quarter (or year, for statutory compliance) before it is published:
 * until then its figures still move every day (tasks falling due, overdue tasks changing age bucket,
 * placements reaching day 90, 182 or 365, December's visits recorded in January), and two days' reports
 * would differ by the handful of placements that moved.
 */
const PUBLICATION_LAG = { report: 30, cohort: 365, statutory: 31 } as const;

/** Sort memory of one report query (see AdherenceService.aggregate). */
const REPORT_WORK_MEM = '64MB';

function toCell(row: CellRow, key: string, label: string): AdherenceCellDto {
  const applicable = row.due - row.waived;
  return {
    key,
    label,
    suppressed: false,
    placements: row.placements,
    due: row.due,
    waived: row.waived,
    completed: row.completed,
    onTime: row.on_time,
    onTimeRate: rate(row.on_time, applicable),
    completionRate: rate(row.completed, applicable),
    overdue: row.overdue,
    overdue1to7: row.overdue_1_7,
    overdue8to30: row.overdue_8_30,
    overdueOver30: row.overdue_over_30,
    latenessMedianDays: row.lateness_median,
    latenessP90Days: row.lateness_p90,
    waiverRate: rate(row.waived, row.due),
  };
}

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
 * A learning-network lead's period: one whole calendar quarter (no period a lead can ask for contains
 * another, so no two can be subtracted), published `lag` days after it ended: its name (2026-Q3) and the
 * date of its publication.
 */
function publishedQuarter(
  from: string,
  to: string,
  reportDate: string,
  lag: number,
): { period: string; publishedOn: string } {
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
  const published = addDays(to, lag + 1);
  if (reportDate < published)
    throw new ProblemException(400, `Kvartalet publiseres for læringsnettverket ${published}.`, [
      { field: 'to', reason: `publiseres ${published}` },
    ]);
  return { period: `${from.slice(0, 4)}-Q${(Number(from.slice(5, 7)) + 2) / 3}`, publishedOn: published };
}

type Scope = { kind: 'network' | 'service'; services: string[] };

/** A report's window: whose facts, counted up to which date, as recorded when, and so cached how. */
interface Window {
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

const osloToday = () => osloWallClock(new Date().toISOString()).date;

/** The instant a report is asked as of (undefined: now); one in the future is refused. */
function asOfInstant(asOf: string | undefined): Date | undefined {
  const instant = asOf ? new Date(asOf) : undefined;
  if (instant && instant.getTime() > Date.now())
    throw new ProblemException(400, 'Rapporten kan ikke gjelde et tidspunkt fram i tid.', [
      { field: 'asOf', reason: 'kan ikke være fram i tid' },
    ]);
  return instant;
}

/** The date a report counts up to: the asked instant's date in Oslo, else today. */
const reportDateOf = (asOf: Date | undefined) =>
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

/** The breakdowns of the cohort reports that are not by month. */
const MILESTONE_BREAKDOWNS = ['total', 'network', 'service', 'municipality', 'placementType'] as const;

/** 400 naming `by` unless a report can be broken down that way (default: by service). */
function requireBreakdown(by: string | undefined, allowed: readonly string[], detail: string): void {
  if ((allowed as readonly (string | undefined)[]).includes(by ?? 'service')) return;
  const list = `${allowed.slice(0, -1).join(', ')} eller ${allowed[allowed.length - 1]}`;
  throw new ProblemException(400, detail, [{ field: 'by', reason: `må være ${list}` }]);
}

/**
 * Adherence reports over the adherence read model (libs/projections/adherence.ts). A learning-network
 * lead sees the services of the network, aggregated and with small cells suppressed; a leader sees the
 * own service. Reports as of a past instant use the facts as they were recorded by then.
 */
@Injectable()
export class AdherenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: ReportCache,
    private readonly publications: Publications,
    private readonly calendars: ServiceCalendars,
  ) {}

  /** Each report, from the cache while what it is computed from stands still (ReportCache). */
  async report(p: Scoped, q: AdherenceQueryDto): Promise<AdherenceReportDto> {
    // Tasks due in the period: only a change to those facts can change a leader's report.
    const w = await this.window(p, q, 'report', true);
    return this.cache.get(this.key('report', w, q), () => this.computeReport(w, q), w.basis);
  }

  async milestones(p: Scoped, q: AdherenceQueryDto): Promise<MilestoneReportDto> {
    requireBreakdown(
      q.by,
      MILESTONE_BREAKDOWNS,
      'Milepæler kan bare brytes ned på nettverk, tjeneste, kommune eller plasseringstype.',
    );
    const w = await this.window(p, q, 'cohort');
    return this.cache.get(this.key('milestones', w, q), () => this.computeMilestones(w, q), w.basis);
  }

  async followup(p: Scoped, q: AdherenceQueryDto): Promise<FollowupReportDto> {
    requireBreakdown(
      q.by,
      FOLLOWUP_BREAKDOWNS,
      'Oppfølgingen kan bare brytes ned på nettverk, tjeneste, kommune, plasseringstype eller måned.',
    );
    const w = await this.window(p, q, 'cohort');
    return this.cache.get(this.key('followup', w, q), () => this.computeFollowup(w, q), w.basis);
  }

  /** A report's key: which report, whose facts, the request (its instant as the window's), the day. */
  private key(report: string, w: Window, q: object): unknown[] {
    return [report, w.kind, w.owner, { ...q, asOf: undefined }, w.reportDate, w.asOf?.toISOString()];
  }

  /**
   * A leader's year, live or as of an instant; a learning-network lead's finished year as published
   * (`PUBLICATION_LAG.statutory` days after it ended: visits are often recorded some days late).
   */
  async statutoryCompliance(p: Scoped, q: StatutoryComplianceQueryDto): Promise<StatutoryComplianceDto> {
    const asked = asOfInstant(q.asOf);
    const askedDate = reportDateOf(asked);
    const scope = this.scope(p);
    let year: number;
    let w: Window;
    if (scope.kind === 'network') {
      const thisYear = Number(askedDate.slice(0, 4));
      const latest =
        askedDate >= addDays(`${thisYear - 1}-12-31`, PUBLICATION_LAG.statutory + 1)
          ? thisYear - 1
          : thisYear - 2;
      year = q.year ? Number(q.year) : latest;
      const publishedOn = addDays(`${year}-12-31`, PUBLICATION_LAG.statutory + 1);
      if (year > latest)
        throw new ProblemException(400, `Året publiseres for læringsnettverket ${publishedOn}.`, [
          { field: 'year', reason: `publiseres ${publishedOn}` },
        ]);
      w = await this.publication(p, 'statutory', String(year), publishedOn, asked);
    } else {
      year = q.year ? Number(q.year) : Number(askedDate.slice(0, 4));
      w = serviceWindow(p, scope, asked, { kind: 'projector' });
    }
    return this.cache.get(
      this.key('statutory-compliance', w, { ...q, year }),
      () => this.computeStatutoryCompliance(w, q, year),
      w.basis,
    );
  }

  /**
   * An aggregation over tens of thousands of facts: its sorts (the cells, distinct placements, the
   * percentiles) get the memory to run in RAM rather than spill to disk (PostgreSQL's default work_mem,
   * 4 MB, spilled a network lead's quarter: `npm run bench:adherence`), for this transaction only.
   */
  private aggregate<T>(text: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SET TRANSACTION READ ONLY`);
      await m.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      return m.query<T[]>(text, params);
    });
  }

  private scope(p: Scoped): Scope {
    if (p.roles.includes('laeringsnettverksleder')) {
      if (!p.network) throw new ProblemException(403, 'Du er ikke knyttet til et læringsnettverk.');
      return { kind: 'network', services: [...p.networkServices] };
    }
    return { kind: 'service', services: [p.organisation] };
  }

  /**
   * The scope, the report date and the instant of the facts. A learning-network lead's period is one
   * whole calendar quarter, published `lag` days after it ended, and the lead sees it as published: the
   * facts and the network's services as recorded at the publication's instant (Publications), counted up
   * to the publication date. A lead's `asOf` finds the publication as it stood then (none before it).
   */
  private async window(p: Scoped, q: AdherenceQueryDto, kind: PublicationKind, byDueDate = false) {
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
    const at = asked
      ? await this.publications.published(kind, period)
      : await this.publications.instant(kind, period);
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
   * The rows of breakdown `by`. A lead's report covers the services that were in the lead's network at
   * the publication's instant, so by network it is one cell, that network, equal to the total: grouping
   * by the services' network would use today's membership.
   */
  private static async grouped<R extends { key: string | null }>(
    w: Window,
    by: Breakdown,
    rowsBy: (b: Breakdown) => Promise<R[]>,
  ): Promise<R[]> {
    if (w.kind !== 'network' || by !== 'network') return rowsBy(by);
    const total = (await rowsBy('total')).filter((r) => r.key === null);
    return total.flatMap((t) => [t, { ...t, key: w.owner }]);
  }

  /** The parameters of a report's SQL ($1–$4, $5) and its filter of the facts valid then. */
  private static facts(w: Window, scope: Scope, q: { from: string; to: string }) {
    const params: unknown[] = [scope.services, q.from, q.to, w.reportDate];
    if (w.asOf) params.push(w.asOf.toISOString());
    return { params, valid: validFacts(w.asOf !== undefined) };
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

  /** For a lead: how the cells of `by` nest in its parent breakdown, from the parent's rows. */
  private async protection(
    scope: Scope,
    by: Breakdown,
    parentRows: (parent: Breakdown) => Promise<readonly { key: string | null; placements: number }[]>,
  ): Promise<Protection | undefined> {
    if (scope.kind !== 'network') return undefined;
    const parent = PARENT_BREAKDOWN[by];
    if (!parent) return {};
    const [rows, parentOf] = await Promise.all([parentRows(parent), this.parentOf(by, scope.services)]);
    return { nesting: { parentOf, parentHidden: hiddenKeys(rows) } };
  }

  /** A municipality's service (from the placements' facts), a step's track (the catalog). */
  private async parentOf(by: Breakdown, services: string[]): Promise<(key: string) => string | undefined> {
    if (by === 'step') return (key) => STEP_TRACK.get(key);
    const rows = await this.dataSource.query<{ child: string; parent: string }[]>(
      `SELECT DISTINCT municipality_id::text AS child, service_id::text AS parent
         FROM adherence_placements WHERE service_id = ANY($1::uuid[])`,
      [services],
    );
    const parents = new Map<string, string | undefined>();
    // A municipality under two services has no single parent: its cells are hidden.
    for (const r of rows) parents.set(r.child, parents.has(r.child) ? undefined : r.parent);
    return (key) => parents.get(key);
  }

  private async computeReport(w: Window, q: AdherenceQueryDto): Promise<AdherenceReportDto> {
    const by = q.by ?? 'service';
    const { reportDate, asOf } = w;
    const scope = await w.scope();
    const rowsBy = (b: Breakdown) => {
      const sql = reportSql({
        services: scope.services,
        from: q.from,
        to: q.to,
        by: b,
        reportDate,
        ...(asOf ? { asOf: asOf.toISOString() } : {}),
      });
      return this.aggregate<CellRow>(sql.text, sql.params);
    };
    const [rows, labels, protection] = await Promise.all([
      AdherenceService.grouped(w, by, rowsBy),
      this.labels(by),
      this.protection(scope, by, rowsBy),
    ]);
    const empty: CellRow = {
      key: null,
      placements: 0,
      due: 0,
      waived: 0,
      completed: 0,
      on_time: 0,
      overdue: 0,
      overdue_1_7: 0,
      overdue_8_30: 0,
      overdue_over_30: 0,
      lateness_median: null,
      lateness_p90: null,
    };
    const shown = present(rows, empty, toCell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }

  /**
   * Package milestones for placements that began in the period: how many reached day 90, 182 and 365 by
   * the report date with every task due by then done or waived (§7.11), and first-contact speed (§7.6):
   * median days from the placement to the first completed contact by the foster-home resource and to the
   * first home visit, and the share of first visits within 7 days.
   */
  private async computeMilestones(w: Window, q: AdherenceQueryDto): Promise<MilestoneReportDto> {
    const by = q.by ?? 'service';
    const { reportDate, asOf } = w;
    const scope = await w.scope();
    const { valid, params } = AdherenceService.facts(w, scope, q);
    const rowsBy = (b: Breakdown) => {
      const key = b === 'total' ? `'total'` : DIMENSION[b];
      return this.aggregate<MilestoneRow & { key: string | null }>(
        `WITH f AS (
         SELECT f.* , ${key} AS key FROM adherence_facts f LEFT JOIN services s ON s.id = f.service_id
          WHERE f.service_id = ANY($1::uuid[]) AND ${valid}
            AND f.placement_date BETWEEN $2::date AND $3::date AND f.status <> 'cancelled'),
       per AS (
         SELECT placement_id, min(key) AS key, min(placement_date) AS pd,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 90) AS done90,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 182) AS done182,
                bool_and(status IN ('completed', 'waived')) FILTER (WHERE due_on <= placement_date + 365) AS done365,
                min(completed_on - placement_date) FILTER (WHERE step_id = 'kontakt-dag1' AND status = 'completed') AS contact_days,
                min(completed_on - placement_date) FILTER (WHERE step_id = 'besok-uke1' AND status = 'completed') AS visit_days
           FROM f GROUP BY placement_id)
       SELECT CASE WHEN GROUPING(key) = 1 THEN NULL ELSE key END AS key,
              count(*)::int AS placements,
              count(*) FILTER (WHERE pd + 90 < $4::date)::int AS reached90,
              count(*) FILTER (WHERE pd + 90 < $4::date AND coalesce(done90, true))::int AS complete90,
              count(*) FILTER (WHERE pd + 182 < $4::date)::int AS reached182,
              count(*) FILTER (WHERE pd + 182 < $4::date AND coalesce(done182, true))::int AS complete182,
              count(*) FILTER (WHERE pd + 365 < $4::date)::int AS reached365,
              count(*) FILTER (WHERE pd + 365 < $4::date AND coalesce(done365, true))::int AS complete365,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY contact_days))::float8 AS contact_median,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY visit_days))::float8 AS visit_median,
              count(*) FILTER (WHERE visit_days IS NOT NULL)::int AS visits,
              count(*) FILTER (WHERE visit_days <= 7)::int AS visits_within7
         FROM per GROUP BY GROUPING SETS ((key), ())`,
        params,
      );
    };
    const [rows, labels, protection] = await Promise.all([
      AdherenceService.grouped(w, by, rowsBy),
      this.labels(by),
      this.protection(scope, by, rowsBy),
    ]);
    const cell = (r: MilestoneRow, k: string, label: string): MilestoneCellDto => ({
      key: k,
      label,
      suppressed: false,
      placements: r.placements,
      reached90: r.reached90,
      completeRate90: rate(r.complete90, r.reached90),
      reached182: r.reached182,
      completeRate182: rate(r.complete182, r.reached182),
      reached365: r.reached365,
      completeRate365: rate(r.complete365, r.reached365),
      firstContactMedianDays: r.contact_median,
      firstVisitMedianDays: r.visit_median,
      firstVisitWithin7Rate: rate(r.visits_within7, r.visits),
    });
    const shown = present(rows, EMPTY_MILESTONES, cell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }

  /**
   * The follow-up metrics of §7 for placements that began in the period (followup-query.ts): child-voice
   * coverage (7), plan timeliness (8), parent follow-up (9), guidance dose (10), supervisors appointed
   * and supervision reports assessed in time (5), and the context figures (13).
   */
  private async computeFollowup(w: Window, q: AdherenceQueryDto): Promise<FollowupReportDto> {
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
      return this.aggregate<FollowupRow>(sql.text, sql.params);
    };
    const [rows, labels, protection] = await Promise.all([
      AdherenceService.grouped(w, by, rowsBy),
      this.labels(by),
      this.protection(scope, by, rowsBy),
    ]);
    const shown = present(rows, { key: null, placements: 0 }, followupCell, labels, protection);
    return periodReport({ scope, q, reportDate, asOf, by, shown });
  }

  /**
   * Statutory visit compliance for a calendar year (§7.5): placements active in the year with at least the
   * required follow-up visits (oppfølgingsbesøk) and supervision visits (tilsynsbesøk), required pro rata
   * to the active days and reduced only by recorded decisions (the statutory ledger). For the running year
   * the visits so far are compared with the whole year's requirement. From the ledger's versions
   * (statutory_ledger_versions): the current ones, or those valid at the asked instant, with a lead's
   * network as it was then.
   */
  private async computeStatutoryCompliance(
    w: Window,
    q: StatutoryComplianceQueryDto,
    year: number,
  ): Promise<StatutoryComplianceDto> {
    const by = q.by ?? 'service';
    const { asOf } = w;
    const scope = await w.scope();
    const params: unknown[] = [scope.services, year];
    if (asOf) params.push(asOf.toISOString());
    const valid = validAt('l', asOf ? '$3' : undefined);
    const rowsBy = (b: Breakdown) => {
      const dimension = b === 'total' ? `'total'` : DIMENSION[b].replaceAll('f.', 'l.');
      return this.dataSource.query<
        { key: string | null; placements: number; follow_up: number; supervision: number }[]
      >(
        `WITH l AS (
           SELECT l.placement_id, l.service_id, l.municipality_id, s.network_id,
                  bool_and(l.completed >= l.required) FILTER (WHERE l.kind = 'oppfolgingsbesok') AS follow_up,
                  bool_and(l.completed >= l.required) FILTER (WHERE l.kind = 'tilsynsbesok') AS supervision
             FROM statutory_ledger_versions l LEFT JOIN services s ON s.id = l.service_id
            WHERE l.service_id = ANY($1::uuid[]) AND l.year = $2 AND ${valid} AND l.active_days > 0
            GROUP BY l.placement_id, l.service_id, l.municipality_id, s.network_id),
         k AS (SELECT ${dimension.replace('s.network_id', 'l.network_id')} AS key, l.* FROM l)
         SELECT CASE WHEN GROUPING(key) = 1 THEN NULL ELSE key END AS key,
                count(*)::int AS placements,
                count(*) FILTER (WHERE coalesce(follow_up, true))::int AS follow_up,
                count(*) FILTER (WHERE coalesce(supervision, true))::int AS supervision
           FROM k GROUP BY GROUPING SETS ((key), ())`,
        params,
      );
    };
    const [rows, protection] = await Promise.all([
      AdherenceService.grouped(w, by, rowsBy),
      this.protection(scope, by, rowsBy),
    ]);
    const labels = await this.labels(by);
    const cell = (
      r: { placements: number; follow_up: number; supervision: number },
      key: string,
      label: string,
    ) => ({
      key,
      label,
      suppressed: false,
      placements: r.placements,
      followUpCompliant: r.follow_up,
      followUpRate: rate(r.follow_up, r.placements),
      supervisionCompliant: r.supervision,
      supervisionRate: rate(r.supervision, r.placements),
    });
    const empty = { key: null, placements: 0, follow_up: 0, supervision: 0 };
    const shown = present(rows, empty, cell, labels, protection);
    return {
      scope: scope.kind,
      year,
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
      by,
      suppression: scope.kind === 'network',
      total: shown.total,
      rows: by === 'total' ? [] : shown.cells,
    };
  }

  /** A report as CSV: one line per cell, the total last; hidden cells have empty figures. */
  toCsv(report: { rows: readonly object[]; total: object }): string {
    const lines = [...report.rows, report.total];
    const columns = [...new Set(['key', 'label', 'suppressed', ...lines.flatMap((l) => Object.keys(l))])];
    return stringify(lines, { header: true, columns, cast: { boolean: (v) => (v ? 'ja' : 'nei') } });
  }

  /** The statutory risk list as CSV: one line per placement and kind of visit, a header when empty too. */
  riskCsv(risks: StatutoryRiskDto[]): string {
    const columns: (keyof StatutoryRiskDto)[] = [
      'placementId',
      'year',
      'kind',
      'required',
      'completed',
      'remaining',
      'plannedAhead',
      'overdue',
      'saveBy',
      'level',
    ];
    return stringify(risks, { header: true, columns });
  }

  private async labels(by: Breakdown): Promise<(key: string) => string> {
    const table =
      by === 'service'
        ? 'services'
        : by === 'municipality'
          ? 'municipalities'
          : by === 'network'
            ? 'learning_networks'
            : undefined;
    if (table) {
      const rows = await this.dataSource.query<{ id: string; name: string }[]>(
        `SELECT id::text, name FROM ${table}`,
      );
      const names = new Map(rows.map((r) => [r.id, r.name]));
      return (key) => names.get(key) ?? (key === 'uten-nettverk' ? 'Uten nettverk' : 'Ukjent');
    }
    if (by === 'track') return wordFor(TRACK_LABEL);
    if (by === 'placementType') return wordFor(PLACEMENT_TYPE_LABEL);
    if (by === 'step') return (key) => STEP_LABELS.get(key) ?? key;
    return (key) => (key === 'total' ? 'Totalt' : key);
  }

  /**
   * Statutory early warning for a leader's service: placements whose follow-up or supervision visits for
   * the year are not yet done, while the year can still be saved (and those where it no longer can).
   * From the versioned read models (statutory_ledger_versions, adherence_facts), the current versions or
   * those valid at the asked instant, in one query: the list as of an instant is the list this endpoint
   * gave at that instant, counted up to that instant's date in Oslo (the report date).
   *
   * A visit is overdue when it is planned or open and due before the report date (any year). This
   * replaces the inbox's 'overdue' status (task_inbox has no history), which the workflow's timer sets at
   * 00:00 Oslo the day after the due date: the two differ where that timer has not fired, i.e. while the
   * placement is paused (no timer moves then) or the worker is behind. Likewise a visit is planned ahead
   * when it is planned or open and due from the report date to the end of the year.
   */
  async statutoryRisk(p: Scoped, q: StatutoryRiskQueryDto): Promise<StatutoryRiskDto[]> {
    const asOf = asOfInstant(q.asOf);
    const reportDate = reportDateOf(asOf);
    const year = q.year ? Number(q.year) : Number(reportDate.slice(0, 4));
    const params: unknown[] = [p.organisation, year, reportDate];
    if (asOf) params.push(asOf.toISOString());
    const instant = asOf ? '$4' : undefined;
    const rows = await this.dataSource.query<
      {
        placement_id: string;
        kind: string;
        required: number;
        completed: number;
        planned_ahead: number;
        overdue: number;
        last_day: string;
      }[]
    >(
      `SELECT l.placement_id::text AS placement_id, l.kind, l.required, l.completed,
              (SELECT count(*)::int FROM adherence_facts f
                WHERE f.placement_id = l.placement_id AND f.statutory = l.kind AND ${validAt('f', instant)}
                  AND f.status IN ('planned', 'open') AND f.due_on >= $3::date
                  AND extract(year FROM f.due_on) = l.year) AS planned_ahead,
              (SELECT count(*)::int FROM adherence_facts f
                WHERE f.placement_id = l.placement_id AND f.statutory = l.kind AND ${validAt('f', instant)}
                  AND f.status IN ('planned', 'open') AND f.due_on < $3::date) AS overdue,
              least(make_date(l.year, 12, 31), coalesce(l.ended_on, make_date(l.year, 12, 31)))::text AS last_day
         FROM statutory_ledger_versions l
        WHERE l.service_id = $1 AND l.year = $2 AND ${validAt('l', instant)} AND l.completed < l.required
          AND l.status IN ('active', 'paused')
        ORDER BY l.placement_id, l.kind`,
      params,
    );
    const risks: StatutoryRiskDto[] = [];
    const calendar = await this.calendars.forService(p.organisation);
    for (const r of rows) {
      const { remaining, saveBy, level } = statutoryRisk(
        {
          required: r.required,
          completed: r.completed,
          plannedAhead: r.planned_ahead,
          overdue: r.overdue,
          lastDay: r.last_day,
        },
        reportDate,
        calendar,
      );
      if (!level) continue;
      risks.push({
        placementId: r.placement_id,
        year,
        kind: r.kind,
        required: r.required,
        completed: r.completed,
        remaining,
        plannedAhead: r.planned_ahead,
        overdue: r.overdue,
        saveBy,
        level,
      });
    }
    const order = { brutt: 0, kritisk: 1, risiko: 2 } as const;
    return risks.sort((a, b) => order[a.level] - order[b.level] || a.saveBy.localeCompare(b.saveBy));
  }
}
