import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { suppress } from '../../../libs/adherence/index.js';
import { projectionLag } from '../../../libs/projections/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { EMPTY_CELL_ROW, toCell } from '../adherence/adherence-report.js';
import type { StatutoryComplianceCellDto } from '../adherence/adherence.dto.js';
import { present } from '../adherence/report-cells.js';
import { reportSql, type CellRow } from '../adherence/report-query.js';
import { ReportReader } from '../adherence/report-reader.js';
import { asOfInstant, reportDateOf } from '../adherence/report-window.js';
import { StatutoryComplianceReport } from '../adherence/statutory-compliance-report.js';
import { AccessLogService } from '../auth/access-log.service.js';
import { ProblemException } from '../common/problem.js';
import type { CouncilReportDto, CouncilYearDto } from './council-report.dto.js';
import { KOMPETANSEBASE_FIGURES, type KompetansebaseFigures } from './kompetansebase-figures.js';

/** A municipality, its service (the one it belongs to now) and the service's learning network. */
interface Place {
  readonly municipality: { id: string; name: string; number: string };
  readonly service: { id: string; name: string };
  readonly networkId: string | null;
}

interface SignOffRow {
  signed_by: string;
  signed_by_name: string | null;
  signed_at: Date;
  as_of: Date;
  model: CouncilReportDto;
}

/** Who asks, for the access log. */
export interface Caller {
  readonly principal: Scoped;
  readonly action: string;
  readonly requestId?: string;
}

const thisYear = () => Number(reportDateOf(undefined).slice(0, 4));

/**
 * The yearly report to a municipal council (tilstandsrapport): for one municipality and year, the
 * statutory follow-up and supervision visits (the statutory compliance report's figures), adherence to
 * the package by track (the adherence report's), the same for the year before (the trend), and the use
 * of the kompetansebase; only the placements of that municipality in its service, as aggregates, cells
 * of fewer than 5 placements hidden (libs/adherence/suppression.ts). The service's leader sees the draft
 * (counted as of the moment asked) and signs it off; the signed report is frozen (stored with its
 * figures) and released to the service's leaders and its learning network's lead. Every access is
 * logged; a refusal too.
 */
