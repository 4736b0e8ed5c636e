import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { useCoSignSteps } from '../lib/catalog.js';
import { textOf } from '../lib/form.js';
import { todayInOslo } from '../lib/dates.js';
import { OUTCOME_LABEL, ROLE_LABEL, WAIVE_REASON_LABEL } from '../lib/labels.js';
import { hasRole, type Session } from '../lib/session.js';
import type { Assignee, Task } from '../lib/types.js';
import { useLoad } from '../lib/use-load.js';
import { Field, LabelSelect } from './Field.js';
import { Loading, Problem } from './Problem.js';
import { WaiverRequestForm } from './placement/WaiverRecord.js';

type Panel = 'complete' | 'waive' | 'reassign' | null;

const taskPath = (t: Task) =>
  `/api/tasks/${encodeURIComponent(t.placementId)}/${encodeURIComponent(t.taskId)}`;

/** A task nothing more can be done with. */
export const isClosed = (t: Task) => ['completed', 'waived', 'cancelled'].includes(t.status);

/** What one may do with a task: complete, waive, claim/unclaim, reassign (as the API allows). */
export function TaskActions({
  task,
  session,
  onDone,
}: {
  task: Task;
  session: Session;
  /** After a command: the message to show, and the task when it was just taken from the pool. */
  onDone: (message: string, claimed?: Task) => void;
}) {
  const [panel, setPanel] = useState<Panel>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per form opening: a double submit (or a retry after a lost answer) has one effect.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const coSign = useCoSignSteps();
  if (isClosed(task)) return null;

  const leader = hasRole(session, 'leder');
  const needsLeader = coSign.has(task.stepId);
  const mine = task.assigneeId === session.me.userId;
  const pool = task.assigneeId === null;
  const id = `${task.placementId}-${task.taskId}`.replace(/[^\w-]/g, '_');
  // Every button names its task for screen readers: a list of cards has many «Ta oppgaven».
  const named = <span class="ds-sr-only"> «{task.title}»</span>;

  const run = async (fn: () => Promise<unknown>, message: string, claimed?: Task) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setPanel(null);
      setKey(crypto.randomUUID());
      onDone(message, claimed);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (p: Panel) => {
    setError(null);
    setPanel(panel === p ? null : p);
  };

  const complete = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const note = textOf(data, 'note').trim();
    void run(async () => {
      await api(`${taskPath(task)}/complete`, {
        method: 'POST',
        idempotencyKey: key,
        body: { outcome: data.get('outcome'), completedOn: data.get('completedOn') },
      });
      // The note's key derives from the completion's: a retry of this form stores the note once.
      if (note)
        await api(`${taskPath(task)}/notes`, {
          method: 'POST',
          idempotencyKey: `${key}-note`,
          body: { text: note },
        });
    }, `«${task.title}» er registrert som utført.`);
  };

  const waive = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    void run(
      () =>
        api(`${taskPath(task)}/waive`, {
          method: 'POST',
          idempotencyKey: key,
          body: { reason: data.get('reason') },
        }),
      `«${task.title}» er frafalt.`,
    );
  };

  const reassign = (assignee: Assignee | null) =>
    void run(
      () =>
        api(`${taskPath(task)}/reassign`, {
          method: 'POST',
          idempotencyKey: key,
          body: { assigneeId: assignee?.userId ?? null },
        }),
      assignee
        ? `«${task.title}» er gitt til ${assignee.userId === session.me.userId ? 'deg' : personName(assignee)}.`
        : `«${task.title}» er lagt i rollens felles kø.`,
    );

  return (
    <div class="task-actions">
      <div class="button-row">
        {pool && (
          <button
            class="ds-button"
            data-variant="primary"
            type="button"
            disabled={busy}
            onClick={() =>
              void run(
                () => api(`${taskPath(task)}/claim`, { method: 'POST', idempotencyKey: crypto.randomUUID() }),
                `Du har tatt «${task.title}».`,
                task,
              )
            }
          >
            Ta oppgaven
            {named}
          </button>
        )}
        {mine && !leader && (
          <button
            type="button"
            class="ds-button"
            data-variant="secondary"
            disabled={busy}
            onClick={() =>
              void run(
                () =>
                  api(`${taskPath(task)}/unclaim`, { method: 'POST', idempotencyKey: crypto.randomUUID() }),
                `«${task.title}» er lagt tilbake i felles kø.`,
              )
            }
          >
            Legg tilbake
            {named}
          </button>
        )}
        <button
          class="ds-button"
          data-variant="primary"
          type="button"
          aria-expanded={panel === 'complete'}
          aria-controls={`complete-${id}`}
          onClick={() => toggle('complete')}
        >
          Registrer utført
          {named}
        </button>
        {task.waiver?.status !== 'requested' && (
          <button
            type="button"
            class="ds-button"
            data-variant="secondary"
            aria-expanded={panel === 'waive'}
            aria-controls={`waive-${id}`}
            onClick={() => toggle('waive')}
          >
            {needsLeader ? 'Be om frafall' : 'Frafall'}
            {named}
          </button>
        )}
        {(hasRole(session, 'leder', 'kontaktperson') || mine || pool) && (
          <button
            type="button"
            class="ds-button"
            data-variant="secondary"
            aria-expanded={panel === 'reassign'}
            aria-controls={`reassign-${id}`}
            onClick={() => toggle('reassign')}
          >
            Tildel
            {named}
          </button>
        )}
      </div>

      {panel === 'complete' && (
        <form id={`complete-${id}`} class="panel" onSubmit={complete}>
          <LabelSelect id={`outcome-${id}`} label="Utfall" name="outcome" labels={OUTCOME_LABEL} />
          <div class="ds-field">
            <label class="ds-label" for={`completedOn-${id}`}>
              Dato utført
            </label>
            <input
              class="ds-input"
              id={`completedOn-${id}`}
              name="completedOn"
              type="date"
              required
              max={todayInOslo()}
              defaultValue={todayInOslo()}
            />
          </div>
          <div class="ds-field">
            <label class="ds-label" for={`note-${id}`}>
              Notat (valgfritt, lagres kryptert)
            </label>
            <textarea class="ds-input" id={`note-${id}`} name="note" rows={3} maxLength={4000} />
          </div>
          <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
            Lagre som utført
            {named}
          </button>
        </form>
      )}

      {panel === 'waive' && needsLeader && (
        <div id={`waive-${id}`}>
          <WaiverRequestForm
            task={task}
            session={session}
            onDone={(m) => {
              setPanel(null);
              onDone(m);
            }}
          />
        </div>
      )}
      {panel === 'waive' && !needsLeader && (
        <form id={`waive-${id}`} class="panel" onSubmit={waive}>
          <LabelSelect id={`reason-${id}`} label="Begrunnelse" name="reason" labels={WAIVE_REASON_LABEL} />
          <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
            Frafall steget
            {named}
          </button>
        </form>
      )}

      {panel === 'reassign' && (
        <ReassignForm id={id} task={task} session={session} busy={busy} onSubmit={reassign} />
      )}
      <Problem error={error} />
    </div>
  );
}

