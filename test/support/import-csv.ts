import { addDays } from '../../libs/domain/calendar/dates.js';
import { osloDateOf } from '../../libs/domain/package/clock.js';

/*
 * Files for the placement import (POST /api/imports/placements), built relative to today so that every
 * row the registration accepts stays acceptable on any date. Cells are quoted when they need it.
 */

export const IMPORT_HEADER = [
  'radnøkkel',
  'kommunenummer',
  'saksnummer',
  'plasseringsdato',
  'plasseringstype',
  'hjemmel',
  'barnets_alder',
  'samvær',
  'foreldre_kan_nås',
  'i_skole_eller_barnehage',
  'hjelp_fra_bufetat',
  'beredskapshjem',
  'oppfølging',
  'oppfølgingsbesøk_i_år',
  'tilsynsbesøk_i_år',
] as const;

export type ImportColumn = (typeof IMPORT_HEADER)[number];
export type ImportRow = Partial<Record<ImportColumn, string>>;

/** Today in Oslo, `days` away. */
export const daysFromToday = (days: number) => addDays(osloDateOf(Date.now()), days);

/** A row the registration accepts as it is (Nordby's municipality 9901, placed 10 days ago). */
export function importRow(key: string, caseNumber: string, over: ImportRow = {}): ImportRow {
  return {
    radnøkkel: key,
    kommunenummer: '9901',
    saksnummer: caseNumber,
    plasseringsdato: daysFromToday(-10),
    plasseringstype: 'omsorgsovertakelse',
    hjemmel: '',
    barnets_alder: '9',
    samvær: 'ja',
    foreldre_kan_nås: 'ja',
    i_skole_eller_barnehage: 'ja',
    hjelp_fra_bufetat: 'nei',
    beredskapshjem: 'nei',
    oppfølging: 'pakke',
    oppfølgingsbesøk_i_år: '',
    tilsynsbesøk_i_år: '',
    ...over,
  };
}

/** The file: a header of `columns` and the rows, `delimiter` between cells, CRLF between lines. */
export function importCsv(
  rows: readonly ImportRow[],
  options: { delimiter?: ';' | ','; bom?: boolean; columns?: readonly string[] } = {},
): string {
  const delimiter = options.delimiter ?? ';';
  const columns = options.columns ?? IMPORT_HEADER;
  const quote = (cell: string) => (/[;,"\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const lines = [
    columns.join(delimiter),
    ...rows.map((r) => columns.map((c) => quote((r as Record<string, string>)[c] ?? '')).join(delimiter)),
  ];
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
