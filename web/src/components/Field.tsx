import type { ComponentChildren } from 'preact';

/** A labelled form field with its hint and its error message, tied together for screen readers. */
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
  children: (aria: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ComponentChildren;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
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
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
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
    </div>
  );
}

/** The errors of a form, listed first, each a link to its field (focus moves here on a failed submit). */
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
    <div class="error-summary" role="alert" tabIndex={-1} id="error-summary">
      <h2>Skjemaet har {entries.length === 1 ? 'én feil' : `${entries.length} feil`}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a
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
