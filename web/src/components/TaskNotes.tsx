import { useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { formatInstant, ROLE_LABEL } from '../lib/labels.js';
import type { Role, Task } from '../lib/types.js';
import { Field } from './Field.js';
import { Problem } from './Problem.js';

interface TaskNote {
  readonly noteId: string;
  readonly authorId: string;
  readonly authorName?: string;
  readonly authorRole: Role;
  readonly at: string;
  readonly text: string;
}

const notesPath = (t: Task) =>
  `/api/tasks/${encodeURIComponent(t.placementId)}/${encodeURIComponent(t.taskId)}/notes`;

/**
 * A task's notes (free text, stored encrypted with the child's key): read only when asked for, since
 * each read is logged in the child's access log; a note can be added to an open or a closed task.
 */
export function TaskNotes({ task, me }: { task: Task; me: string }) {
  const [notes, setNotes] = useState<readonly TaskNote[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const noteKey = useRef(crypto.randomUUID());
  const id = `notes-${task.placementId}-${task.taskId}`.replace(/[^\w-]/g, '_');

  const load = async () => {
    setError(null);
    try {
      setNotes(await api<TaskNote[]>(notesPath(task)));
    } catch (e) {
      setError(e);
    }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      // One key per note: a retry of this note (after a lost answer) stores it once.
      await api(notesPath(task), {
        method: 'POST',
        idempotencyKey: noteKey.current,
        body: { text: text.trim() },
      });
      noteKey.current = crypto.randomUUID();
      setText('');
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="task-notes">
      {notes === null ? (
        <button type="button" class="ds-link" onClick={() => void load()}>
          Vis notater<span class="ds-sr-only"> for {task.title}</span>
        </button>
      ) : (
        <section aria-labelledby={`${id}-title`}>
          <h4 id={`${id}-title`}>Notater</h4>
          {notes.length === 0 ? (
            <p>Ingen notater ennå.</p>
          ) : (
            <ul class="notes">
              {notes.map((n) => (
                <li key={n.noteId}>
                  <p class="muted">
                    {formatInstant(n.at)} · {n.authorId === me ? 'deg' : (n.authorName ?? n.authorId)} (
                    {ROLE_LABEL[n.authorRole] ?? n.authorRole})
                  </p>
                  <p class="note-text">{n.text}</p>
                </li>
              ))}
            </ul>
          )}
          <form onSubmit={(e) => void add(e)}>
            <Field id={`${id}-text`} label="Nytt notat (lagres kryptert)">
              {(control) => (
                <textarea
                  {...control}
                  rows={3}
                  maxLength={4000}
                  value={text}
                  onInput={(e) => {
                    setText(e.currentTarget.value);
                    noteKey.current = crypto.randomUUID(); // another text is another note
                  }}
                />
              )}
            </Field>
            <div class="button-row">
              <button class="ds-button" data-variant="primary" type="submit" disabled={busy || !text.trim()}>
                Legg til notat<span class="ds-sr-only"> for {task.title}</span>
              </button>
              <button type="button" class="ds-button" data-variant="secondary" onClick={() => setNotes(null)}>
                Skjul notatene<span class="ds-sr-only"> for {task.title}</span>
              </button>
            </div>
          </form>
        </section>
      )}
      <Problem error={error} />
    </div>
  );
}