/** A person by name, or by user id when their login carries no name. */
const personName = (a: Assignee) => a.name ?? a.userId;

/**
 * Who to give the task to: those the API says may take it (its role, with access to it), by name, or the
 * role's shared pool. Asked for when the form opens.
 */
function ReassignForm({
  id,
  task,
  session,
  busy,
  onSubmit,
}: {
  id: string;
  task: Task;
  session: Session;
  busy: boolean;
  onSubmit: (assignee: Assignee | null) => void;
}) {
  const candidates = useLoad(
    () => api<Assignee[]>(`${taskPath(task)}/assignees`),
    [task.placementId, task.taskId],
  );
  const submit = (event: Event) => {
    event.preventDefault();
    const chosen = textOf(new FormData(event.currentTarget as HTMLFormElement), 'assigneeId');
    onSubmit(candidates.data?.find((c) => c.userId === chosen) ?? null);
  };
  return (
    <form id={`reassign-${id}`} class="panel" onSubmit={submit}>
      {candidates.loading && <Loading what="hvem som kan ta oppgaven" />}
      <Problem error={candidates.error} />
      {candidates.data && (
        <>
          <Field
            id={`assignee-${id}`}
            label="Gi oppgaven til"
            hint={
              candidates.data.length === 0
                ? `Ingen med rollen ${ROLE_LABEL[task.role].toLowerCase()} kan ta oppgaven nå: den kan bare legges i rollens felles kø.`
                : `Bare de med rollen ${ROLE_LABEL[task.role].toLowerCase()} som har tilgang til oppgaven, kan velges.`
            }
          >
            {(aria) => (
              <select {...aria} name="assigneeId">
                <option value="" selected={task.assigneeId === null}>
                  Rollens felles kø
                </option>
                {candidates.data?.map((c) => (
                  <option key={c.userId} value={c.userId} selected={c.userId === task.assigneeId}>
                    {personName(c)}
                    {c.userId === session.me.userId ? ' (deg)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
            Tildel oppgaven<span class="ds-sr-only"> «{task.title}»</span>
          </button>
        </>
      )}
    </form>
  );
}
