import { useState } from 'preact/hooks';
import { Field } from '../components/Field.js';
import { Problem } from '../components/Problem.js';
import { api } from '../lib/api.js';
import { addDays, todayInOslo } from '../lib/dates.js';
import { formatDate } from '../lib/labels.js';
import type { Municipality } from '../lib/types.js';
import type { Session } from '../lib/session.js';
import { useLoad } from '../lib/use-load.js';

type RowStatus = 'applied' | 'repeated' | 'rejected' | 'pending' | 'not-tried';

interface ImportReport {
  readonly counts: {
    rows: number;
    applied: number;
    repeated: number;
    rejected: number;
    pending: number;
    notTried: number;
  };
  readonly rows: readonly {
    line: number;
    key: string;
    status: RowStatus;
    placementId?: string;
    errors?: { field: string; reason: string }[];
    detail?: string;
  }[];
  readonly rejectedCsv: string;
}

/** Each outcome in words (the colour of its tag only supports them). */
const STATUS: Readonly<Record<RowStatus, { text: string; color: string }>> = {
  applied: { text: 'Registrert', color: 'success' },
  repeated: { text: 'Allerede registrert', color: 'info' },
  rejected: { text: 'Avvist', color: 'danger' },
  pending: { text: 'Venter', color: 'warning' },
  'not-tried': { text: 'Ikke sendt', color: 'warning' },
};

const COLUMNS = [
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
];

/** A sample file for the caller's service: one placement in the package, one in ordinary follow-up. */
function sampleCsv(municipality: string, today: string): string {
  const year = today.slice(0, 4);
  const visit = (day: string) => (`${year}-${day}` <= today ? `${year}-${day}` : '');
  const rows = [
    [
      'eksempel-1',
      municipality,
      `${year}/0001`,
      addDays(today, -20),
      'omsorgsovertakelse',
      '',
      '9',
      'ja',
      'ja',
      'ja',
      'nei',
      'nei',
      'pakke',
      '',
      '',
    ],
    [
      'eksempel-2',
      municipality,
      `${year}/0002`,
      addDays(today, -3 * 365),
      'frivillig',
      '',
      '12',
      'ja',
      'ja',
      'ja',
      'nei',
      'nei',
      'ordinær',
      [visit('01-15'), visit('04-10')].filter(Boolean).join('|'),
      visit('02-20'),
    ],
  ];
  return `\uFEFF${[COLUMNS, ...rows].map((r) => r.join(';')).join('\r\n')}\r\n`;
}

