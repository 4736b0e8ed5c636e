import { useEffect, useState } from 'preact/hooks';

/* Page paths in the address bar (history API); the server answers every page path with index.html. */

const listeners = new Set<(path: string) => void>();

export function navigate(to: string, replace = false, focusHeading = true): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const fn of listeners) fn(location.pathname);
  window.scrollTo(0, 0);
  // Move focus to the new page's heading, so screen reader and keyboard users start at the top (unless
  // the caller moves it itself, e.g. to the message of the action that led here).
  if (focusHeading) requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    listeners.add(setPath);
    window.addEventListener('popstate', onPop);
    return () => {
      listeners.delete(setPath);
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return path;
}

/** Same-origin links are followed without reloading the page. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  const a = (event.target as Element | null)?.closest('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  // In-page links (the skip link) keep the browser's own behaviour: scroll to and focus the target.
  if (a.getAttribute('href')?.startsWith('#')) return;
  if (/^\/(api|docs|calendar)(\/|$)/.test(a.pathname)) return;
  event.preventDefault();
  navigate(a.pathname + a.search);
}

/** Matches `/plasseringer/:id` style patterns; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}
