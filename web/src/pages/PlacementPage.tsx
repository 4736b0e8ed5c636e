import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { CaseNumber } from '../components/CaseNumber.js';
import { PersonalData } from '../components/PersonalData.js';
import { Loading, Problem } from '../components/Problem.js';
import { StatusBadge } from '../components/TaskTable.js';
import { LabelSelect } from '../components/Field.js';
import { isClosed, TaskActions } from '../components/TaskActions.js';
import { TaskNotes } from '../components/TaskNotes.js';
import { allPages, api } from '../lib/api.js';
import { todayInOslo } from '../lib/dates.js';
import {
  ACCESS_OUTCOME_LABEL,
  END_REASON_LABEL,
  formatDate,
  formatInstant,
  LEDGER_KIND_LABEL,
  LEGAL_BASIS_LABEL,
  legalBasisOf,
  OUTCOME_LABEL,
  PAUSE_REASON_LABEL,
  PLACEMENT_STATUS_LABEL,
  PLACEMENT_TYPE_LABEL,
  placementName,
  ROLE_LABEL,
  TRACK_LABEL,
  TRACKS,
} from '../lib/labels.js';
import { hasRole, type Session } from '../lib/session.js';
import type {
  AccessLogEntry,
  LedgerEntry,
  LegalBasis,
  Placement,
  PlanChange,
  Task,
  TimelineEntry,
} from '../lib/types.js';
import { afterCommand, useLoad } from '../lib/use-load.js';

/** One placement: its package on three tracks plus administrative steps, and what can be done with it. */
export function PlacementPage({ session, placementId }: { session: Session; placementId: string }) {
  const base = `/api/placements/${encodeURIComponent(placementId)}`;
  // Right after a registration the read model may not have the placement yet: ask again for a while.
  const placement = useLoad(() => api<Placement>(base), [base], { retryNotFound: 10 });
  const tasks = useLoad(() => allPages<Task>('/api/tasks', { placementId, limit: 200 }, 5), [placementId]);
  const [message, setMessage] = useState(
    new URLSearchParams(location.search).has('ny')
      ? 'Plasseringen er registrert, og omsorgspakken er startet.'
      : '',
  );
  const done = (text: string) => {
    setMessage(text);
    afterCommand(() => {
      placement.reload();
      tasks.reload();
    });
  };
  const p = placement.data;

  return (
    <section aria-labelledby="placement-title">
      <h1 id="placement-title" tabIndex={-1}>
        {placementName(placementId, p?.caseNumber)}
      </h1>
      <p class="status-message" role="status" aria-live="polite">
        {message}
      </p>
      {placement.loading && !p && <Loading what="plasseringen" />}
      <Problem error={placement.error} />
      {p && (
        <dl class="facts summary">
          <div>
            <dt>Status</dt>
            <dd>
              {PLACEMENT_STATUS_LABEL[p.status] ?? p.status}
              {p.pausedFrom ? ` fra ${formatDate(p.pausedFrom)}` : ''}
              {p.endedOn ? ` ${formatDate(p.endedOn)}` : ''}
            </dd>
          </div>
          <div>
            <dt>Type</dt>
            <dd>{PLACEMENT_TYPE_LABEL[p.placementType]}</dd>
          </div>
          {p.legalBasis && (
            <div>
              <dt>Rettslig grunnlag</dt>
              <dd>{LEGAL_BASIS_LABEL[p.legalBasis]}</dd>
            </div>
          )}
          <div>
            <dt>Innflytting</dt>
            <dd>{formatDate(p.placementDate)}</dd>
          </div>
          <div>
            <dt>Katalog</dt>
            <dd>{p.catalogVersion}</dd>
          </div>
          <div>
            <dt>Versjon</dt>
            <dd>{p.version}</dd>
          </div>
        </dl>
      )}

      {p && <CaseNumber base={base} caseNumber={p.caseNumber} onDone={done} />}

      {p && (
        <PersonalData
          base={base}
          canPurge={hasRole(session, 'leder') && p.status === 'ended'}
          onDone={done}
        />
      )}

      <h2>Omsorgspakken</h2>
      {tasks.loading && !tasks.data && <Loading what="stegene" />}
      <Problem error={tasks.error} />
      {tasks.data && <Tracks tasks={tasks.data} session={session} onDone={done} />}

      {p && (p.status === 'active' || p.status === 'paused') && (
        <>
          <ChangePlacement base={base} placement={p} onDone={done} />
          <PauseResumeEnd base={base} placement={p} onDone={done} />
        </>
      )}
      <Ledger base={base} />
      {hasRole(session, 'leder') && <AccessLog base={base} />}
      <History base={base} />
    </section>
  );
}

