import type { ComponentChildren } from 'preact';

/** What a field's control gets: its id, its Designsystemet class, and its ties to the hint and the error. */
export interface FieldControl {
  id: string;
  class: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

/**
 * A labelled form field with its hint and its error message, tied together for screen readers:
 * Designsystemet's field (label, description, control, validation message, in that order).
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (control: FieldControl) => ComponentChildren;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="ds-field">
      <label class="ds-label" for={id}>
        {label}
      </label>
      {hint && (
        <p data-field="description" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        class: 'ds-input',
        'aria-describedby': described || undefined,
        'aria-invalid': error ? true : undefined,
      })}
      {error && (
        <p class="ds-validation-message" data-field="validation" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled choice among the entries of a label map (code → Norwegian label). */
export function LabelSelect({
  id,
  label,
  labels,
  name,
  value,
  onChange,
}: {
  id: string;
  label: string;
  labels: Readonly<Record<string, string>>;
  /** The form field's name (a required choice in a form). */
  name?: string;
  /** A controlled choice instead: its value and what to do when it changes. */
  value?: string;
  onChange?: (value: string) => void;
}) {
  return (
    <Field id={id} label={label}>
      {(control) => (
        <select
          {...control}
          name={name}
          required={name !== undefined}
          value={value}
          onChange={onChange && ((e) => onChange(e.currentTarget.value))}
        >
          {Object.entries(labels).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * The errors of a form, listed first, each a link to its field (focus moves here on a failed submit):
 * Designsystemet's error summary, named by its heading.
 */
export function ErrorSummary({
  errors,
  labels,
}: {
  errors: Record<string, string>;
  labels: Record<string, string>;
}) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div
      class="ds-error-summary"
      role="alert"
      tabIndex={-1}
      id="error-summary"
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">
        Skjemaet har {entries.length === 1 ? 'én feil' : `${entries.length} feil`}
      </h2>
      <ul class="ds-list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a
              class="ds-link"
              href={`#${field}`}
              onClick={(e) => (e.preventDefault(), document.getElementById(field)?.focus())}
            >
              {labels[field] ?? field}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
