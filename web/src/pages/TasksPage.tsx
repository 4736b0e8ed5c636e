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
import type { Task, TaskStatus } from '../lib/types.js';
import { afterCommand, useLoad } from '../lib/use-load.js';

const GROUPS: readonly { id: string; title: string; statuses: readonly TaskStatus[] }[] = [
  { id: 'forsinket', title: 'Forsinket', statuses: ['overdue'] },
  { id: 'snart', title: 'Snart frist', statuses: ['due-soon'] },
  { id: 'senere', title: 'Senere', statuses: ['open', 'planned'] },
];

/** «Mine oppgaver»: the open tasks one sees, by urgency, with filters and the actions on each. */
export function TasksPage({
  session,
  focus,
}: {
  session: Session;
  focus?: { placementId: string; taskId: string };
}) {
  // The filters live in the address (?spor=&plassering=&ansvarlig=): a reload or a bookmark keeps them.
  const initial = new URLSearchParams(location.search);
  const [track, setTrack] = useState(initial.get('spor') ?? '');
  const [placementId, setPlacementId] = useState(initial.get('plassering') ?? focus?.placementId ?? '');
  const [assignee, setAssignee] = useState(initial.get('ansvarlig') ?? '');
  const status = useStatus();
  useEffect(() => {
    const q = new URLSearchParams();
    if (track) q.set('spor', track);
    if (placementId) q.set('plassering', placementId);
    if (assignee) q.set('ansvarlig', assignee);
    const search = q.toString();
    history.replaceState(null, '', search ? `${location.pathname}?${search}` : location.pathname);
  }, [track, placementId, assignee]);

  const tasks = useLoad(async () => {
    const statuses = GROUPS.flatMap((g) => g.statuses);
    const lists = await Promise.all(
      statuses.map((status) =>
        allPages<Task>('/api/tasks', { status, track, placementId, assignee, limit: 200 }, 3),
      ),
    );
    return lists.flat();
  }, [track, placementId, assignee]);
  // The placements one has tasks in, for the filter (kept across filtering), by name.
  const placements = useLoad(async () => {
    const names = new Map<string, string>();
    for (const t of await allPages<Task>('/api/tasks', { limit: 200 }, 3))
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

  const done = (text: string) => {
    status.show(text);
    afterCommand(() => {
      tasks.reload();
      focused.reload();
    });
  };

  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title" tabIndex={-1}>
        Mine oppgaver
      </h1>
      <StatusMessage status={status} />

      {focus && (
        <section class="ds-card" aria-labelledby="focused-title">
          <h2 id="focused-title">Oppgaven fra varselet</h2>
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

      <form class="filters" aria-label="Filtrer oppgaver" onSubmit={(e) => e.preventDefault()}>
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
      </form>

      {tasks.loading && !tasks.data && <Loading what="oppgaver" />}
      <Problem error={tasks.error} />
      {tasks.data &&
        GROUPS.map((g) => {
          const list = tasks.data?.filter((t) => g.statuses.includes(t.status)) ?? [];
          return (
            <section key={g.id} aria-labelledby={`group-${g.id}`} class="task-group">
              <h2 id={`group-${g.id}`}>
                {g.title} <span class="count">({list.length})</span>
              </h2>
              <TaskList tasks={list} session={session} onDone={done} />
            </section>
          );
        })}

      <CalendarFeed />
    </section>
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
