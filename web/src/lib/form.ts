import { useState } from 'preact/hooks';
import { ApiError } from './api.js';

/** A text field's value from a form's data ('' when absent). */
export function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * A form checked in the page first, then by the API: its field errors (keyed by element id), a problem
 * that is not about a field, and whether it is being sent. `submit(found, send)` shows the page's own
 * findings, or sends and shows the API's field errors (`errors[].field`, mapped to element ids by
 * `idOf`); either way focus moves to the error summary (`ErrorSummary`, id `error-summary`).
 */
export function useCheckedForm(idOf: (apiField: string) => string) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const focusSummary = () => requestAnimationFrame(() => document.getElementById('error-summary')?.focus());

  const submit = async (found: Record<string, string>, send: () => Promise<void>): Promise<void> => {
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) {
      focusSummary();
      return;
    }
    setBusy(true);
    try {
      await send();
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0) {
        setErrors(Object.fromEntries(e.errors.map((f) => [idOf(f.field), f.reason])));
        focusSummary();
      } else setProblem(e);
    } finally {
      setBusy(false);
    }
  };
  return { errors, problem, busy, submit };
}
