import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { osloWallClock } from '../../../libs/domain/calendar/oslo-time.js';
import type { CouncilReportDto } from './council-report.dto.js';
import {
  councilLines,
  printed,
  printedChange,
  SECTION_TITLE,
  type CouncilLine,
} from './council-report-lines.js';

/*
 * The council report as a printable PDF in bokmål (pdfkit): headings, the figures as tables with the
 * year before and the change, page numbers, and «Utkast» across every page until it is signed off. The
 * text is real text in DejaVu Sans Condensed (npm dejavu-fonts-ttf, Bitstream Vera licence, which allows
 * embedding; pdfkit embeds the glyphs used), whose glyphs include the Sámi letters of Finnmark's names
 * (Kárášjohka-Karasjok, Unjárga-Nesseby; ŋ, č, đ, š, ŧ, ž) that PDF's standard Helvetica (WinAnsi)
 * cannot print, so the PDF can be searched, read aloud and read back (the integration test does).
 * Deterministic: the document's dates
 * are the report's own, so a released report downloaded twice is the same file.
 */

const dayOf = (iso: string) => iso.split('-').reverse().join('.');

/** An instant as Oslo reads it: 05.12.2026 kl. 10.14. */
export function osloTime(instant: string): string {
  const { date, hour, minute } = osloWallClock(instant);
  return `${dayOf(date)} kl. ${String(hour).padStart(2, '0')}.${String(minute).padStart(2, '0')}`;
}

