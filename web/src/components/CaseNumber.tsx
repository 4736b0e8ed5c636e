import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { useCheckedForm } from '../lib/form.js';
import { CASE_NUMBER_HINT, CASE_NUMBER_PATTERN } from '../lib/labels.js';
import { ErrorSummary, Field } from './Field.js';
import { Problem } from './Problem.js';

const FIELD_ID = 'case-number';
const LABELS = { [FIELD_ID]: 'Saksnummer' };

/**
 * The service's own case number of a placement, and its correction (caseworkers and leaders of the
 * service: the only ones who see this page). The API checks the format and that no other placement of
 * the service has it, and logs the change in the child's access log.
 */
export function CaseNumber({
  base,
  caseNumber,
  onDone,
}: {
  base: string;
  caseNumber: string | null;
  onDone: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(caseNumber ?? '');
  const { errors, problem, busy, submit: check } = useCheckedForm(() => FIELD_ID);

  const submit = (event: Event) => {
    event.preventDefault();
    const next = value.trim();
    const found: Record<string, string> = {};
    if (!next) found[FIELD_ID] = 'Skriv saksnummeret fra fagsystemet.';
    else if (!CASE_NUMBER_PATTERN.test(next))
      found[FIELD_ID] = 'Saksnummeret kan ha 1–30 tegn: bokstaver, sifre, /, -, . og mellomrom.';
    void check(found, async () => {
      await api(`${base}/case-number`, { method: 'PUT', body: { caseNumber: next } });
      setEditing(false);
      onDone('Saksnummeret er lagret.');
    });
  };

  if (!editing)
    return (
      <p class="case-number">
        <span>Saksnummer: {caseNumber ?? 'ikke registrert'}</span>{' '}
        <button
          type="button"
          class="ds-link"
          onClick={() => {
            setValue(caseNumber ?? '');
            setEditing(true);
          }}
        >
          {caseNumber ? 'Rett saksnummeret' : 'Registrer saksnummer'}
        </button>
      </p>
    );
  return (
    <form class="case-number narrow" noValidate onSubmit={submit}>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Field id={FIELD_ID} label={LABELS[FIELD_ID]} hint={CASE_NUMBER_HINT} error={errors[FIELD_ID]}>
        {(a) => (
          <input
            {...a}
            type="text"
            maxLength={30}
            autoComplete="off"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="button-row">
        <button class="ds-button" data-variant="primary" type="submit" disabled={busy}>
          Lagre saksnummeret
        </button>
        <button type="button" class="ds-button" data-variant="secondary" onClick={() => setEditing(false)}>
          Avbryt
        </button>
      </div>
      <Problem error={problem} />
    </form>
  );
}
