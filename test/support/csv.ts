/**
 * A CSV answer for Norwegian spreadsheets as its lines, checking what makes Excel in nb-NO open it right:
 * a UTF-8 byte-order mark first, CRLF after every line.
 */
export function nbCsvLines(text: string): string[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const body = text.slice(1);
  expect(body.endsWith('\r\n')).toBe(true);
  return body.slice(0, -2).split('\r\n');
}
