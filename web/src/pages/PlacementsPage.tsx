import { useState } from 'preact/hooks';
import { Loading, Problem } from '../components/Problem.js';
import { api } from '../lib/api.js';
import { formatDate, PLACEMENT_STATUS_LABEL, placementName } from '../lib/labels.js';
import { phaseLabel } from '../lib/phase.js';
import type { PlacementListItem, PlacementListStatus } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

interface Page {
  readonly items: PlacementListItem[];
  readonly nextCursor: string | null;
}

const PAGE_SIZE = 50;

/** The list's statuses in bokmål: the placement page's words, and an annulment told apart. */
const LIST_STATUS_LABEL: Readonly<Record<PlacementListStatus, string>> = {
  active: PLACEMENT_STATUS_LABEL.active,
  paused: PLACEMENT_STATUS_LABEL.paused,
  completed: PLACEMENT_STATUS_LABEL.completed,
  ended: PLACEMENT_STATUS_LABEL.ended,
  annulled: 'Annullert',
};

/** A status's Designsystemet colour (its words always stand in the tag). */
const STATUS_COLOR: Readonly<Record<PlacementListStatus, string>> = {
  active: 'success',
  paused: 'warning',
  completed: 'info',
  ended: 'neutral',
  annulled: 'danger',
};

const STATUSES = Object.keys(LIST_STATUS_LABEL) as PlacementListStatus[];
const DEFAULT_STATUSES: readonly PlacementListStatus[] = ['active', 'paused'];

/**
 * The placements of one's service (GET /api/placements: those one may read), filtered by status
 * (active and paused first), a page at a time with «Vis flere»; and the way to register a new one.
 */
export function PlacementsPage() {
  const [statuses, setStatuses] = useState<readonly PlacementListStatus[]>(DEFAULT_STATUSES);
  const filter = STATUSES.filter((s) => statuses.includes(s)).join(',');
  const first = useLoad(
    () => api<Page>('/api/placements', { query: { status: filter, limit: PAGE_SIZE } }),
    [filter],
  );
  // Pages after the first, fetched by «Vis flere»; they belong to the filter they were fetched for.
  const [more, setMore] = useState<{ filter: string; pages: Page[] }>({ filter, pages: [] });
  const [moreState, setMoreState] = useState<{ loading: boolean; error?: unknown }>({ loading: false });
  const pages = more.filter === filter ? more.pages : [];
  const items = first.data ? [...first.data.items, ...pages.flatMap((p) => p.items)] : [];
  const next = pages.length ? pages[pages.length - 1].nextCursor : (first.data?.nextCursor ?? null);

  const toggle = (status: PlacementListStatus, on: boolean) =>
    setStatuses(on ? [...statuses, status] : statuses.filter((s) => s !== status));
  const showMore = async () => {
    if (!next) return;
    setMoreState({ loading: true });
    try {
      const page = await api<Page>('/api/placements', {
        query: { status: filter, limit: PAGE_SIZE, cursor: next },
      });
      setMore({ filter, pages: [...pages, page] });
      setMoreState({ loading: false });
    } catch (error) {
      setMoreState({ loading: false, error });
    }
  };
  const shown = filter
    ? STATUSES.filter((s) => statuses.includes(s))
        .map((s) => LIST_STATUS_LABEL[s].toLowerCase())
        .join(', ')
    : 'alle';

  return (
    <section aria-labelledby="placements-title">
      <h1 id="placements-title" tabIndex={-1}>
        Plasseringer
      </h1>
      <p>
        <a class="ds-button" data-variant="primary" href="/plasseringer/ny">
          Registrer ny plassering
        </a>{' '}
        <a class="ds-button" data-variant="secondary" href="/plasseringer/import">
          Importer plasseringer
        </a>
      </p>
      <fieldset class="ds-fieldset placements-filter" aria-describedby="placements-filter-hint">
        <legend class="ds-label">Vis plasseringer som er</legend>
        <p class="ds-paragraph" data-size="sm" id="placements-filter-hint">
          Velger du ingen, vises alle.
        </p>
        <div class="placements-filter-options">
          {STATUSES.map((s) => (
            <div class="ds-field" key={s}>
              <input
                class="ds-input"
                type="checkbox"
                id={`placement-status-${s}`}
                checked={statuses.includes(s)}
                onChange={(e) => toggle(s, e.currentTarget.checked)}
              />
              <label class="ds-label" data-weight="regular" for={`placement-status-${s}`}>
                {LIST_STATUS_LABEL[s]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {first.loading && <Loading what="plasseringer" />}
      <Problem error={first.error} />
      {first.data && (
        <>
          <table class="ds-table placements-list">
            <caption>Plasseringer i tjenesten: {shown}</caption>
            <thead>
              <tr>
                <th scope="col">Plassering</th>
                <th scope="col">Fase</th>
                <th scope="col">Status</th>
                <th scope="col">Åpne oppgaver</th>
                <th scope="col">Forsinket</th>
                <th scope="col">Neste frist</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.placementId}>
                  <th scope="row">
                    <a href={`/plasseringer/${r.placementId}`}>
                      {placementName(r.placementId, r.caseNumber)}
                    </a>
                  </th>
                  <td>{phaseLabel(r.ordinaryYear)}</td>
                  <td>
                    <span class="ds-tag" data-color={STATUS_COLOR[r.status]}>
                      {LIST_STATUS_LABEL[r.status]}
                    </span>
                  </td>
                  <td>{r.openTasks}</td>
                  <td>{r.overdueTasks}</td>
                  <td>{formatDate(r.nextDueOn)}</td>
                </tr>
              ))}
              {items.length === 0 && (
                <tr>
                  <td colSpan={6}>Ingen plasseringer med valgt status.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Problem error={moreState.error} />
          {next && (
            <p>
              <button
                type="button"
                class="ds-button"
                data-variant="secondary"
                aria-busy={moreState.loading}
                disabled={moreState.loading}
                onClick={() => void showMore()}
              >
                Vis flere
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