/** Hands `text` to the browser to save as `name`. */
function save(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function summary(c: ImportReport['counts']): string {
  const parts = [
    `${c.applied} registrert`,
    c.repeated ? `${c.repeated} allerede registrert` : '',
    `${c.rejected} avvist`,
    c.pending ? `${c.pending} venter` : '',
    c.notTried ? `${c.notTried} ikke sendt` : '',
  ].filter(Boolean);
  return `${c.rows} ${c.rows === 1 ? 'rad' : 'rader'}: ${parts.join(', ')}.`;
}

/**
 * Import of a service's existing placements from a CSV file (kontaktperson, leder): each row becomes a
 * registration as the form makes it; the report says, row by row, what was registered and why a row was
 * refused, and the refused rows can be saved as CSV, fixed and uploaded again (rows already registered
 * answer «Allerede registrert»).
 */
export function ImportPlacementsPage({ session }: { session: Session }) {
  const municipalities = useLoad(async () => {
    const [services, all] = await Promise.all([
      api<{ id: string; memberMunicipalityIds: string[] }[]>('/api/reference/services'),
      api<Municipality[]>('/api/reference/municipalities'),
    ]);
    const members = new Set(
      services.find((s) => s.id === session.me.organisation)?.memberMunicipalityIds ?? [],
    );
    return all.filter((m) => members.has(m.id));
  }, [session.me.organisation]);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) {
      setFileError('Velg en CSV-fil.');
      return;
    }
    setFileError(undefined);
    setBusy(true);
    setProblem(null);
    setReport(null);
    try {
      setReport(
        await api<ImportReport>('/api/imports/placements', {
          method: 'POST',
          file: { body: file, type: 'text/csv; charset=utf-8' },
        }),
      );
      setTimeout(() => document.getElementById('import-report-title')?.focus(), 0);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const today = todayInOslo();
  const sampleMunicipality = municipalities.data?.[0]?.number ?? '0000';
  const notRegistered = report ? report.counts.rejected + report.counts.pending + report.counts.notTried : 0;

  return (
    <section aria-labelledby="import-title" class="placement-import">
      <h1 id="import-title" tabIndex={-1}>
        Importer plasseringer
      </h1>
      <p>
        Registrer barn som allerede bor i fosterhjem, med den virkelige plasseringsdatoen og besøkene som er
        gjort i år. Hver rad i filen blir en registrering, akkurat som i skjemaet. Filen skal ikke ha navn
        eller fødselsnummer: barnet kjennes igjen på saksnummeret.
      </p>
      <p>
        <button
          type="button"
          class="ds-button"
          data-variant="tertiary"
          onClick={() => save(sampleCsv(sampleMunicipality, today), 'eksempel-plasseringer.csv')}
        >
          Last ned eksempelfil
        </button>
      </p>
      <details class="import-columns">
        <summary>Kolonnene i filen</summary>
        <p>
          UTF-8 («CSV UTF-8» i Excel), semikolon eller komma mellom feltene, høyst 5000 rader. Datoer som
          ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ, ja/nei-felt som ja eller nei.
        </p>
        <ul>
          <li>
            <code>radnøkkel</code>: radens egen nøkkel, den samme hver gang filen lastes opp. En rad som
            allerede er registrert, blir ikke registrert på nytt.
          </li>
          <li>
            <code>kommunenummer</code>, <code>saksnummer</code>, <code>plasseringsdato</code>,{' '}
            <code>plasseringstype</code> (omsorgsovertakelse, frivillig, akutt, slekt-nettverk),{' '}
            <code>hjemmel</code> (for akutt og slekt-nettverk), <code>barnets_alder</code>
          </li>
          <li>
            <code>samvær</code>, <code>foreldre_kan_nås</code>, <code>i_skole_eller_barnehage</code>,{' '}
            <code>hjelp_fra_bufetat</code>, <code>beredskapshjem</code>: ja eller nei
          </li>
          <li>
            <code>oppfølging</code> (pakke eller ordinær), <code>oppfølgingsbesøk_i_år</code> og{' '}
            <code>tilsynsbesøk_i_år</code> (datoer skilt med |)
          </li>
        </ul>
      </details>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field id="import-file" label="CSV-fil" hint="Filen med plasseringene, én per rad." error={fileError}>
          {(a) => (
            <input
              {...a}
              type="file"
              name="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          )}
        </Field>
        <button type="submit" class="ds-button" data-variant="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Importerer …' : 'Importer'}
        </button>
      </form>
      <Problem error={problem} />
      {report && (
        <section aria-labelledby="import-report-title" class="import-report">
          <h2 id="import-report-title" tabIndex={-1}>
            Resultat
          </h2>
          <div class="ds-alert" data-color={notRegistered > 0 ? 'warning' : 'success'} role="status">
            <p>{summary(report.counts)}</p>
            {notRegistered > 0 && (
              <p>
                Rett de avviste radene og last opp filen på nytt: radene som er registrert, blir ikke
                registrert to ganger.
              </p>
            )}
          </div>
          {notRegistered > 0 && (
            <p>
              <button
                type="button"
                class="ds-button"
                data-variant="secondary"
                onClick={() => save(report.rejectedCsv, `avviste-plasseringer-${today}.csv`)}
              >
                Last ned avviste rader (CSV)
              </button>
            </p>
          )}
          <div class="import-table">
            <table class="ds-table" data-border>
              <caption>Radene i filen, {formatDate(today)}</caption>
              <thead>
                <tr>
                  <th scope="col">Linje</th>
                  <th scope="col">Radnøkkel</th>
                  <th scope="col">Resultat</th>
                  <th scope="col">Hvorfor</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.key || '(mangler)'}</td>
                    <td>
                      <span class="ds-tag" data-color={STATUS[r.status].color}>
                        {STATUS[r.status].text}
                      </span>
                      {r.placementId && (r.status === 'applied' || r.status === 'repeated') && (
                        <>
                          {' '}
                          <a href={`/plasseringer/${r.placementId}`}>
                            Åpne<span class="ds-sr-only"> plasseringen på linje {r.line}</span>
                          </a>
                        </>
                      )}
                    </td>
                    <td>
                      {r.errors && r.errors.length > 0 ? (
                        <ul class="import-errors">
                          {r.errors.map((e) => (
                            <li key={`${e.field}|${e.reason}`}>
                              <code>{e.field}</code>: {e.reason}
                            </li>
                          ))}
                        </ul>
                      ) : r.status === 'pending' ? (
                        'Utfallet er ikke klart ennå. Last opp filen på nytt om litt.'
                      ) : r.status === 'not-tried' ? (
                        'Tjenesten var ikke tilgjengelig. Last opp filen på nytt om litt.'
                      ) : (
                        ''
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}