const fontFile = (name: string) =>
  readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`));
/** Read once; pdfkit embeds only the glyphs a report uses. */
const FONTS = {
  regular: fontFile('DejaVuSansCondensed'),
  bold: fontFile('DejaVuSansCondensed-Bold'),
};
const REGULAR = 'Regular';
const BOLD = 'Bold';

const MARGIN = 50;
const COLUMNS = [
  { title: 'Gruppe', width: 130 },
  { title: 'Tall', width: 150 },
  { title: '', width: 70 }, // the year
  { title: '', width: 70 }, // the year before
  { title: 'Endring', width: 75 },
] as const;
const ROW = 16;

export function councilReportPdf(report: CouncilReportDto): Promise<Buffer> {
  const signed = report.status === 'godkjent' && report.signedOff;
  const stamp = new Date(signed ? report.signedOff!.at : report.asOf);
  const title = `Tilstandsrapport ${report.year}: ${report.municipality.name} kommune`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: 'nb-NO',
    displayTitle: true,
    info: {
      Title: title,
      Author: report.service.name,
      Subject: 'Tilstandsrapport om barneverntjenesten til kommunestyret',
      Creator: 'Omsorgspakken',
      Producer: 'Omsorgspakken',
      CreationDate: stamp,
      ModDate: stamp,
    },
  });
  doc.registerFont(REGULAR, FONTS.regular);
  doc.registerFont(BOLD, FONTS.bold);
  doc.font(REGULAR);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const bottom = () => doc.page.height - MARGIN - 30;
  const heading = (text: string, size: number) => {
    if (doc.y > bottom() - 60) doc.addPage();
    doc.moveDown(0.6).font(BOLD).fontSize(size).fillColor('black').text(text, MARGIN);
    doc.moveDown(0.3).font(REGULAR).fontSize(10);
  };
  const paragraph = (text: string) => doc.font(REGULAR).fontSize(10).text(text, MARGIN).moveDown(0.3);

  doc.font(BOLD).fontSize(20).text(`Tilstandsrapport ${report.year}`);
  doc
    .font(REGULAR)
    .fontSize(13)
    .text(`${report.municipality.name} kommune (kommunenummer ${report.municipality.number})`);
  doc.fontSize(11).text(`Barneverntjeneste: ${report.service.name}`);
  doc.text('Oppfølging av barn i fosterhjem (Omsorgspakken)').moveDown(0.5);
  doc
    .font(BOLD)
    .text(
      signed
        ? `Godkjent av ${report.signedOff!.name ?? report.signedOff!.by} (leder) ${osloTime(report.signedOff!.at)}`
        : 'Utkast: ikke godkjent av lederen i barneverntjenesten',
    );
  doc.font(REGULAR).moveDown(0.3);
  paragraph(
    `Rapporten viser hvordan barneverntjenesten fulgte opp barn fra ${report.municipality.name} kommune ` +
      `som bor i fosterhjem, i ${report.year} sammenlignet med ${report.year - 1}. Tallene er registreringene ` +
      `per ${osloTime(report.asOf)}; oppgaver teller når fristen er passert før ${dayOf(report.reportDate)}.`,
  );
  paragraph(
    'Rapporten inneholder bare samlede tall, ingen opplysninger om enkeltbarn. Grupper med færre enn 5 ' +
      'plasseringer vises ikke («skjult»), sammen med den minste gruppen som trengs for at de ikke kan regnes ut.',
  );

  const table = (lines: readonly CouncilLine[]) => {
    const header = COLUMNS.map((c, i) =>
      i === 2 ? String(report.year) : i === 3 ? String(report.year - 1) : c.title,
    );
    const row = (cells: readonly string[], bold: boolean) => {
      if (doc.y + ROW > bottom()) doc.addPage();
      const y = doc.y;
      let x = MARGIN;
      doc.font(bold ? BOLD : REGULAR).fontSize(9.5);
      cells.forEach((text, i) => {
        const { width } = COLUMNS[i];
        doc.text(text, x, y, { width: width - 6, lineBreak: false, align: i >= 2 ? 'right' : 'left' });
        x += width;
      });
      doc
        .moveTo(MARGIN, y + ROW - 3)
        .lineTo(x, y + ROW - 3)
        .lineWidth(0.3)
        .strokeColor('#999999')
        .stroke();
      doc.x = MARGIN;
      doc.y = y + ROW;
    };
    row(header, true);
    for (const l of lines)
      row(
        [
          l.group,
          l.measure,
          printed(l.current, l.rate, l.hiddenCurrent),
          printed(l.previous, l.rate, l.hiddenPrevious),
          printedChange(l.change, l.rate),
        ],
        false,
      );
    doc.moveDown(0.5);
  };

  const lines = councilLines(report);
  heading(`1. ${SECTION_TITLE['lovpalagte-besok']}`, 14);
  paragraph(
    'Plasseringer i kommunen som var aktive i året, og hvor mange av dem som fikk minst de lovpålagte ' +
      'oppfølgingsbesøkene og tilsynsbesøkene (forholdsmessig etter aktive dager; reduksjon bare etter vedtak).',
  );
  table(lines.filter((l) => l.section === 'lovpalagte-besok'));
  heading(`2. ${SECTION_TITLE.pakken}`, 14);
  paragraph(
    'Oppgavene i Omsorgspakken med frist i året: utført, utført innen fristen, frafalt og forsinket, ' +
      'for alle spor samlet og for hvert spor.',
  );
  table(lines.filter((l) => l.section === 'pakken'));
  heading(`3. ${SECTION_TITLE.kompetansebase}`, 14);
  const kb = lines.filter((l) => l.section === 'kompetansebase');
  if (kb.length === 0) paragraph('Ingen kompetansebase-bruk registrert.');
  else table(kb);
  heading('4. Utvikling fra året før', 14);
  paragraph(trendText(lines, report.year));

  // Every page: the watermark of a draft, and a footer with the report and the page number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (!signed) {
      doc.save();
      doc
        .rotate(-45, { origin: [doc.page.width / 2, doc.page.height / 2] })
        .font(BOLD)
        .fontSize(110)
        .fillColor('#bbbbbb')
        .opacity(0.35)
        .text('Utkast', 0, doc.page.height / 2 - 60, {
          width: doc.page.width,
          align: 'center',
          lineBreak: false,
        });
      doc.restore();
    }
    const footerY = doc.page.height - MARGIN - 10;
    doc.page.margins.bottom = 0;
    doc
      .opacity(1)
      .fillColor('black')
      .font(REGULAR)
      .fontSize(8.5)
      .text(
        `${report.municipality.name} kommune (${report.municipality.number}) · Tilstandsrapport ${report.year}` +
          `${signed ? '' : ' · Utkast'} · Side ${i - range.start + 1} av ${range.count}`,
        MARGIN,
        footerY,
        { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false },
      );
  }
  doc.end();
  return done;
}

/** The trend in words: each total's share now and the year before. */
function trendText(lines: readonly CouncilLine[], year: number): string {
  const say = (section: CouncilLine['section'], measure: string, what: string) => {
    const l = lines.find((x) => x.section === section && x.group === 'Totalt' && x.measure === measure);
    if (!l || l.current === null || l.previous === null)
      return `${what}: kan ikke sammenlignes (skjult eller ingen tall).`;
    return `${what}: ${printed(l.current, true, false)} i ${year} mot ${printed(l.previous, true, false)} i ${year - 1} (${printedChange(l.change, true)}).`;
  };
  return [
    say('lovpalagte-besok', 'Andel nok oppfølgingsbesøk', 'Andel med nok oppfølgingsbesøk'),
    say('lovpalagte-besok', 'Andel nok tilsynsbesøk', 'Andel med nok tilsynsbesøk'),
    say('pakken', 'Andel i tide', 'Andel oppgaver utført i tide'),
  ].join(' ');
}
