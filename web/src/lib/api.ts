/** The API, as the browser calls it: same origin, bearer token, problem+json errors. */

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

/** An RFC 9457 problem answer from the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: readonly FieldError[],
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }

  /** The first reason given for a field (the API's field path, e.g. `facts.placementDate`). */
  fieldReason(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.reason;
  }
}

let token: string | null = null;
let onUnauthenticated: () => void = () => undefined;

export function setToken(value: string | null): void {
  token = value;
}

export function whenUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn;
}

async function problemOf(res: Response): Promise<ApiError> {
  let body: { title?: string; detail?: string; errors?: FieldError[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, body.title ?? res.statusText, body.detail, body.errors ?? []);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Record<string, string | number | undefined>;
  /** Sent as Idempotency-Key: the same key twice has one effect. */
  readonly idempotencyKey?: string;
  /** A file sent as it is (e.g. a CSV import), with its media type, instead of a JSON body. */
  readonly file?: { readonly body: Blob | string; readonly type: string };
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.file) headers['content-type'] = options.file.type;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const res = await fetch(apiUrl(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.file
      ? options.file.body
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
  });
  if (res.status === 401 && token) onUnauthenticated();
  if (!res.ok) throw await problemOf(res);
  return res;
}

/** How often, and how far apart, a command answered 202 (taken in, outcome not known yet) is asked again. */
const PENDING_ATTEMPTS = 20;
const PENDING_INTERVAL_MS = 1_500;

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  // A command the API could not finish waiting for: the same request with the same key again answers
  // its outcome once there is one (it has one effect however often it is sent).
  for (let attempt = 0; res.status === 202 && options.idempotencyKey; attempt++) {
    if (attempt === PENDING_ATTEMPTS)
      throw new ApiError(
        202,
        'Tatt imot',
        'Endringen er tatt imot, men ikke bekreftet ennå. Den blir gjennomført når systemet svarer igjen; ' +
          'se etter den om litt.',
        [],
      );
    await new Promise((resolve) => setTimeout(resolve, PENDING_INTERVAL_MS));
    res = await send(path, options);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** The file name an answer's Content-Disposition gives (`attachment; filename="…"`), if any. */
const filenameOf = (res: Response): string | undefined =>
  /filename="([^"/\\]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];

/**
 * Fetches a file the API makes (e.g. CSV) with the bearer token and hands it to the browser to save,
 * under the name the API gives it (what, over which period, as of when), else `fallbackName`.
 */
export async function download(
  path: string,
  query: RequestOptions['query'],
  fallbackName: string,
): Promise<void> {
  const res = await send(path, { query });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(res) ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every page of a cursor-paginated list, up to `maxPages`. */
export async function allPages<T>(
  path: string,
  query: Record<string, string | number | undefined>,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await api<{ items: T[]; nextCursor: string | null }>(path, { query: { ...query, cursor } });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}
