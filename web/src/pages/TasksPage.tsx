import { useEffect, useState } from 'preact/hooks';
import { Loading, Problem } from '../components/Problem.js';
import { StatusMessage, useStatus } from '../components/StatusMessage.js';
import { TaskList } from '../components/TaskTable.js';
import { FosterFamilyContact, worksWithFamily } from '../components/FosterFamilyContact.js';
import { TaskActions } from '../components/TaskActions.js';
import { TaskNotes } from '../components/TaskNotes.js';
import { allPages, api } from '../lib/api.js';
import { formatDate, placementName, STATUS_LABEL, TRACK_LABEL, TRACKS } from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import { isPlacementTask, type InboxItem, type Task, type TaskStatus } from '../lib/types.js';
import { afterCommand, useLoad } from '../lib/use-load.js';
import { navigate } from '../lib/router.js';
import { textOf } from '../lib/form.js';
import { tasksChanged, useTaskCounts } from '../lib/task-counts.js';
import { BulkActions } from '../components/BulkActions.js';
import { InboxTable, taskKey } from '../components/InboxTable.js';

const GROUPS: readonly { id: string; title: string; statuses: readonly TaskStatus[] }[] = [
  { id: 'forsinket', title: 'Forsinket', statuses: ['overdue'] },
  { id: 'snart', title: 'Snart frist', statuses: ['due-soon'] },
  { id: 'senere', title: 'Senere', statuses: ['open', 'planned'] },
  { id: 'fullfort', title: 'Fullført', statuses: ['completed', 'waived', 'cancelled'] },
];

