import { Field } from './Field.js';

/** A period as a form edits it: both ends as `YYYY-MM-DD` (empty while unset). */
export interface PeriodDraft {
  readonly from: string;
  readonly to: string;
}

/**
 * A period's two date fields and the button that shows it, for a form whose submit applies the draft
 * (the adherence pages): `from` may not be after `to`; ids are `<id>-from` and `<id>-to`.
 */
export function PeriodFields<T extends PeriodDraft>({
  id,
  fromLabel,
  toLabel,
  draft,
  onChange,
}: {
  id: string;
  fromLabel: string;
  toLabel: string;
  draft: T;
  onChange: (draft: T) => void;
}) {
  return (
    <>
      <Field id={`${id}-from`} label={fromLabel}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={draft.from}
            max={draft.to}
            onInput={(e) => onChange({ ...draft, from: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field id={`${id}-to`} label={toLabel}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={draft.to}
            onInput={(e) => onChange({ ...draft, to: e.currentTarget.value })}
          />
        )}
      </Field>
      <button class="ds-button" data-variant="primary" type="submit">
        Vis perioden
      </button>
    </>
  );
}
