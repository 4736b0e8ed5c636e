import { useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import type { Task } from '../lib/types.js';
import { Problem } from './Problem.js';

/*
 * The foster family's names and contact details on a task of those who work with the family (the
 * foster-home resource, the supervisor, Bufetat): read from the personal-data store only when asked for,
 * since every read is logged in the child's access log; the API gives nothing else of the child's data.
 * Never kept after the card is closed.
 */

interface Contact {
  readonly name: string;
  readonly relation?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
}

const FAMILY_ROLES: readonly string[] = ['fosterhjemsressurs', 'tilsynsforer', 'bufetat'];

/** A task whose work is with the foster family: its card offers the family's contact details. */
export const worksWithFamily = (task: Task) => FAMILY_ROLES.includes(task.role);

const contactPath = (t: Task) =>
  `/api/tasks/${encodeURIComponent(t.placementId)}/${encodeURIComponent(t.taskId)}/foster-family`;

export function FosterFamilyContact({ task }: { task: Task }) {
  const [contacts, setContacts] = useState<readonly Contact[] | null>(null);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `family-${task.placementId}-${task.taskId}`.replace(/[^\w-]/g, '_');

  const show = async () => {
    setError(null);
    try {
      setContacts((await api<{ fosterFamily: Contact[] }>(contactPath(task))).fosterFamily);
    } catch (e) {
      if (e instanceof ApiError && e.status === 410) setGone(true);
      else setError(e);
    }
  };

  if (contacts === null && !gone)
    return (
      <div class="family-contact">
        <button
          type="button"
          class="ds-button"
          data-variant="secondary"
          aria-label={`Vis kontaktinfo til fosterfamilien for «${task.title}»`}
          onClick={() => void show()}
        >
          Vis kontaktinfo
        </button>
        <Problem error={error} />
      </div>
    );
  return (
    <section class="family-contact" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Fosterfamilien</h4>
      {gone && <p>Personopplysningene er slettet etter utløpt oppbevaringstid.</p>}
      {contacts?.length === 0 && <p>Det er ikke registrert kontaktinformasjon for fosterfamilien.</p>}
      {contacts && contacts.length > 0 && (
        <ul class="contacts">
          {contacts.map((c, i) => (
            <li key={i}>
              <strong>{c.name}</strong>
              {c.relation ? ` (${c.relation})` : ''}
              {c.phone && (
                <>
                  {' · tlf. '}
                  <a href={`tel:${c.phone.replace(/\s+/g, '')}`}>{c.phone}</a>
                </>
              )}
              {c.email && (
                <>
                  {' · '}
                  <a href={`mailto:${c.email}`}>{c.email}</a>
                </>
              )}
              {c.address && <> · {c.address}</>}
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="ds-link"
        onClick={() => {
          setContacts(null);
          setGone(false);
        }}
      >
        Skjul kontaktinfo
      </button>
    </section>
  );
}
