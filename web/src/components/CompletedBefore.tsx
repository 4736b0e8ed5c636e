import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { addDays, todayInOslo } from '../lib/dates.js';

interface CatalogStep {
  readonly id: string;
  readonly title: string;
  readonly anchor: { readonly kind: string };
  readonly offsetDays: number;
}

/** Work done before the placement was registered, as the registration command takes it. */
export interface DoneBefore {
  readonly stepId: string;
  readonly completedOn: string;
}

/** The form id of a step's date field (and of its errors). */
export const doneBeforeId = (stepId: string) => `completedBefore-${stepId}`;

/**
 * A late registration records what was already done (issue 15 item 5): the catalog's steps anchored on
 * the move-in day that were due by today, each with a box to tick and the day it was done. The API
 * decides what belongs to this placement's plan (a step that does not apply is refused at its field).
 * Shown only when the placement date lies in the past.
 */
export function CompletedBefore({
  catalogVersion,
  placementDate,
  chosen,
  onChange,
  errors,
}: {
  catalogVersion: string;
  placementDate: string;
  chosen: Readonly<Record<string, string>>;
  onChange: (chosen: Record<string, string>) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const [steps, setSteps] = useState<readonly CatalogStep[]>([]);
  useEffect(() => {
    if (!catalogVersion) return;
    let live = true;
    void api<{ steps: CatalogStep[] }>(`/api/catalogs/${encodeURIComponent(catalogVersion)}`)
      .then((c) => live && setSteps(c.steps))
      .catch(() => live && setSteps([]));
    return () => {
      live = false;
    };
  }, [catalogVersion]);

  const today = todayInOslo();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(placementDate) || placementDate >= today) return null;
  const due = steps
    .filter((s) => s.anchor.kind === 'placement' && addDays(placementDate, s.offsetDays) <= today)
    .sort((a, b) => a.offsetDays - b.offsetDays || a.title.localeCompare(b.title, 'nb'));
  if (due.length === 0) return null;

  const toggle = (stepId: string, on: boolean) => {
    const next = { ...chosen };
    if (on) next[stepId] = chosen[stepId] ?? '';
    else delete next[stepId];
    onChange(next);
  };
  return (
    <fieldset class="ds-fieldset completed-before">
      <legend class="ds-label">Gjort før registreringen</legend>
      <p data-field="description">
        Plasseringen registreres etter innflyttingen. Kryss av for steg som allerede er gjort, og skriv
        datoen: de registreres som utført. Steg som var forfalt ved registreringen, får noen arbeidsdager før
        de eskaleres.
      </p>
      {due.map((s) => {
        const id = doneBeforeId(s.id);
        const on = s.id in chosen;
        const error = errors[id];
        return (
          <div class="completed-before-step" key={s.id}>
            <div class="ds-field">
              <input
                class="ds-input"
                type="checkbox"
                id={`${id}-done`}
                checked={on}
                onChange={(e) => toggle(s.id, e.currentTarget.checked)}
              />
              <label class="ds-label" data-weight="regular" for={`${id}-done`}>
                {s.title} (frist {addDays(placementDate, s.offsetDays).split('-').reverse().join('.')})
              </label>
            </div>
            {on && (
              <div class="ds-field">
                <label class="ds-label" for={id}>
                  Dato utført for «{s.title}»
                </label>
                <input
                  class="ds-input"
                  id={id}
                  type="date"
                  required
                  max={today}
                  value={chosen[s.id]}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  onInput={(e) => onChange({ ...chosen, [s.id]: e.currentTarget.value })}
                />
                {error && (
                  <p class="ds-validation-message" data-field="validation" id={`${id}-error`}>
                    {error}
                  </p>
                )}
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
