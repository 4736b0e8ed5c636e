import { useMemo, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { todayInOslo } from '../../lib/dates.js';
import { LEDGER_KIND_LABEL } from '../../lib/labels.js';
import {
  accessSentence,
  eventSentence,
  formatLogInstant,
  type HistoryNames,
} from '../../lib/log-sentences.js';
import type { AccessLogEntry, LedgerEntry, Me, Task, TimelineEntry } from '../../lib/types.js';
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
    <section class="ds-card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Lovpålagte besøk</h2>
      <div class="ds-field">
        <label class="ds-label" for="ledger-year">
          År
        </label>
        <select
          class="ds-input"
          data-width="auto"
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
      <table class="ds-table stack-narrow">
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

/** A checkbox that shows the raw codes behind a log's sentences, for those who need them. */
function ShowCodes({
  id,
  checked,
  onChange,
}: {
  id: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <div class="ds-field">
      <input
        class="ds-input"
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label class="ds-label" for={id}>
        Vis tekniske koder
      </label>
    </div>
  );
}

/** Who accessed the child's data (leaders), newest first, a page at a time, as sentences. */
export function AccessLog({ base }: { base: string }) {
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [codes, setCodes] = useState(false);
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
    <section class="ds-card" aria-labelledby="access-title">
      <h2 id="access-title">Hvem har sett barnets opplysninger</h2>
      <button class="ds-button" data-variant="primary" type="button" onClick={() => void load()}>
        Vis tilgangsloggen
      </button>
      <Problem error={error} />
      {entries && (
        <>
          <ShowCodes id="access-codes" checked={codes} onChange={setCodes} />
          <ol class="log" aria-label="Tilgangslogg, nyeste først">
            {entries.map((e, i) => (
              <li key={i}>
                {accessSentence(e)}
                {codes && (
                  <code>{[e.userId ?? '–', e.roles.join(','), e.action, e.outcome].join(' · ')}</code>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {entries && next && (
        <button type="button" class="ds-button" data-variant="secondary" onClick={() => void load(next)}>
          Vis eldre oppføringer
        </button>
      )}
    </section>
  );
}

/**
 * The package's events, in order, when asked for, as sentences: steps by their titles (from the task
 * list the page already has) and people by name where the task list or the login gives it.
 */
export function History({ base, tasks, me }: { base: string; tasks: readonly Task[] | undefined; me: Me }) {
  const [open, setOpen] = useState(false);
  const [codes, setCodes] = useState(false);
  const history = useLoad(
    () => (open ? api<TimelineEntry[]>(`${base}/timeline`) : Promise.resolve(undefined)),
    [base, open],
    { retryNotFound: 10 },
  );
  const names = useMemo((): HistoryNames => {
    const titles = new Map((tasks ?? []).map((t) => [t.taskId, t.title]));
    const people = new Map(
      (tasks ?? []).flatMap((t) => [
        ...(t.assigneeId && t.assigneeName ? [[t.assigneeId, t.assigneeName] as const] : []),
        // Who asked for and who decided on a waiver, by the names the API gave with the task.
        ...[t.waiver?.requestedBy, t.waiver?.decidedBy].flatMap((a) =>
          a?.name ? [[a.userId, a.name] as const] : [],
        ),
      ]),
    );
    if (me.name) people.set(me.userId, me.name);
    return { titleOf: (id) => titles.get(id), nameOf: (id) => people.get(id) };
  }, [tasks, me]);
  return (
    <details class="ds-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Hendelseslogg for pakken</summary>
      {history.loading && open && <Loading what="hendelser" />}
      <Problem error={history.error} />
      {history.data && (
        <>
          <ShowCodes id="history-codes" checked={codes} onChange={setCodes} />
          <ol class="log" aria-label="Hendelser, eldste først">
            {history.data.map((e) => (
              <li key={e.streamVersion}>
                <time dateTime={e.at}>{formatLogInstant(e.at)}</time>: {eventSentence(e, names)}
                {codes && <code>{[e.type, e.taskId].filter(Boolean).join(' · ')}</code>}
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
}