function Tracks({
  tasks,
  session,
  onDone,
}: {
  tasks: readonly Task[];
  session: Session;
  onDone: (m: string) => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div class="tracks">
      {TRACKS.map((track) => {
        const list = tasks.filter((t) => t.track === track);
        const count = (s: string[]) => list.filter((t) => s.includes(t.status)).length;
        return (
          <section key={track} aria-labelledby={`track-${track}`} class="track">
            <h3 id={`track-${track}`}>{TRACK_LABEL[track]}</h3>
            <p class="muted">
              {count(['completed'])} utført · {count(['waived'])} frafalt · {count(['overdue'])} forsinket ·{' '}
              {count(['open', 'due-soon', 'planned'])} gjenstår
            </p>
            <table class="data">
              <caption class="visually-hidden">Steg i sporet {TRACK_LABEL[track]}</caption>
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  <th scope="col">Frist</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rolle</th>
                  <th scope="col">Utført</th>
                  <th scope="col">Handling</th>
                </tr>
              </thead>
              <tbody>
                {list.map((t) => {
                  const id = `${t.placementId}/${t.taskId}`;
                  const closed = isClosed(t);
                  return (
                    <Fragment key={id}>
                      <tr data-task={t.taskId}>
                        <th scope="row">{t.title}</th>
                        <td>{formatDate(t.dueOn)}</td>
                        <td>
                          <StatusBadge task={t} />
                        </td>
                        <td>{ROLE_LABEL[t.role]}</td>
                        <td>
                          {t.completedOn
                            ? `${formatDate(t.completedOn)}${t.outcome ? ` (${OUTCOME_LABEL[t.outcome] ?? t.outcome})` : ''}`
                            : '–'}
                        </td>
                        <td>
                          <button
                            type="button"
                            class="link"
                            aria-expanded={open === id}
                            onClick={() => setOpen(open === id ? null : id)}
                          >
                            {closed ? 'Notater' : 'Handlinger'}
                            <span class="visually-hidden"> for {t.title}</span>
                          </button>
                        </td>
                      </tr>
                      {open === id && (
                        <tr>
                          <td colSpan={6}>
                            <TaskActions
                              task={t}
                              session={session}
                              onDone={(m) => {
                                setOpen(null);
                                onDone(m);
                              }}
                            />
                            <TaskNotes task={t} me={session.me.userId} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
                {list.length === 0 && (
                  <tr>
                    <td colSpan={6}>Ingen steg i dette sporet.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}

function ChangePlacement({
  base,
  placement,
  onDone,
}: {
  base: string;
  placement: Placement;
  onDone: (m: string) => void;
}) {
  const [date, setDate] = useState(placement.placementDate);
  const [type, setType] = useState<string>(placement.placementType);
  const [chosenBasis, setChosenBasis] = useState<string>(placement.legalBasis ?? '');
  const [preview, setPreview] = useState<{
    expectedVersion: number;
    legalBasis: LegalBasis;
    change: PlanChange;
  } | null>(null);
  // A care-order or voluntary type dictates the basis; an emergency or kinship placement may have either.
  const dictated = legalBasisOf(type);
  const basisChanged = !dictated && chosenBasis !== '' && chosenBasis !== placement.legalBasis;
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());

  const body = () => ({
    ...(date !== placement.placementDate ? { placementDate: date } : {}),
    ...(type !== placement.placementType || basisChanged ? { placementType: type } : {}),
    ...(basisChanged ? { legalBasis: chosenBasis } : {}),
  });
  const show = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setPreview(null);
    try {
      setPreview(await api(`${base}/change/preview`, { method: 'POST', body: body() }));
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async () => {
    if (!preview) return;
    setError(null);
    try {
      await api(`${base}/change`, {
        method: 'POST',
        idempotencyKey: key,
        body: { ...body(), expectedVersion: preview.expectedVersion },
      });
      setPreview(null);
      setKey(crypto.randomUUID());
      onDone('Endringen er lagret, og åpne steg er planlagt på nytt.');
    } catch (e) {
      setError(e);
    }
  };
  const c = preview?.change;
  return (
    <section class="card" aria-labelledby="change-title">
      <h2 id="change-title">Endre dato eller type</h2>
      <form onSubmit={(e) => void show(e)}>
        <div class="field-row">
          <div class="field">
            <label for="change-date">Innflyttingsdato</label>
            <input
              id="change-date"
              type="date"
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          </div>
          <LabelSelect
            id="change-type"
            label="Type plassering"
            labels={PLACEMENT_TYPE_LABEL}
            value={type}
            onChange={setType}
          />
          {dictated ? (
            <p class="hint">Rettslig grunnlag: {LEGAL_BASIS_LABEL[dictated]}.</p>
          ) : (
            <LabelSelect
              id="change-basis"
              label="Rettslig grunnlag"
              labels={LEGAL_BASIS_LABEL}
              value={chosenBasis}
              onChange={setChosenBasis}
            />
          )}
        </div>
        <button type="submit">Forhåndsvis endringen</button>
      </form>
      {c && (
        <div class="preview" aria-live="polite">
          <h3>Dette skjer hvis du bekrefter</h3>
          <p>
            {c.moved.length} steg flyttes, {c.added.length} kommer til, {c.cancelled.length} faller bort.{' '}
            {c.kept} utførte eller frafalte steg beholdes som de er.
          </p>
          {preview.legalBasis !== placement.legalBasis && (
            <p>Rettslig grunnlag blir {LEGAL_BASIS_LABEL[preview.legalBasis].toLowerCase()}.</p>
          )}
          {c.moved.length > 0 && (
            <table class="data">
              <caption>Steg som flyttes</caption>
              <thead>
                <tr>
                  <th scope="col">Steg</th>
                  <th scope="col">Fra</th>
                  <th scope="col">Til</th>
                </tr>
              </thead>
              <tbody>
                {c.moved.map((m) => (
                  <tr key={m.taskId}>
                    <th scope="row">{m.title}</th>
                    <td>{formatDate(m.fromDueOn)}</td>
                    <td>{formatDate(m.toDueOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {(
            [
              ['Steg som kommer til', c.added],
              ['Steg som faller bort', c.cancelled],
            ] as const
          ).map(
            ([title, list]) =>
              list.length > 0 && (
                <div key={title}>
                  <h4>{title}</h4>
                  <ul>
                    {list.map((t) => (
                      <li key={t.taskId}>
                        {t.title} (frist {formatDate(t.dueOn)})
                      </li>
                    ))}
                  </ul>
                </div>
              ),
          )}
          <div class="button-row">
            <button type="button" onClick={() => void confirm()}>
              Bekreft endringen
            </button>
            <button type="button" class="secondary" onClick={() => setPreview(null)}>
              Avbryt
            </button>
          </div>
        </div>
      )}
      <Problem error={error} />
    </section>
  );
}

function PauseResumeEnd({
  base,
  placement,
  onDone,
}: {
  base: string;
  placement: Placement;
  onDone: (m: string) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const post = (path: string, data: Record<string, unknown>, message: string) => async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api(`${base}/${path}`, { method: 'POST', idempotencyKey: crypto.randomUUID(), body: data });
      onDone(message);
    } catch (e) {
      setError(e);
    }
  };
  const form = (event: Event) => Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement));
  const today = todayInOslo();
  return (
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">Pause, gjenoppta eller avslutt</h2>
      {placement.status === 'active' ? (
        <form onSubmit={(e) => void post('pause', form(e), 'Omsorgspakken er satt på pause.')(e)}>
          <h3>Sett på pause</h3>
          <div class="field-row">
            <LabelSelect
              id="pause-reason"
              label="Årsak til pause"
              name="reason"
              labels={PAUSE_REASON_LABEL}
            />
            <div class="field">
              <label for="pause-from">Pause fra</label>
              <input id="pause-from" name="from" type="date" required defaultValue={today} />
            </div>
          </div>
          <button type="submit">Sett på pause</button>
        </form>
      ) : (
        <form onSubmit={(e) => void post('resume', form(e), 'Omsorgspakken er gjenopptatt.')(e)}>
          <h3>Gjenoppta</h3>
          <div class="field">
            <label for="resume-on">Gjenoppta fra</label>
            <input id="resume-on" name="on" type="date" required defaultValue={today} />
          </div>
          <button type="submit">Gjenoppta</button>
        </form>
      )}
      <form onSubmit={(e) => void post('end', form(e), 'Plasseringen er avsluttet.')(e)}>
        <h3>Avslutt plasseringen</h3>
        <div class="field-row">
          <LabelSelect id="end-reason" label="Årsak til avslutning" name="reason" labels={END_REASON_LABEL} />
          <div class="field">
            <label for="end-on">Avsluttet dato</label>
            <input id="end-on" name="endedOn" type="date" required defaultValue={today} />
          </div>
        </div>
        <button type="submit" class="danger">
          Avslutt plasseringen
        </button>
      </form>
      <Problem error={error} />
    </section>
  );
}

function Ledger({ base }: { base: string }) {
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
      <table class="data">
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
              <td>{r.activeDays}</td>
              <td>{r.required}</td>
              <td>{r.planned}</td>
              <td>{r.completed}</td>
              <td>{r.waived}</td>
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

function AccessLog({ base }: { base: string }) {
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
        <table class="data">
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
                <td>{formatInstant(e.at)}</td>
                <td>{e.name ? `${e.name} (${e.userId})` : (e.userId ?? '–')}</td>
                <td>{e.roles.join(', ')}</td>
                <td>{e.action}</td>
                <td>{ACCESS_OUTCOME_LABEL[e.outcome] ?? e.outcome}</td>
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

function History({ base }: { base: string }) {
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