/** The inbox's views: the address's word for each, the API's `view`, and the tab's label. */
const VIEWS = [
  { id: 'mine', api: 'mine', label: 'Mine' },
  { id: 'felles', api: 'pool', label: 'Felles kø' },
  { id: 'fullfort', api: 'done', label: 'Fullført siste 30 dager' },
  { id: 'alle', api: 'open', label: 'Alle åpne' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

const SORTS: Readonly<Record<string, string>> = {
  dueOn: 'Frist, tidligst først',
  '-dueOn': 'Frist, senest først',
  caseNumber: 'Saksnummer',
  step: 'Steg',
  '-completedOn': 'Fullført, sist først',
};

/** Rows a page: one screen of a compact table, never the whole backlog. */
export const PAGE_SIZE = 25;

/** «Mine oppgaver»: the inbox by view, as a compact table (or cards), searched, sorted and paged. */
export function TasksPage({
  session,
  focus,
}: {
  session: Session;
  focus?: { placementId: string; taskId: string };
}) {
  // Everything chosen lives in the address (?visning=&sortering=&fra=&til=&sok=&oppsett=&spor=&plassering=
  // &ansvarlig=): a reload or a bookmark keeps it.
  const initial = new URLSearchParams(location.search);
  const [view, setView] = useState<ViewId>(VIEWS.find((v) => v.id === initial.get('visning'))?.id ?? 'mine');
  const [sort, setSort] = useState(initial.get('sortering') ?? '');
  const [dueFrom, setDueFrom] = useState(initial.get('fra') ?? '');
  const [dueTo, setDueTo] = useState(initial.get('til') ?? '');
  const [search, setSearch] = useState(initial.get('sok') ?? '');
  const [cards, setCards] = useState(initial.get('oppsett') === 'kort');
  const [track, setTrack] = useState(initial.get('spor') ?? '');
  const [placementId, setPlacementId] = useState(initial.get('plassering') ?? focus?.placementId ?? '');
  const [assignee, setAssignee] = useState(initial.get('ansvarlig') ?? '');
  const status = useStatus();
  // The focused task at the top was just taken from the pool (not opened from a notice).
  const [tookTask, setTookTask] = useState(false);
  const counts = useTaskCounts(session, location.pathname);
  const effectiveSort = sort || (view === 'fullfort' ? '-completedOn' : 'dueOn');
  const filters = [view, effectiveSort, dueFrom, dueTo, search, track, placementId, assignee];
  useEffect(() => {
    const q = new URLSearchParams();
    if (view !== 'mine') q.set('visning', view);
    if (sort) q.set('sortering', sort);
    if (dueFrom) q.set('fra', dueFrom);
    if (dueTo) q.set('til', dueTo);
    if (search) q.set('sok', search);
    if (cards) q.set('oppsett', 'kort');
    if (track) q.set('spor', track);
    if (placementId) q.set('plassering', placementId);
    if (assignee) q.set('ansvarlig', assignee);
    const query = q.toString();
    history.replaceState(null, '', query ? `${location.pathname}?${query}` : location.pathname);
  }, [...filters, cards]);
  // The cursors of the pages before this one (the API's keyset cursor; the first page has none) and the
  // tasks chosen for a bulk action, both for these filters: another filter starts at the first page with
  // nothing chosen.
  const signature = JSON.stringify(filters);
  const [paging, setPaging] = useState({ signature, cursors: [] as string[] });
  const [selection, setSelection] = useState<{ signature: string; keys: ReadonlySet<string> }>({
    signature,
    keys: new Set(),
  });
  const cursors = paging.signature === signature ? paging.cursors : [];
  const selected = selection.signature === signature ? selection.keys : new Set<string>();
  const setCursors = (next: string[]) => setPaging({ signature, cursors: next });
  const setSelected = (keys: ReadonlySet<string>) => setSelection({ signature, keys });
  const cursor = cursors[cursors.length - 1];
  // The caption says which page of which view is shown: made with the answer, so it never names a page
  // still being fetched.
  const caption = `${VIEWS.find((v) => v.id === view)?.label ?? ''}: side ${cursors.length + 1}${search ? `, søk «${search}»` : ''}`;
  const tasks = useLoad(
    async () => ({
      caption,
      ...(await api<{ items: InboxItem[]; nextCursor: string | null }>('/api/tasks', {
        query: {
          view: VIEWS.find((v) => v.id === view)?.api,
          sort: effectiveSort,
          dueFrom,
          dueTo,
          q: search,
          track,
          placementId,
          assignee,
          limit: PAGE_SIZE,
          cursor,
        },
      })),
    }),
    [...filters, cursor],
  );
  // The placements one has tasks in, for the filter (kept across filtering), by name.
  const placements = useLoad(async () => {
    const names = new Map<string, string>();
    for (const t of (await allPages<InboxItem>('/api/tasks', { limit: 200 }, 3)).filter(isPlacementTask))
      names.set(t.placementId, placementName(t.placementId, t.caseNumber));
    return [...names].sort(([, a], [, b]) => a.localeCompare(b, 'nb'));
  }, []);
  const focused = useLoad(
    () =>
      focus
        ? api<Task>(`/api/tasks/${encodeURIComponent(focus.placementId)}/${encodeURIComponent(focus.taskId)}`)
        : Promise.resolve(undefined),
    [focus?.placementId, focus?.taskId],
  );

  const refresh = () => {
    tasksChanged();
    afterCommand(() => {
      tasks.reload();
      focused.reload();
    });
  };
  const done = (text: string, claimed?: Task) => {
    status.show(text);
    refresh();
    // A task taken from the pool leaves the pool's list: it opens at the top, with what to do next.
    if (claimed) {
      setTookTask(true);
      navigate(
        `/oppgaver/${encodeURIComponent(claimed.placementId)}/${encodeURIComponent(claimed.taskId)}${location.search}`,
        false,
        false,
      );
    }
  };
  const items = tasks.data?.items ?? [];
  // A kompetansebase's staff have no placement tasks to take or hand on in bulk.
  const hasPlacementTasks = session.me.roles.some((r) => !r.startsWith('kompetansebase-'));
  const chosen = items.filter(isPlacementTask).filter((t) => selected.has(taskKey(t)));
  const select = (keys: readonly string[], on: boolean) => {
    const next = new Set(selected);
    for (const k of keys)
      if (on) next.add(k);
      else next.delete(k);
    setSelected(next);
  };
  const countOf = (id: ViewId) =>
    counts && id !== 'alle' ? counts[id === 'mine' ? 'mine' : id === 'felles' ? 'pool' : 'done'] : undefined;
  const pageNumber = cursors.length + 1;

  const onSearch = (event: Event) => {
    event.preventDefault();
    setSearch(textOf(new FormData(event.currentTarget as HTMLFormElement), 'sok').trim());
  };

  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title" tabIndex={-1}>
        Mine oppgaver
      </h1>
      <StatusMessage status={status} />

      {focus && (
        <section class="ds-card" aria-labelledby="focused-title">
          <h2 id="focused-title">{tookTask ? 'Oppgaven du tok' : 'Oppgaven fra varselet'}</h2>
          {focused.loading && <Loading what="oppgaven" />}
          <Problem error={focused.error} />
          {focused.data && (
            <>
              <p>
                <strong>{focused.data.title}</strong> – {STATUS_LABEL[focused.data.status]}, frist{' '}
                {formatDate(focused.data.dueOn)} (
                {placementName(focused.data.placementId, focused.data.caseNumber)})
              </p>
              <TaskActions task={focused.data} session={session} onDone={done} />
              {worksWithFamily(focused.data) && <FosterFamilyContact task={focused.data} />}
              <TaskNotes task={focused.data} me={session.me.userId} />
            </>
          )}
        </section>
      )}

      <ViewTabs view={view} onChange={setView} countOf={countOf} />

      <div id="inbox-panel" role="tabpanel" aria-labelledby={`tab-${view}`} class="inbox-panel">
        <form class="inbox-search" role="search" aria-label="Søk i oppgavene" onSubmit={onSearch}>
          <div class="ds-field">
            <label class="ds-label" for="inbox-search">
              Søk på saksnummer eller steg
            </label>
            <div class="search-row">
              <input
                id="inbox-search"
                class="ds-input"
                type="search"
                name="sok"
                maxLength={100}
                defaultValue={search}
                key={search}
              />
              <button type="submit" class="ds-button" data-variant="secondary">
                Søk
              </button>
              {search && (
                <button type="button" class="ds-button" data-variant="tertiary" onClick={() => setSearch('')}>
                  Tøm søket
                </button>
              )}
            </div>
          </div>
        </form>

        <form class="filters" aria-label="Filtrer og sorter oppgaver" onSubmit={(e) => e.preventDefault()}>
          <div class="ds-field">
            <label class="ds-label" for="filter-from">
              Frist fra
            </label>
            <input
              class="ds-input"
              id="filter-from"
              type="date"
              value={dueFrom}
              max={dueTo || undefined}
              onChange={(e) => setDueFrom(e.currentTarget.value)}
            />
          </div>
          <div class="ds-field">
            <label class="ds-label" for="filter-to">
              Frist til
            </label>
            <input
              class="ds-input"
              id="filter-to"
              type="date"
              value={dueTo}
              min={dueFrom || undefined}
              onChange={(e) => setDueTo(e.currentTarget.value)}
            />
          </div>
          <div class="ds-field">
            <label class="ds-label" for="filter-sort">
              Sortering
            </label>
            <select
              class="ds-input"
              id="filter-sort"
              value={effectiveSort}
              onChange={(e) => setSort(e.currentTarget.value)}
            >
              {Object.entries(SORTS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {/* Tracks and placements are a placement's: not offered to a kompetansebase's staff. */}
          {hasPlacementTasks && (
            <>
              <div class="ds-field">
                <label class="ds-label" for="filter-track">
                  Spor
                </label>
                <select
                  class="ds-input"
                  id="filter-track"
                  value={track}
                  onChange={(e) => setTrack(e.currentTarget.value)}
                >
                  <option value="">Alle spor</option>
                  {TRACKS.map((t) => (
                    <option key={t} value={t}>
                      {TRACK_LABEL[t]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="ds-field">
                <label class="ds-label" for="filter-placement">
                  Plassering
                </label>
                <select
                  class="ds-input"
                  id="filter-placement"
                  value={placementId}
                  onChange={(e) => setPlacementId(e.currentTarget.value)}
                >
                  <option value="">Alle plasseringer</option>
                  {(placements.data ?? []).map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
            </>
          )}
          <div class="ds-field">
            <label class="ds-label" for="filter-assignee">
              Ansvarlig
            </label>
            <select
              class="ds-input"
              id="filter-assignee"
              value={assignee}
              onChange={(e) => setAssignee(e.currentTarget.value)}
            >
              <option value="">Alle jeg ser</option>
              <option value="me">Bare mine</option>
              <option value="none">Rollens felles kø</option>
            </select>
          </div>
          <fieldset class="ds-fieldset layout-choice">
            <legend class="ds-label">Visning</legend>
            <div class="ds-field">
              <input
                class="ds-input"
                type="radio"
                id="oppsett-tabell"
                name="oppsett"
                checked={!cards}
                onChange={() => setCards(false)}
              />
              <label class="ds-label" data-weight="regular" for="oppsett-tabell">
                Tabell
              </label>
            </div>
            <div class="ds-field">
              <input
                class="ds-input"
                type="radio"
                id="oppsett-kort"
                name="oppsett"
                checked={cards}
                onChange={() => setCards(true)}
              />
              <label class="ds-label" data-weight="regular" for="oppsett-kort">
                Kort
              </label>
            </div>
          </fieldset>
        </form>

        {!cards && view !== 'fullfort' && hasPlacementTasks && (
          <BulkActions
            tasks={chosen}
            session={session}
            onDone={() => {
              setSelected(new Set());
              refresh();
            }}
            onClear={() => setSelected(new Set())}
          />
        )}

        {tasks.loading && !tasks.data && <Loading what="oppgaver" />}
        <Problem error={tasks.error} />
        {view === 'mine' && tasks.data && items.length === 0 && (counts?.pool ?? 0) > 0 && (
          <div class="ds-alert" data-color="info">
            <p>
              Ingen oppgaver er dine nå. Felles kø har {counts?.pool} oppgaver for rollen din.{' '}
              <button class="ds-link" type="button" onClick={() => setView('felles')}>
                Gå til felles kø
              </button>
            </p>
          </div>
        )}
        {tasks.data &&
          (cards ? (
            GROUPS.map((g) => {
              const list = items.filter((t) => g.statuses.includes(t.status));
              if (g.id === 'fullfort' && list.length === 0) return null;
              return (
                <section key={g.id} aria-labelledby={`group-${g.id}`} class="task-group">
                  <h2 id={`group-${g.id}`}>
                    {g.title} <span class="count">({list.length})</span>
                  </h2>
                  <TaskList tasks={list} session={session} onDone={done} />
                </section>
              );
            })
          ) : (
            <InboxTable
              tasks={items}
              session={session}
              selected={selected}
              onSelect={select}
              onDone={done}
              showCompleted={view === 'fullfort'}
              caption={tasks.data.caption}
            />
          ))}

        {tasks.data && (cursors.length > 0 || tasks.data.nextCursor) && (
          <nav class="inbox-pager" aria-label="Sider i oppgavelisten">
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Forrige side
            </button>
            <span aria-live="polite">Side {pageNumber}</span>
            <button
              type="button"
              class="ds-button"
              data-variant="secondary"
              disabled={!tasks.data.nextCursor}
              onClick={() => {
                const next = tasks.data?.nextCursor;
                if (next) setCursors([...cursors, next]);
              }}
            >
              Neste side
            </button>
          </nav>
        )}
      </div>

      <CalendarFeed />
    </section>
  );
}

/** The views as tabs (arrow keys move between them), each with its count. */
function ViewTabs({
  view,
  onChange,
  countOf,
}: {
  view: ViewId;
  onChange: (view: ViewId) => void;
  countOf: (view: ViewId) => number | undefined;
}) {
  const move = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = VIEWS[(index + step + VIEWS.length) % VIEWS.length];
    onChange(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <div class="ds-tabs inbox-tabs">
      <div role="tablist" aria-label="Oppgavevisninger">
        {VIEWS.map((v, i) => {
          const count = countOf(v.id);
          return (
            <button
              key={v.id}
              type="button"
              role="tab"
              id={`tab-${v.id}`}
              aria-selected={v.id === view}
              aria-controls="inbox-panel"
              tabIndex={v.id === view ? 0 : -1}
              onClick={() => onChange(v.id)}
              onKeyDown={(e) => move(e, i)}
            >
              {v.label}
              {count !== undefined && <span class="tab-count"> ({count})</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

function CalendarFeed() {
  const [url, setUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setError(null);
    try {
      setUrl((await api<{ url: string }>('/api/me/calendar-feed', { method: 'POST' })).url);
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async () => {
    setError(null);
    try {
      await api('/api/me/calendar-feed', { method: 'DELETE' });
      setUrl('');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="ds-card" aria-labelledby="feed-title">
      <h2 id="feed-title">Kalenderfeed</h2>
      <p>
        Abonner på de åpne oppgavene dine i kalenderen din (iCalendar). Lenken viser bare stegets navn og
        frist, aldri hvem barnet er. En ny lenke gjør den gamle ugyldig.
      </p>
      <div class="button-row">
        <button class="ds-button" data-variant="primary" type="button" onClick={() => void create()}>
          Lag ny kalenderlenke
        </button>
        <button type="button" class="ds-button" data-variant="secondary" onClick={() => void revoke()}>
          Slett kalenderlenken
        </button>
      </div>
      {url && (
        <div class="ds-field">
          <label class="ds-label" for="feed-url">
            Din hemmelige kalenderlenke (vises bare nå)
          </label>
          <input
            class="ds-input"
            id="feed-url"
            type="text"
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      )}
      <Problem error={error} />
    </section>
  );
}
