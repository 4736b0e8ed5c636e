import { useEffect, useState } from 'preact/hooks';
import { api, setToken, whenUnauthenticated } from './api.js';
import { beginLogin, discover, finishLogin, type OidcSettings, type PendingLogin } from './oidc.js';
import type { Me } from './types.js';

/*
 * Who is logged in, kept for the tab (sessionStorage: gone when the tab closes). The token is the API's
 * own bearer token: from the local issuer (demo users, development only) or from the OIDC issuer.
 */

export interface AuthConfig {
  readonly localIssuer: boolean;
  readonly oidc: OidcSettings | null;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: number;
  readonly me: Me;
}

const KEY = 'omsorgspakken:session';
const PENDING = 'omsorgspakken:oidc-pending';
export const CALLBACK_PATH = '/innlogging/tilbake';

let current: Session | null = load();
const listeners = new Set<(s: Session | null) => void>();

function load(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    if (s && s.expiresAt > Date.now()) {
      setToken(s.token);
      return s;
    }
  } catch {
    // a damaged entry: log in again
  }
  return null;
}

function set(session: Session | null): void {
  current = session;
  setToken(session?.token ?? null);
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn(session);
}

const EXPIRED = 'omsorgspakken:session-expired';

// The API refused the token (expired, or revoked at the issuer): back to login, saying why.
whenUnauthenticated(() => {
  sessionStorage.setItem(EXPIRED, '1');
  set(null);
});

/** Whether the last session ended because the API refused its token (read once). */
export function sessionExpired(): boolean {
  const expired = sessionStorage.getItem(EXPIRED) === '1';
  sessionStorage.removeItem(EXPIRED);
  return expired;
}

export function useSession(): Session | null {
  const [session, setSession] = useState(current);
  useEffect(() => {
    listeners.add(setSession);
    return () => void listeners.delete(setSession);
  }, []);
  return session;
}

export const hasRole = (session: Session | null, ...roles: string[]) =>
  !!session && session.me.roles.some((r) => roles.includes(r));

export function logout(): void {
  set(null);
}

async function start(token: string, expiresIn: number): Promise<Session> {
  setToken(token);
  const me = await api<Me>('/api/me');
  const session = { token, expiresAt: Date.now() + expiresIn * 1000, me };
  set(session);
  return session;
}

export const authConfig = () => api<AuthConfig>('/api/auth/config');

/** Development: a token for a demo user from the local issuer. */
export async function loginAsDemoUser(userId: string): Promise<Session> {
  const { accessToken, expiresIn } = await api<{ accessToken: string; expiresIn: number }>(
    '/api/dev/tokens',
    { method: 'POST', body: { userId } },
  );
  return start(accessToken, expiresIn);
}

/** Production: off to the issuer's login page (authorization code + PKCE). */
export async function loginWithOidc(settings: OidcSettings): Promise<void> {
  const server = await discover(settings);
  const { url, pending } = await beginLogin(server, settings, `${location.origin}${CALLBACK_PATH}`);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(url.href);
}

/** Back from the issuer: exchange the code (once) and start the session. */
export async function completeOidcLogin(settings: OidcSettings): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as PendingLogin | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('Ingen innlogging er påbegynt i denne fanen.');
  const server = await discover(settings);
  const tokens = await finishLogin(server, settings, pending, new URL(location.href));
  return start(tokens.accessToken, tokens.expiresIn);
}
