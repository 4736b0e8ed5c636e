import { PDFParse } from 'pdf-parse';
import type { CouncilReportDto, CouncilYearDto } from './council-report.dto.js';
import { councilReportPdf } from './council-report-pdf.js';

/*
 * The council report's font: Finnmark's municipality names are written with Sámi letters (ŋ, č, đ, š,
 * ŧ, ž, á) that PDF's standard Helvetica (WinAnsi) has no code for. The PDF embeds a Unicode font, so
 * the names come back letter for letter when the PDF is read.
 */
const hidden = { key: 'total', label: 'Totalt', suppressed: true };
const year = (y: number): CouncilYearDto => ({ year: y, statutory: hidden, adherence: hidden, tracks: [] });

function report(name: string, serviceName: string): CouncilReportDto {
  return {
    status: 'godkjent',
    municipality: { id: 'm', name, number: '5622' },
    service: { id: 's', name: serviceName },
    year: 2025,
    asOf: '2026-01-15T10:00:00.000Z',
    reportDate: '2026-01-15',
    suppression: true,
    current: year(2025),
    previous: year(2024),
    kompetansebase: [{ label: 'Bestillinger', current: 7, previous: null }],
    signedOff: { by: 'u', name: 'Máret Čiekča Đuŋŋon Žáŧŧi', at: '2026-01-20T09:30:00.000Z' },
  };
}

async function textOf(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/[ \t]+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

describe('councilReportPdf: the font', () => {
  it('prints Sámi letters as they are', async () => {
    const text = await textOf(
      await councilReportPdf(report('Porsanger - Porsáŋgu - Porsanki', 'Unjárga-Nesseby barneverntjeneste')),
    );
    expect(text).toContain('Porsanger - Porsáŋgu - Porsanki kommune (kommunenummer 5622)');
    expect(text).toContain('Barneverntjeneste: Unjárga-Nesseby barneverntjeneste');
    expect(text).toContain('Godkjent av Máret Čiekča Đuŋŋon Žáŧŧi (leder) 20.01.2026 kl. 10.30');
    expect(text).toContain(
      'Porsanger - Porsáŋgu - Porsanki kommune (5622) · Tilstandsrapport 2025 · Side 1 av 1',
    );
    expect(text).toMatch(/^Totalt Bestillinger 7 skjult –$/m);
  });

  it('is the same file every time for the same report', async () => {
    const r = report('Kárášjohka-Karasjok', 'Kárášjohka-Karasjok barneverntjeneste');
    expect(Buffer.compare(await councilReportPdf(r), await councilReportPdf(r))).toBe(0);
  });
});
