import type { Quarter } from '../lib/dates.js';
import { Field } from './Field.js';
import type { PeriodDraft } from './PeriodFields.js';

/**
 * A whole quarter chosen from a list, and the button that shows it, for a form whose submit applies the
 * draft (the adherence pages, as a learning-network lead sees them): the id is the select's.
 */
export function QuarterFields({
  id,
  quarters,
  draft,
  onChange,
}: {
  id: string;
  quarters: readonly Quarter[];
  draft: PeriodDraft;
  onChange: (draft: PeriodDraft) => void;
}) {
  return (
    <>
      <Field id={id} label="Kvartal">
        {(control) => (
          <select
            {...control}
            value={draft.from}
            onChange={(e) => {
              const q = quarters.find((x) => x.from === e.currentTarget.value);
              if (q) onChange({ from: q.from, to: q.to });
            }}
          >
            {quarters.map((q) => (
              <option key={q.from} value={q.from}>
                {q.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button class="ds-button" data-variant="primary" type="submit">
        Vis kvartalet
      </button>
    </>
  );
}
