import { LEDGER_KIND_LABEL } from '../lib/labels.js';

/** A statutory visit already made this year, as the registration command takes it (`doneThisYear`). */
export interface DoneVisit {
  readonly kind: 'oppfolgingsbesok' | 'tilsynsbesok';
  readonly on: string;
}

/** The form id of the i-th visit's date field (and of its errors); its kind's is `<id>-kind`. */
export const doneThisYearId = (i: number) => `doneThisYear-${i}`;

/** The most visits one registration may record (libs/domain/package/decide/ordinary.ts MAX_DONE_THIS_YEAR). */
export const MAX_DONE_VISITS = 24;

const KINDS = ['oppfolgingsbesok', 'tilsynsbesok'] as const;

/**
 * A child already in a foster home starts in this year's ordinary follow-up (issue 16): the statutory
 * visits already made this calendar year, each with its kind and day, count toward this year's minimum.
 * One row per visit; none at all is fine (the year's visits are then all still owed).
 */
export function DoneThisYear({
  visits,
  onChange,
  errors,
}: {
  visits: readonly DoneVisit[];
  onChange: (visits: DoneVisit[]) => void;
  errors: Readonly<Record<string, string>>;
}) {
  const set = (i: number, change: Partial<DoneVisit>) =>
    onChange(visits.map((v, j) => (j === i ? { ...v, ...change } : v)));
  const counts = KINDS.map(
    (k) => `${visits.filter((v) => v.kind === k).length} ${LEDGER_KIND_LABEL[k]?.toLowerCase()}`,
  );
  return (
    <fieldset class="ds-fieldset done-this-year">
      <legend class="ds-label">Besøk gjort i år</legend>
      <p data-field="description">
        Oppfølgingsbesøk og tilsynsbesøk som allerede er gjort i år, med datoen for hvert. De teller med i
        årets lovpålagte minimum. Registrert nå: {counts.join(' og ')}.
      </p>
      {visits.map((visit, i) => {
        const id = doneThisYearId(i);
        const error = errors[id];
        return (
          <div class="done-this-year-visit" key={i} role="group" aria-label={`Besøk ${i + 1}`}>
            <div class="ds-field">
              <label class="ds-label" for={`${id}-kind`}>
                Type besøk
              </label>
              <select
                class="ds-input"
                id={`${id}-kind`}
                value={visit.kind}
                onChange={(e) => set(i, { kind: e.currentTarget.value as DoneVisit['kind'] })}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {LEDGER_KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </div>
            <div class="ds-field">
              <label class="ds-label" for={id}>
                Dato for besøket
              </label>
              <input
                class="ds-input"
                type="date"
                id={id}
                value={visit.on}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onInput={(e) => set(i, { on: e.currentTarget.value })}
              />
              {error && (
                <p class="ds-validation-message" data-field="validation" id={`${id}-error`}>
                  {error}
                </p>
              )}
            </div>
            <button
              class="ds-button"
              data-variant="tertiary"
              type="button"
              onClick={() => onChange(visits.filter((_, j) => j !== i))}
            >
              Fjern besøk {i + 1}
            </button>
          </div>
        );
      })}
      {visits.length < MAX_DONE_VISITS && (
        <button
          class="ds-button"
          data-variant="secondary"
          type="button"
          onClick={() => onChange([...visits, { kind: 'oppfolgingsbesok', on: '' }])}
        >
          Legg til besøk
        </button>
      )}
    </fieldset>
  );
}
