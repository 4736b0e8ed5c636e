import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads data for a page; `deps` change → load again. With `retryNotFound`, a 404 is asked again every
 * second that many times before it shows: a read model is built a moment after the command that made
 * what it reads (a placement just registered is answered by its workflow before its ledger exists).
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: { readonly retryNotFound?: number } = {},
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  const retries = options.retryNotFound ?? 0;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (n: number) =>
      run().then(
        (data) => live && setState({ data, loading: false }),
        (error: unknown) => {
          if (!live) return;
          if (n < retries && error instanceof ApiError && error.status === 404)
            timer = setTimeout(() => void attempt(n + 1), 1000);
          else setState({ error, loading: false });
        },
      );
    setState((s) => ({ ...s, loading: true }));
    void attempt(0);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [run, tick, retries]);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/**
 * Refreshes after a command: now, and again shortly after, since the lists are read models the worker
 * updates a moment after the command is accepted.
 */
export function afterCommand(refresh: () => void): void {
  refresh();
  setTimeout(refresh, 1500);
}
