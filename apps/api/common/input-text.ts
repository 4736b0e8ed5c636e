import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJson } from './http.js';
import { PROBLEM_TITLES, problemInstance, type FieldError, type ProblemDetails } from './problem.js';

/*
 * Checks on what a client sends before any validator or query sees it: how deep a JSON body nests (the
 * validators recurse, and 10,000 levels overflowed the stack: 500), and that text holds no control
 * characters or broken Unicode (PostgreSQL refuses U+0000 in text and jsonb, and a lone surrogate in
 * jsonb: 500). Both answer 400 problem+json naming the field.
 */

/** Deep enough for every body the API takes (a catalog nests about 6 levels). */
export const MAX_BODY_DEPTH = 32;

export const REASON_CONTROL = 'kan ikke inneholde kontrolltegn';
export const REASON_UNICODE = 'har ugyldig Unicode (et halvt surrogatpar)';
export const REASON_DEPTH = `er for dypt nestet (høyst ${MAX_BODY_DEPTH} nivåer)`;

/** C0 controls and DEL; free text in a body may keep tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- the point of the check
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- the point of the check
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The document's pattern for body text that must hold more than blanks (validated with /\S/): the body
 * check's rule (no control characters but tab and line breaks) and one character that is not a blank.
 * U+FEFF is named because JavaScript's \s holds it and Python's (the fuzzer's) does not.
 */
export const NOT_BLANK_TEXT_PATTERN =
  '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*' +
  '[^\\s\\ufeff\\u0000-\\u001f\\u007f]' +
  '[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';

/** In Unicode mode a surrogate pair is one code point: only a lone half is a surrogate (Cs) here. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A field name (or list index) as a client may have typed it: echoed only when it looks like one. */
export const safeName = (property: string): string =>
  /^(?:[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,4})$/.test(property) ? property : '(ukjent felt)';

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${safeName(name)}` : safeName(name));

/** Why `text` is refused, or undefined. In a body, tabs and line breaks are text; elsewhere they are not. */
export function textProblem(text: string, inBody: boolean): string | undefined {
  if ((inBody ? CONTROL_IN_BODY : CONTROL).test(text)) return REASON_CONTROL;
  if (LONE_SURROGATE.test(text)) return REASON_UNICODE;
  return undefined;
}

/**
 * The problems of a parsed JSON value, walked without recursion: the first level past MAX_BODY_DEPTH
 * (one error, the walk stops there) and every refused string, key or value.
 */
export function bodyProblems(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: here, path, depth } = stack.pop()!;
    if (typeof here === 'string') {
      const reason = textProblem(here, true);
      if (reason) errors.push({ field: path || '(innhold)', reason });
      continue;
    }
    if (typeof here !== 'object' || here === null) continue;
    if (depth >= MAX_BODY_DEPTH) return [{ field: path || '(innhold)', reason: REASON_DEPTH }];
    const entries = Array.isArray(here)
      ? here.map((v, i) => [String(i), v] as const)
      : Object.entries(here as Record<string, unknown>);
    for (const [key, child] of entries.reverse()) {
      const field = join(path, key);
      const keyReason = textProblem(key, false);
      if (keyReason) errors.push({ field, reason: keyReason });
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
  return errors;
}

/** Problems of query or path values: strings (or lists of them) without control characters. */
export function parameterProblems(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') {
    const reason = textProblem(value, false);
    return reason ? [{ field, reason }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v) => parameterProblems(v, field));
  return [];
}

/** The 400 problem for a body too deep or with refused text, or undefined. */
export function bodyTextProblem(request: { body?: unknown; id?: unknown }): ProblemDetails | undefined {
  const body = request.body;
  const errors = typeof body === 'object' && body !== null ? bodyProblems(body) : [];
  if (errors.length === 0) return undefined;
  return {
    type: 'about:blank',
    title: PROBLEM_TITLES[400],
    status: 400,
    detail: 'Ett eller flere felt er ugyldige.',
    instance: problemInstance(request),
    errors: errors.slice(0, 20),
  };
}

/** Express middleware after the JSON parser: 400 for a body too deep or with refused text. */
export function checkBodyText(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next: () => void,
): void {
  const problem = bodyTextProblem(req);
  if (problem) writeJson(res, 400, problem);
  else next();
}
