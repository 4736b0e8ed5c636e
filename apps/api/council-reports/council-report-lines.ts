import type { CouncilReportDto, CouncilYearDto } from './council-report.dto.js';

/*
 * The council report as lines of figures, one per group and measure, with the year and the year before:
 * what the PDF's tables (./council-report-pdf.ts) and the CSV (./council-report-csv.ts) both print, so the
 * two cannot disagree.
 */

export type CouncilSection = 'lovpalagte-besok' | 'pakken' | 'kompetansebase';

export const SECTION_TITLE: Readonly<Record<CouncilSection, string>> = {
  'lovpalagte-besok': 'Lovpålagte oppfølgings- og tilsynsbesøk',
  pakken: 'Etterlevelse av Omsorgspakken etter spor',
  kompetansebase: 'Bruk av kompetansebasen',
};

export interface CouncilLine {
  readonly section: CouncilSection;
  /** «Totalt» or a track. */
  readonly group: string;
  /** Bokmål name of the figure. */
  readonly measure: string;
  /** A share (0–1) rather than a count. */
  readonly rate: boolean;
  /** The report year's figure; null when hidden or when there is nothing to share. */
  readonly current: number | null;
  readonly previous: number | null;
  /** Current minus previous (percentage points as a share for rates); null unless both are there. */
  readonly change: number | null;
  /** Hidden to protect small groups (fewer than 5 placements). */
  readonly hiddenCurrent: boolean;
  readonly hiddenPrevious: boolean;
}

interface AnyCell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
}

const STATUTORY_MEASURES = [
  ['placements', 'Plasseringer', false],
  ['followUpCompliant', 'Nok oppfølgingsbesøk', false],
  ['followUpRate', 'Andel nok oppfølgingsbesøk', true],
  ['supervisionCompliant', 'Nok tilsynsbesøk', false],
  ['supervisionRate', 'Andel nok tilsynsbesøk', true],
] as const;

const PACKAGE_MEASURES = [
  ['placements', 'Plasseringer', false],
  ['due', 'Oppgaver forfalt', false],
  ['completed', 'Utført', false],
  ['onTime', 'Utført i tide', false],
  ['onTimeRate', 'Andel i tide', true],
  ['completionRate', 'Andel utført', true],
  ['waived', 'Frafalt', false],
  ['overdue', 'Forsinket', false],
] as const;

const figure = (cell: AnyCell | undefined, name: string): number | null => {
  if (!cell || cell.suppressed) return null;
  const value = (cell as unknown as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : null;
};

const difference = (current: number | null, previous: number | null, rate: boolean): number | null => {
  if (current === null || previous === null) return null;
  const d = current - previous;
  return rate ? Math.round(d * 1000) / 1000 : d;
};

function linesOf(
  section: CouncilSection,
  group: string,
  current: AnyCell | undefined,
  previous: AnyCell | undefined,
  measures: readonly (readonly [string, string, boolean])[],
): CouncilLine[] {
  return measures.map(([name, measure, rate]) => {
    const c = figure(current, name);
    const p = figure(previous, name);
    return {
      section,
      group,
      measure,
      rate,
      current: c,
      previous: p,
      change: difference(c, p, rate),
      hiddenCurrent: current?.suppressed ?? false,
      hiddenPrevious: previous?.suppressed ?? false,
    };
  });
}

/** Every track of either year, in the order of the year's cells (sorted by key), then the year before's. */
function tracksOf(current: CouncilYearDto, previous: CouncilYearDto): { key: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const c of [...current.tracks, ...previous.tracks]) if (!seen.has(c.key)) seen.set(c.key, c.label);
  return [...seen].map(([key, label]) => ({ key, label }));
}

/** The report's figures as lines, section by section. */
export function councilLines(report: CouncilReportDto): CouncilLine[] {
  const { current, previous } = report;
  const lines: CouncilLine[] = [
    ...linesOf('lovpalagte-besok', 'Totalt', current.statutory, previous.statutory, STATUTORY_MEASURES),
    ...linesOf('pakken', 'Totalt', current.adherence, previous.adherence, PACKAGE_MEASURES),
  ];
  for (const track of tracksOf(current, previous)) {
    const cell = (y: CouncilYearDto) => y.tracks.find((t) => t.key === track.key);
    lines.push(...linesOf('pakken', track.label, cell(current), cell(previous), PACKAGE_MEASURES));
  }
  for (const m of report.kompetansebase ?? []) {
    lines.push({
      section: 'kompetansebase',
      group: 'Totalt',
      measure: m.label,
      rate: false,
      current: m.current,
      previous: m.previous,
      change: difference(m.current, m.previous, false),
      hiddenCurrent: m.current === null,
      hiddenPrevious: m.previous === null,
    });
  }
  return lines;
}

/** A figure as the PDF prints it: a count, or a share as a percentage with a decimal comma. */
export function printed(value: number | null, rate: boolean, hidden: boolean): string {
  if (hidden) return 'skjult';
  if (value === null) return '–';
  if (!rate) return String(value);
  return `${(Math.round(value * 1000) / 10).toFixed(1).replace('.', ',')} %`;
}

/** A change as the PDF prints it: signed, percentage points for a share. */
export function printedChange(value: number | null, rate: boolean): string {
  if (value === null) return '–';
  // A hyphen-minus: the true minus sign (U+2212) is not in the PDF font's WinAnsi encoding.
  const sign = value > 0 ? '+' : value < 0 ? '-' : '±';
  const abs = Math.abs(value);
  return rate ? `${sign}${(Math.round(abs * 1000) / 10).toFixed(1).replace('.', ',')} p.p.` : `${sign}${abs}`;
}
