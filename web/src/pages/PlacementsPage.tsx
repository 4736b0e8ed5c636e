import { Loading, Problem } from '../components/Problem.js';
import { allPages } from '../lib/api.js';
import { placementName } from '../lib/labels.js';
import type { Task } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';

interface Row {
  readonly placementId: string;
  readonly caseNumber?: string;
  open: number;
  overdue: number;
  nextDue: string | null;
}

/** The placements one follows (those with tasks one sees), and the way to register a new one. */
export function PlacementsPage() {
  const rows = useLoad(async () => {
    const tasks = await allPages<Task>('/api/tasks', { limit: 200 }, 10);
    const byId = new Map<string, Row>();
    for (const t of tasks) {
      const row = byId.get(t.placementId) ?? {
        placementId: t.placementId,
        ...(t.caseNumber ? { caseNumber: t.caseNumber } : {}),
        open: 0,
        overdue: 0,
        nextDue: null,
      };
      if (['open', 'due-soon', 'overdue'].includes(t.status)) {
        row.open += 1;
        if (row.nextDue === null || t.dueOn < row.nextDue) row.nextDue = t.dueOn;
      }
      if (t.status === 'overdue') row.overdue += 1;
      byId.set(t.placementId, row);
    }
    return [...byId.values()].sort(
      (a, b) =>
        b.overdue - a.overdue ||
        placementName(a.placementId, a.caseNumber).localeCompare(
          placementName(b.placementId, b.caseNumber),
          'nb',
        ),
    );
  }, []);
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
      {rows.loading && <Loading what="plasseringer" />}
      <Problem error={rows.error} />
      {rows.data && (
        <table class="ds-table">
          <caption>Plasseringer i tjenesten med oppgaver</caption>
          <thead>
            <tr>
              <th scope="col">Plassering</th>
              <th scope="col">Åpne oppgaver</th>
              <th scope="col">Forsinket</th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((r) => (
              <tr key={r.placementId}>
                <th scope="row">
                  <a href={`/plasseringer/${r.placementId}`}>{placementName(r.placementId, r.caseNumber)}</a>
                </th>
                <td>{r.open}</td>
                <td>{r.overdue}</td>
              </tr>
            ))}
            {rows.data.length === 0 && (
              <tr>
                <td colSpan={3}>Ingen plasseringer ennå.</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
