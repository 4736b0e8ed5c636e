import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Kinds of period published to learning networks, each with its own lag (ReportWindows). */
export type PublicationKind = 'report' | 'cohort' | 'statutory';

/**
 * When each period was published to a region's learning networks (table adherence_publications,
 * migrations 1764460000000 and 1765440000000). A period is published for a region the first time one of
 * the region's learning-network leads asks for it on or after its publication date (one region's lead
 * never freezes another region's figures); from then on a lead's report of it is the facts as recorded at that instant.
 *
 * Why a fixed instant rather than the facts of the day: a published period's figures would otherwise
 * still move now and then (a late completion, a waiver), and two days' reports would differ by exactly
 * the task that moved, in a named service and step: the subtraction the suppression of small cells is
 * there to prevent. It also gives the network the same figures on the day of its meeting as on the day
 * its lead prepared them. Leaders keep their live figures.
 */
@Injectable()
export class Publications {
  constructor(private readonly dataSource: DataSource) {}

  /** The instant `period` of `kind` was published in `region`; undefined if it never was. */
  async published(region: string, kind: PublicationKind, period: string): Promise<Date | undefined> {
    const [row] = await this.dataSource.query<{ at: Date }[]>(
      `SELECT published_at AS at FROM adherence_publications WHERE region_id = $1 AND kind = $2 AND period = $3`,
      [region, kind, period],
    );
    return row?.at;
  }

  /** The instant `period` of `kind` was published in `region`, publishing it now if it never was. */
  async instant(region: string, kind: PublicationKind, period: string): Promise<Date> {
    const existing = await this.published(region, kind, period);
    if (existing) return existing;
    // Milliseconds, as a JS Date holds it: the instant the reports are computed as of is the one stored.
    const [inserted] = await this.dataSource.query<{ at: Date }[]>(
      `INSERT INTO adherence_publications (region_id, kind, period, published_at)
       VALUES ($1, $2, $3, date_trunc('milliseconds', clock_timestamp()))
       ON CONFLICT (region_id, kind, period) DO NOTHING RETURNING published_at AS at`,
      [region, kind, period],
    );
    // Another request published it at the same moment: its instant stands.
    const at = inserted?.at ?? (await this.published(region, kind, period));
    if (!at) throw new Error(`publication ${kind} ${period} vanished`);
    return at;
  }
}
