import { nbCsv } from '../adherence/report-csv.js';
import type { CouncilReportDto } from './council-report.dto.js';
import { councilLines, SECTION_TITLE } from './council-report-lines.js';

/** The CSV's columns (bokmål headers in report-csv.ts's CSV_HEADERS). */
export const COUNCIL_CSV_COLUMNS = [
  'municipalityNumber',
  'year',
  'section',
  'label',
  'measure',
  'current',
  'previous',
  'change',
  'suppressed',
  'suppressedPrevious',
] as const;

/**
 * The council report as CSV for nb-NO spreadsheets (report-csv.ts's conventions: semicolons, decimal
 * commas, ja/nei, BOM, CRLF): one line per figure, the same lines as the PDF's tables.
 */
export function councilReportCsv(report: CouncilReportDto): string {
  const lines = councilLines(report).map((l) => ({
    municipalityNumber: report.municipality.number,
    year: report.year,
    section: SECTION_TITLE[l.section],
    label: l.group,
    measure: l.measure,
    current: l.current,
    previous: l.previous,
    change: l.change,
    suppressed: l.hiddenCurrent,
    suppressedPrevious: l.hiddenPrevious,
  }));
  return nbCsv(lines, COUNCIL_CSV_COLUMNS);
}

/** tilstandsrapport-5032-2025-utkast.csv / -godkjent.pdf */
export const councilFileName = (report: CouncilReportDto, ext: 'csv' | 'pdf') =>
  `tilstandsrapport-${report.municipality.number}-${report.year}-${report.status}.${ext}`;
