import 'reflect-metadata';
import {
  AdherenceCellDto,
  FollowupCellDto,
  MilestoneCellDto,
  StatutoryComplianceCellDto,
  StatutoryRiskDto,
} from './adherence.dto.js';
import { CSV_HEADERS, nbCsv, periodFileName, REPORT_COLUMNS, reportCsv, riskCsv } from './report-csv.js';

/** The properties a DTO declares to OpenAPI: every field its JSON (and so its CSV) can have. */
const fieldsOf = (dto: { prototype: object }): string[] =>
  (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) as string[]).map((p) => p.slice(1));

describe('CSV for Norwegian spreadsheets', () => {
  it.each([
    AdherenceCellDto,
    MilestoneCellDto,
    StatutoryComplianceCellDto,
    FollowupCellDto,
    StatutoryRiskDto,
  ])('has a bokmål header for every field of %p', (dto) => {
    const fields = fieldsOf(dto);
    expect(fields.length).toBeGreaterThan(3);
    expect(fields.filter((f) => CSV_HEADERS[f] === undefined)).toEqual([]);
  });

  it.each([
    [AdherenceCellDto, REPORT_COLUMNS.adherence],
    [MilestoneCellDto, REPORT_COLUMNS.milestones],
    [StatutoryComplianceCellDto, REPORT_COLUMNS.statutoryCompliance],
    [FollowupCellDto, REPORT_COLUMNS.followup],
  ])('has the columns of %p, in its order', (dto, columns) => {
    expect(columns).toEqual(fieldsOf(dto));
  });

  it('keeps the columns of a report whose every cell is hidden', () => {
    const hidden = { key: 'total', label: 'Totalt', suppressed: true };
    const [header, total] = reportCsv({ rows: [], total: hidden }, REPORT_COLUMNS.statutoryCompliance).split(
      '\r\n',
    );
    expect(header.split(';')).toHaveLength(8);
    expect(total).toBe('total;Totalt;ja;;;;;');
  });

  it('writes a BOM, semicolons, CRLF, decimal commas, ja/nei and empty fields for no figure', () => {
    const text = nbCsv(
      [
        { key: 'a', label: 'Nordby; øst', suppressed: false, placements: 12, onTimeRate: 0.833 },
        { key: 'b', label: 'Sørby', suppressed: true, placements: null },
      ],
      ['key', 'label', 'suppressed', 'placements', 'onTimeRate'],
    );
    expect(text).toBe(
      '\uFEFFNøkkel;Gruppe;Skjult (små tall);Plasseringer;Andel i tide\r\n' +
        'a;"Nordby; øst";nei;12;0,833\r\n' +
        'b;Sørby;ja;;\r\n',
    );
  });

  it('refuses a column without a bokmål header', () => {
    expect(() => nbCsv([{ surprise: 1 }], ['surprise'])).toThrow(/surprise/);
  });

  it('labels the risk list’s codes', () => {
    const [, line] = riskCsv([
      {
        placementId: 'p',
        year: 2026,
        kind: 'tilsynsbesok',
        required: 4,
        completed: 1,
        waived: 1,
        remaining: 3,
        plannedAhead: 0,
        overdue: 1,
        saveBy: '2026-12-01',
        level: 'kritisk',
      },
    ]).split('\r\n');
    expect(line).toBe('p;2026;Tilsynsbesøk;4;1;1;3;0;1;2026-12-01;Kritisk');
  });

  it('names a file by what, breakdown, period and report date', () => {
    expect(
      periodFileName('etterlevelse', {
        by: 'step',
        from: '2026-01-01',
        to: '2026-03-31',
        reportDate: '2026-05-01',
      }),
    ).toBe('etterlevelse-etter-steg-2026-01-01-til-2026-03-31-per-2026-05-01.csv');
  });
});
