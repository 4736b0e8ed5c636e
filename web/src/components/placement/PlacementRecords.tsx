import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { todayInOslo } from '../../lib/dates.js';
import { ACCESS_OUTCOME_LABEL, formatInstant, LEDGER_KIND_LABEL } from '../../lib/labels.js';
import type { AccessLogEntry, LedgerEntry, TimelineEntry } from '../../lib/types.js';
import { useLoad } from '../../lib/use-load.js';
import { Loading, Problem } from '../Problem.js';

/* What a placement's record holds besides its plan: the statutory visits, who saw the child's data, events. */

/** The statutory visit ledger, a year at a time. */
export function Ledger({ base }: { base: string }) {
  const thisYear = Number(todayInOslo().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const ledger = useLoad(() => api<LedgerEntry[]>(`${base}/ledger`), [base], { retryNotFound: 10 });
  const rows = (ledger.data ?? []).filter((e) => e.year === year);
  const years = [...new Set([thisYear, ...(ledger.data ?? []).map((e) => e.year)])].sort();
  return (
    <section class="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Lovpålagte besøk</h2>
      <div class="field">
        <label for="ledger-year">År</label>
        <select
          id="ledger-year"
          value={String(year)}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
        >
          {years.map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </div>
      {ledger.loading && <Loading what="besøksregnskapet" />}
      <Problem error={ledger.error} />
      <table class="data stack-narrow">
        <caption>Besøk i {year} (krav pro rata for dagene plasseringen var aktiv)</caption>
        <thead>
          <tr>
            <th scope="col">Besøk</th>
            <th scope="col">Aktive dager</th>
            <th scope="col">Krav</th>
            <th scope="col">Planlagt</th>
            <th scope="col">Utført</th>
            <th scope="col">Frafalt</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.kind}>
              <th scope="row">{LEDGER_KIND_LABEL[r.kind]}</th>
              <td data-label="Aktive dager">{r.activeDays}</td>
              <td data-label="Krav">{r.required}</td>
              <td data-label="Planlagt">{r.planned}</td>
              <td data-label="Utført">{r.completed}</td>
              <td data-label="Frafalt">{r.waived}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={6}>Ingen lovpålagte besøk registrert for {year}.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

/** Who accessed the child's data (leaders), newest first, a page at a time. */
export function AccessLog({ base }: { base: string }) {
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The first page, or with `cursor` the next (older) one after those shown. */
  const load = async (cursor?: string) => {
    setError(null);
    try {
      const page = await api<{ items: AccessLogEntry[]; nextCursor: string | null }>(
        `${base}/access-log?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      setEntries((shown) => [...(cursor ? (shown ?? []) : []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card" aria-labelledby="access-title">
      <h2 id="access-title">Hvem har sett barnets opplysninger</h2>
      <button type="button" onClick={() => void load()}>
        Vis tilgangsloggen
      </button>
      <Problem error={error} />
      {entries && (
        <table class="data stack-narrow">
          <caption>Tilgangslogg, nyeste først</caption>
          <thead>
            <tr>
              <th scope="col">Tidspunkt</th>
              <th scope="col">Bruker</th>
              <th scope="col">Rolle</th>
              <th scope="col">Handling</th>
              <th scope="col">Utfall</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i}>
                <td data-label="Tidspunkt">{formatInstant(e.at)}</td>
                <td data-label="Bruker">{e.name ? `${e.name} (${e.userId})` : (e.userId ?? '–')}</td>
                <td data-label="Rolle">{e.roles.join(', ')}</td>
                <td data-label="Handling">{e.action}</td>
                <td data-label="Utfall">{ACCESS_OUTCOME_LABEL[e.outcome] ?? e.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries && next && (
        <button type="button" class="secondary" onClick={() => void load(next)}>
          Vis eldre oppføringer
        </button>
      )}
    </section>
  );
}

/** The package's events, in order, when asked for. */
export function History({ base }: { base: string }) {
  const [open, setOpen] = useState(false);
  const history = useLoad(
    () => (open ? api<TimelineEntry[]>(`${base}/timeline`) : Promise.resolve(undefined)),
    [base, open],
    { retryNotFound: 10 },
  );
  return (
    <details class="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Hendelseslogg for pakken</summary>
      {history.loading && open && <Loading what="hendelser" />}
      <Problem error={history.error} />
      {history.data && (
        <ol class="history">
          {history.data.map((e) => (
            <li key={e.streamVersion}>
              {formatInstant(e.at)}: {e.type}
              {e.taskId ? ` (${e.taskId})` : ''}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
