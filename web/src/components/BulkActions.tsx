import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import { placementName } from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import type { Assignee, Task } from '../lib/types.js';

const taskPath = (t: Task) =>
  `/api/tasks/${encodeURIComponent(t.placementId)}/${encodeURIComponent(t.taskId)}`;

/** What became of one task of a bulk action. */
interface Outcome {
  readonly task: Task;
  readonly ok: boolean;
  readonly text: string;
}

/** Why the API refused, in its own (bokmål) words. */
function reasonOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return 'finnes ikke lenger, eller du har ikke tilgang';
    const detail = error.errors[0]?.reason ?? error.detail ?? error.title;
    return detail.replace(/\.$/, '');
  }
  if (error instanceof TypeError) return 'fikk ikke kontakt med tjenesten';
  return error instanceof Error && error.message ? error.message : 'ukjent feil';
}

/**
 * Claim or reassign several chosen tasks at once: each is its own command with its own Idempotency-Key,
 * sent one after another; the report says, task by task, what went through and what was refused and why.
 */
export function BulkActions({
  tasks,
  session,
  onDone,
  onClear,
}: {
  tasks: readonly Task[];
  session: Session;
  onDone: () => void;
  onClear: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ title: string; outcomes: Outcome[] } | null>(null);
  const [reassigning, setReassigning] = useState(false);
  const reportRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (report) reportRef.current?.focus();
  }, [report]);

  const runAll = async (
    verb: { done: string; refused: string; title: (ok: number, all: number) => string },
    send: (t: Task) => Promise<unknown>,
  ) => {
    setBusy(true);
    const outcomes: Outcome[] = [];
    for (const task of tasks) {
      try {
        await send(task);
        outcomes.push({ task, ok: true, text: verb.done });
      } catch (e) {
        outcomes.push({ task, ok: false, text: `${verb.refused}: ${reasonOf(e)}` });
      }
    }
    setBusy(false);
    setReassigning(false);
    setReport({ title: verb.title(outcomes.filter((o) => o.ok).length, outcomes.length), outcomes });
    onDone();
  };

  const claim = () =>
    void runAll(
      {
        done: 'tatt',
        refused: 'ikke tatt',
        title: (ok, all) => `${ok} av ${all} oppgaver er tatt.`,
      },
      (t) => api(`${taskPath(t)}/claim`, { method: 'POST', idempotencyKey: crypto.randomUUID() }),
    );

  const reassign = (to: Assignee | null) =>
    void runAll(
      {
        done: to
          ? `gitt til ${to.userId === session.me.userId ? 'deg' : (to.name ?? to.userId)}`
          : 'lagt i felles kø',
        refused: 'ikke tildelt',
        title: (ok, all) => `${ok} av ${all} oppgaver er tildelt.`,
      },
      (t) =>
        api(`${taskPath(t)}/reassign`, {
          method: 'POST',
          idempotencyKey: crypto.randomUUID(),
          body: { assigneeId: to?.userId ?? null },
        }),
    );

  return (
    <section class="bulk-actions" aria-labelledby="bulk-title">
      <h2 id="bulk-title" class="ds-sr-only">
        Handlinger for valgte oppgaver
      </h2>
      <div class="button-row">
        <span class="bulk-count" aria-live="polite">
          {tasks.length === 0 ? 'Ingen oppgaver valgt' : `${tasks.length} valgt`}
        </span>
        <button
          type="button"
          class="ds-button"
          data-variant="primary"
          disabled={busy || tasks.length === 0}
          onClick={claim}
        >
          Ta valgte oppgaver
        </button>
        <button
          type="button"
          class="ds-button"
          data-variant="secondary"
          aria-expanded={reassigning}
          aria-controls="bulk-reassign"
          disabled={busy || tasks.length === 0}
          onClick={() => setReassigning(!reassigning)}
        >
          Tildel valgte oppgaver …
        </button>
        {tasks.length > 0 && (
          <button type="button" class="ds-button" data-variant="tertiary" disabled={busy} onClick={onClear}>
            Fjern valget
          </button>
        )}
      </div>
      {reassigning && tasks.length > 0 && (
        <BulkReassignForm tasks={tasks} session={session} busy={busy} onSubmit={reassign} />
      )}
      {busy && (
        <p class="loading" role="status">
          Sender {tasks.length} endringer …
        </p>
      )}
      {report && (
        <div
          ref={reportRef}
          tabIndex={-1}
          class="ds-alert bulk-report"
          data-color={report.outcomes.every((o) => o.ok) ? 'success' : 'warning'}
          role="status"
        >
          <h3>{report.title}</h3>
          <ul>
            {report.outcomes.map((o) => (
              <li key={`${o.task.placementId}/${o.task.taskId}`} class={o.ok ? 'ok' : 'refused'}>
                «{o.task.title}» ({placementName(o.task.placementId, o.task.caseNumber)}): {o.text}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/**
 * Whom the chosen tasks can all be given to: those the API offers for every one of them (same role,
 * access to each), or the roles' shared pools.
 */
function BulkReassignForm({
  tasks,
  session,
  busy,
  onSubmit,
}: {
  tasks: readonly Task[];
  session: Session;
  busy: boolean;
  onSubmit: (to: Assignee | null) => void;
}) {
  const [candidates, setCandidates] = useState<Assignee[] | null>(null);
  const [error, setError] = useState('');
  const ids = tasks.map((t) => `${t.placementId}/${t.taskId}`).join(',');
  useEffect(() => {
    let live = true;
    setCandidates(null);
    setError('');
    Promise.all(tasks.map((t) => api<Assignee[]>(`${taskPath(t)}/assignees`))).then(
      (lists) => {
        if (!live) return;
        const [first = [], ...rest] = lists;
        setCandidates(first.filter((c) => rest.every((l) => l.some((o) => o.userId === c.userId))));
      },
      (e: unknown) => live && setError(`Kunne ikke hente hvem som kan få oppgavene: ${reasonOf(e)}.`),
    );
    return () => {
      live = false;
    };
  }, [ids]);
  const submit = (event: Event) => {
    event.preventDefault();
    const chosen = new FormData(event.currentTarget as HTMLFormElement).get('assigneeId');
    onSubmit(candidates?.find((c) => c.userId === chosen) ?? null);
  };
  return (
    <form id="bulk-reassign" class="panel" onSubmit={submit}>
      {error && (
        <p class="ds-alert" data-color="danger" role="alert">
          {error}
        </p>
      )}
      {!candidates && !error && (
        <p class="loading" role="status">
          Henter hvem som kan få oppgavene …
        </p>
      )}
      {candidates && (
        <>
          <div class="ds-field">
            <label class="ds-label" for="bulk-assignee">
              Gi de valgte oppgavene til
            </label>
            <p data-field="description" id="bulk-assignee-hint">
              Bare de som kan ta alle de valgte oppgavene, kan velges.
            </p>
            <select
              class="ds-input"
              id="bulk-assignee"
              name="assigneeId"
              aria-describedby="bulk-assignee-hint"
            >
              <option value="">Rollens felles kø</option>
              {candidates.map((c) => (
                <option key={c.userId} value={c.userId}>
                  {c.name ?? c.userId}
                  {c.userId === session.me.userId ? ' (deg)' : ''}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="ds-button" data-variant="primary" disabled={busy}>
            Tildel {tasks.length} oppgaver
          </button>
        </>
      )}
    </form>
  );
}