@Injectable()
export class CouncilReports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: ReportReader,
    private readonly compliance: StatutoryComplianceReport,
    private readonly accessLog: AccessLogService,
    @Inject(KOMPETANSEBASE_FIGURES) private readonly kompetansebase: KompetansebaseFigures,
  ) {}

  /** The released report, or for the service's leader the draft as of now. */
  async report(caller: Caller, municipalityId: string, year: number): Promise<CouncilReportDto> {
    const place = await this.place(municipalityId, year);
    const leader = await this.authorise(caller, place);
    const signed = await this.signedOff(municipalityId, year);
    if (signed) {
      await this.log(caller);
      return signed;
    }
    if (!leader) {
      await this.log(caller);
      throw new ProblemException(404, 'Rapporten er ikke godkjent ennå.');
    }
    const report = await this.compute(caller.principal, place, year, await this.settledInstant());
    await this.log(caller);
    return report;
  }

  /**
   * The instant a draft is counted as of: now, or while the projector is behind, just before the oldest
   * event it has not folded yet. Facts are versioned by when their event was recorded, so a report as of
   * an instant the projector has passed never changes: the sign-off, which counts again as of the draft's
   * instant, gets exactly the figures the leader reviewed.
   */
  private async settledInstant(): Promise<Date> {
    const lag = await projectionLag(this.dataSource);
    const now = Date.now();
    return new Date(lag.pendingEvents > 0 ? now - lag.oldestPendingAgeMs - 1 : now);
  }

  /**
   * The leader signs off the draft counted as of `asOf` (the draft reviewed): its figures as recorded then
   * are stored with who signed and when, and released. A year is signed off once; the same leader sending
   * the same sign-off again gets the stored report (`created: false`).
   */
  async signOff(
    caller: Caller,
    body: { municipality: string; year: number; asOf: string },
  ): Promise<{ report: CouncilReportDto; created: boolean }> {
    const place = await this.place(body.municipality, body.year);
    const leader = await this.authorise(caller, place);
    if (!leader) {
      await this.log(caller, 'forbidden');
      throw new ProblemException(403, 'Bare lederen i tjenesten kan godkjenne rapporten.');
    }
    if (body.year >= thisYear())
      throw new ProblemException(400, 'Rapporten kan godkjennes når året er omme.', [
        { field: 'year', reason: 'året er ikke omme ennå' },
      ]);
    const asOf = asOfInstant(body.asOf);
    if (!asOf) throw new Error('asOf is required');
    const p = caller.principal;
    const draft = await this.compute(p, place, body.year, asOf);
    const signedAt = new Date();
    const report: CouncilReportDto = {
      ...draft,
      status: 'godkjent',
      signedOff: { by: p.userId, ...(p.name ? { name: p.name } : {}), at: signedAt.toISOString() },
    };
    return this.dataSource.transaction(async (m) => {
      // The row is append-only: it is written once, with its figures, or not at all.
      const inserted = await m.query<unknown[]>(
        `INSERT INTO council_report_signoffs
                (municipality_id, year, service_id, signed_by, signed_by_name, signed_at, as_of, model)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         ON CONFLICT (municipality_id, year) DO NOTHING RETURNING 1`,
        [
          place.municipality.id,
          body.year,
          place.service.id,
          p.userId,
          p.name ?? null,
          signedAt.toISOString(),
          asOf.toISOString(),
          JSON.stringify(report),
        ],
      );
      if (inserted.length === 0) {
        const existing = await this.signedOffRow(body.municipality, body.year);
        if (existing?.signed_by !== p.userId || existing.as_of.getTime() !== asOf.getTime())
          throw new ProblemException(409, 'Rapporten for dette året er allerede godkjent.', [
            { field: 'year', reason: 'allerede godkjent' },
          ]);
        await this.accessLog.record([this.entry(caller, 'allowed')], m);
        return { report: this.released(existing), created: false };
      }
      await this.accessLog.record([this.entry(caller, 'allowed')], m);
      return { report, created: true };
    });
  }

  private entry(caller: Caller, outcome: 'allowed' | 'forbidden') {
    return { principal: caller.principal, action: caller.action, outcome, requestId: caller.requestId };
  }

  private log(caller: Caller, outcome: 'allowed' | 'forbidden' = 'allowed'): Promise<void> {
    return this.accessLog.record([this.entry(caller, outcome)]);
  }

  /** The municipality, its service and network; 400 naming the field for an unknown one or a bad year. */
  private async place(municipalityId: string, year: number): Promise<Place> {
    if (year > thisYear())
      throw new ProblemException(400, 'Året kan ikke være fram i tid.', [
        { field: 'year', reason: 'kan ikke være fram i tid' },
      ]);
    const [row] = await this.dataSource.query<
      {
        id: string;
        name: string;
        number: string;
        service_id: string | null;
        service_name: string | null;
        network_id: string | null;
      }[]
    >(
      `SELECT m.id::text, m.name, m.number, s.id::text AS service_id, s.name AS service_name,
              s.network_id::text AS network_id
         FROM municipalities m
         LEFT JOIN service_municipalities sm ON sm.municipality_id = m.id
         LEFT JOIN services s ON s.id = sm.service_id
        WHERE m.id = $1`,
      [municipalityId],
    );
    if (!row?.service_id || !row.service_name)
      throw new ProblemException(400, 'Kommunen finnes ikke.', [
        { field: 'municipality', reason: row ? 'hører ikke til noen barneverntjeneste' : 'finnes ikke' },
      ]);
    return {
      municipality: { id: row.id, name: row.name, number: row.number },
      service: { id: row.service_id, name: row.service_name },
      networkId: row.network_id,
    };
  }

  /**
   * True for a leader of the municipality's service (draft and sign-off), false for the lead of its
   * learning network (the released report only); anyone else is refused (403, logged).
   */
  private async authorise(caller: Caller, place: Place): Promise<boolean> {
    const p = caller.principal;
    if (p.roles.includes('leder') && p.organisation === place.service.id) return true;
    if (
      p.roles.includes('laeringsnettverksleder') &&
      place.networkId !== null &&
      p.network === place.networkId
    )
      return false;
    await this.log(caller, 'forbidden');
    throw new ProblemException(403, 'Kommunen hører ikke til tjenesten din.', [
      { field: 'municipality', reason: 'hører ikke til tjenesten din' },
    ]);
  }

  private async signedOffRow(municipalityId: string, year: number): Promise<SignOffRow | undefined> {
    const [row] = await this.dataSource.query<SignOffRow[]>(
      `SELECT signed_by, signed_by_name, signed_at, as_of, model FROM council_report_signoffs
        WHERE municipality_id = $1 AND year = $2`,
      [municipalityId, year],
    );
    return row;
  }

  private released(row: SignOffRow): CouncilReportDto {
    return row.model;
  }

  private async signedOff(municipalityId: string, year: number): Promise<CouncilReportDto | undefined> {
    const row = await this.signedOffRow(municipalityId, year);
    return row ? this.released(row) : undefined;
  }

  /** The report's figures as recorded at `asOf`, counted up to that instant's date in Oslo. */
  private async compute(p: Scoped, place: Place, year: number, asOf: Date): Promise<CouncilReportDto> {
    const at = new Date(asOf.getTime());
    const reportDate = reportDateOf(at);
    const [current, previous, kompetansebase] = await Promise.all([
      this.yearOf(p, place, year, at, reportDate),
      this.yearOf(p, place, year - 1, at, reportDate),
      this.kompetansebase.forMunicipality(place.municipality.id, year, at),
    ]);
    return {
      status: 'utkast',
      municipality: place.municipality,
      service: place.service,
      year,
      asOf: at.toISOString(),
      reportDate,
      suppression: true,
      current,
      previous,
      kompetansebase: kompetansebase ? [...kompetansebase] : null,
    };
  }

  /**
   * One year's figures for the municipality: the adherence report's cells by track (its query, narrowed
   * to the municipality) and the statutory compliance report's cell of the municipality, small cells
   * hidden as they are from a learning-network lead.
   */
  private async yearOf(
    p: Scoped,
    place: Place,
    year: number,
    asOf: Date,
    reportDate: string,
  ): Promise<CouncilYearDto> {
    const sql = reportSql({
      services: [place.service.id],
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      by: 'track',
      reportDate,
      asOf: asOf.toISOString(),
      municipality: place.municipality.id,
    });
    const [rows, labels, compliance] = await Promise.all([
      this.reader.aggregate<CellRow>(sql.text, sql.params),
      this.reader.labels('track'),
      this.compliance.statutoryCompliance(p, { year, by: 'municipality', asOf: asOf.toISOString() }),
    ]);
    const shown = present(rows, EMPTY_CELL_ROW, toCell, labels, {});
    const cell: StatutoryComplianceCellDto = {
      key: 'total',
      label: 'Totalt',
      suppressed: false,
      placements: 0,
      followUpCompliant: 0,
      followUpRate: null,
      supervisionCompliant: 0,
      supervisionRate: null,
      ...compliance.rows.find((r) => r.key === place.municipality.id),
    };
    const statutory = suppress({ ...cell, key: 'total', placements: cell.placements ?? 0 }, []).total
      ? { ...cell, key: 'total', label: 'Totalt' }
      : { key: 'total', label: 'Totalt', suppressed: true };
    return {
      year,
      statutory,
      adherence: shown.total,
      tracks: shown.cells,
    };
  }
}
