import { useEffect, useRef, useState } from 'preact/hooks';

export interface Status {
  readonly text: string;
  readonly ref: { current: HTMLParagraphElement | null };
  /** Says what an action did, and moves focus to the message (the action's button may be gone). */
  readonly show: (text: string) => void;
}

/**
 * A page's result message. Focus goes to it after each action, so keyboard and screen-reader users land
 * on what happened instead of on the page body when the control they used disappears (a closed form,
 * a task that moved on). Designsystemet's alert in the success colour, hidden while it says nothing.
 */
export function useStatus(initial = ''): Status {
  const [state, setState] = useState({ text: initial, shown: 0 });
  const ref = useRef<HTMLParagraphElement | null>(null);
  useEffect(() => {
    if (state.shown > 0) ref.current?.focus();
  }, [state.shown]);
  return { text: state.text, ref, show: (text) => setState((s) => ({ text, shown: s.shown + 1 })) };
}

export function StatusMessage({ status }: { status: Status }) {
  return (
    <p ref={status.ref} class="ds-alert" data-color="success" role="status" aria-live="polite" tabIndex={-1}>
      {status.text}
    </p>
  );
}
